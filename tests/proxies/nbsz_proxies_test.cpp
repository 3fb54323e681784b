// NAS-Bench-Suite-Zero's proxies and the named variants on a toy network (every conv/linear
// tapped, as the spaces' layers are) against golden values from an independent Python
// transcription of their reference code (reference_nbsz_proxies.py: foresight's identity
// backward hooks and channel broadcast for fisher, autograd.grad for GraSP, numpy corrcoef for
// EPE-NAS, Zen-NAS's forward_pre_GAP), same seeds, same libtorch; then each on real NB201
// architectures (finite, and ordered where the proxy's meaning fixes an order).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "ops/ops.hpp"
#include "proxy_runner.hpp"
#include "zcb/error.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

/// reference_nbsz_proxies.py's Toy, with tapped layers.
class TappedToyNetwork : public Network {
 public:
  explicit TappedToyNetwork(int classes = 3) {
    const auto& hooks = shared_hooks();
    conv1_ = register_module("conv1", ops::TappedConv2d(ops::conv_options(3, 4, 3, 1, 1), hooks));
    bn1_ = register_module("bn1", ops::TappedBatchNorm2d(4, hooks));
    relu1_ = register_module("relu1", ops::TappedReLU(hooks));
    conv2_ = register_module("conv2", ops::TappedConv2d(ops::conv_options(4, 4, 3, 1, 1), hooks));
    bn2_ = register_module("bn2", ops::TappedBatchNorm2d(4, hooks));
    relu2_ = register_module("relu2", ops::TappedReLU(hooks));
    fc_ = register_module("fc", ops::TappedLinear(torch::nn::LinearOptions(4, classes), hooks));
  }
  torch::Tensor forward_features(torch::Tensor x) override {
    x = relu1_->forward(bn1_->forward(conv1_->forward(x)));
    return relu2_->forward(bn2_->forward(conv2_->forward(x)));
  }
  torch::Tensor head(torch::Tensor x) override {
    return fc_->forward(torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1));
  }

 private:
  ops::TappedConv2d conv1_{nullptr}, conv2_{nullptr};
  ops::TappedBatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  ops::TappedReLU relu1_{nullptr}, relu2_{nullptr};
  ops::TappedLinear fc_{nullptr};
};

class NbszProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::set_num_threads(1);
    torch::manual_seed(0);
    inputs_ = torch::randn({8, 3, 8, 8});
    labels_ = torch::randint(0, 3, {8}, torch::kInt64);
    task_.name = "toy";
    task_.num_classes = 3;
    task_.height = task_.width = 8;
  }

  double score(const std::string& name, int classes = 3) {
    const auto proxy = make_proxy(name);
    torch::manual_seed(1);
    TappedToyNetwork network(classes);
    network.train();
    TaskInfo task = task_;
    task.num_classes = classes;
    const double value =
        test::score_with_requirements(*proxy, network, inputs_, labels_, task, nullptr);
    const NetworkHooks& hooks = network.hooks();
    EXPECT_FALSE(hooks.observes_activations()) << name << " left a tap set";
    EXPECT_TRUE(hooks.skip_dead_paths) << name << " left skip_dead_paths off";
    return value;
  }

  torch::Tensor inputs_, labels_;
  TaskInfo task_;
};

// Golden values: /usr/bin/python3 tests/proxies/reference_nbsz_proxies.py
TEST_F(NbszProxyTest, FisherBroadcastsChannelsOverFanIn) {
  EXPECT_NEAR(score("fisher"), 0.020035013556480408, 1e-9);
}
TEST_F(NbszProxyTest, Plain) { EXPECT_NEAR(score("plain"), 0.0057565108872950077, 1e-9); }
TEST_F(NbszProxyTest, L2Norm) { EXPECT_NEAR(score("l2_norm"), 3.3198018074035645, 1e-6); }
TEST_F(NbszProxyTest, Grasp) { EXPECT_NEAR(score("grasp"), -0.0001084841787815094, 1e-10); }
TEST_F(NbszProxyTest, EpeNas) {
  EXPECT_NEAR(score("epe_nas"), 42.303108667205912, test::kCrossHostRelTol * 42.3);
}
TEST_F(NbszProxyTest, EpeNasOverHundredClassesSkipsSingletons) {
  labels_ = torch::tensor({0, 0, 5, 5, 5, 110, 110, 7}, torch::kInt64);
  EXPECT_NEAR(score("epe_nas", 120), 5.8592424308801654, test::kCrossHostRelTol * 5.86);
}
TEST_F(NbszProxyTest, EpeNasWithOnlySingletonsOverHundredClassesIsNaN) {
  // Every class skipped: the reference's division by zero, recorded as NaN as NASLib does.
  labels_ = torch::arange(8, torch::kInt64) * 10;  // 8 classes of one image each
  EXPECT_TRUE(std::isnan(score("epe_nas", 120)));
}
TEST_F(NbszProxyTest, Zen) { EXPECT_NEAR(score("zen"), 1.502244234085083, 1e-5); }
TEST_F(NbszProxyTest, ZenNoBn) { EXPECT_NEAR(score("zen_no_bn"), 0.14537489414215088, 1e-5); }
TEST_F(NbszProxyTest, SynflowBn) { EXPECT_NEAR(score("synflow_bn"), 1.4334653597739042, 1e-9); }
TEST_F(NbszProxyTest, GradNormGlobal) {
  EXPECT_NEAR(score("grad_norm_global"), 0.25232106447219849, 1e-6);
}
TEST_F(NbszProxyTest, NaswotGaussian) {
  EXPECT_NEAR(score("naswot_gaussian"), 348.84783333697482, 1e-9);
}

TEST_F(NbszProxyTest, VariantsDifferFromTheirBase) {
  for (const std::string& name : proxy_names()) {
    const auto proxy = make_proxy(name);
    const std::string base = proxy->info().variant_of;
    if (base.empty()) continue;
    EXPECT_NO_THROW(make_proxy(base)) << name;
    EXPECT_FALSE(proxy->info().summary.empty()) << name;
    EXPECT_GT(std::abs(score(name) - score(base)), 1e-6) << name << " vs " << base;
  }
}

TEST_F(NbszProxyTest, EpeNasNeedsClassificationLogits) {
  class DenseToy : public TappedToyNetwork {
   public:
    torch::Tensor head(torch::Tensor x) override { return x; }  // a dense (N, C, H, W) output
  };
  DenseToy network;
  ProxyContext context;
  context.inputs = inputs_;
  context.labels = labels_;
  context.task = &task_;
  EXPECT_THROW(make_proxy("epe_nas")->score(network, context), UnsupportedError);
}

// Each proxy on real NB201 cells (CIFAR-10 shapes at 16x16, batch 8): finite, and where the
// proxy's meaning fixes it, the all-3x3-conv cell above the cell without any convolution.
TEST(NbszProxiesOnNb201, FiniteAndOrdered) {
  torch::set_num_threads(1);
  const auto space = make_search_space("nb201");
  const TaskInfo task = test::cifar_task(10, 16);
  const std::string convs =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|"
      "nor_conv_3x3~2|";
  const std::string no_conv =
      "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|skip_connect~0|avg_pool_3x3~1|none~2|";
  auto run = [&](const std::string& proxy_name, const std::string& arch) {
    const auto proxy = make_proxy(proxy_name);
    const Complexity complexity = space->complexity(arch, task);
    torch::manual_seed(7);
    auto network = space->build(arch, task);
    network->train();
    torch::manual_seed(11);
    const torch::Tensor inputs = torch::randn({8, 3, 16, 16});
    const torch::Tensor labels = torch::randint(0, 10, {8}, torch::kInt64);
    torch::manual_seed(13);
    return test::score_with_requirements(*proxy, *network, inputs, labels, task, &complexity);
  };
  // More (and wider-reaching) weights: larger norms, larger saliencies, more expressive features.
  const std::set<std::string> ordered = {"l2_norm", "zen", "zen_no_bn", "fisher",
                                         "grad_norm_global"};
  for (const std::string name :
       {"fisher", "plain", "l2_norm", "grasp", "epe_nas", "zen", "synflow_bn", "grad_norm_global",
        "zen_no_bn", "naswot_gaussian"}) {
    const double with_convs = run(name, convs);
    const double without = run(name, no_conv);
    EXPECT_TRUE(std::isfinite(with_convs)) << name;
    EXPECT_TRUE(std::isfinite(without)) << name;
    if (ordered.count(name) > 0) EXPECT_GT(with_convs, without) << name;
  }
}

}  // namespace
}  // namespace zcb
