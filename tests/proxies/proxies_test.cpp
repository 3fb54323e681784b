// Each proxy on a toy network against golden values from an independent Python
// re-implementation of its reference code (reference_proxies.py: foresight's mask trick for
// snip, numpy's eig for jacob_cov, forward hooks for NASWOT), same seeds, same libtorch.
#include <gtest/gtest.h>

#include <cmath>

#include "common.hpp"  // proxies/: gradient_of_sum
#include "ops/ops.hpp"
#include "proxy_runner.hpp"
#include "zcb/error.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"

namespace zcb {
namespace {

class ToyNetwork : public Network {
 public:
  ToyNetwork() {
    const auto& hooks = shared_hooks();
    conv1_ = register_module("conv1", torch::nn::Conv2d(ops::conv_options(3, 4, 3, 1, 1)));
    bn1_ = register_module("bn1", ops::TappedBatchNorm2d(4, hooks));
    relu1_ = register_module("relu1", ops::TappedReLU(hooks));
    conv2_ = register_module("conv2", torch::nn::Conv2d(ops::conv_options(4, 4, 3, 1, 1)));
    bn2_ = register_module("bn2", ops::TappedBatchNorm2d(4, hooks));
    relu2_ = register_module("relu2", ops::TappedReLU(hooks));
    fc_ = register_module("fc", torch::nn::Linear(4, 3));
  }
  torch::Tensor forward_features(torch::Tensor x) override {
    x = relu1_->forward(bn1_->forward(conv1_->forward(x)));
    return relu2_->forward(bn2_->forward(conv2_->forward(x)));
  }
  torch::Tensor head(torch::Tensor x) override {
    return fc_->forward(torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1));
  }

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  ops::TappedBatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  ops::TappedReLU relu1_{nullptr}, relu2_{nullptr};
  torch::nn::Linear fc_{nullptr};
};

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::set_num_threads(1);
    torch::manual_seed(0);
    inputs_ = torch::randn({8, 3, 8, 8});
    labels_ = torch::randint(0, 3, {8}, torch::kInt64);
    task_.name = "toy";
    task_.num_classes = 3;
    task_.height = task_.width = 8;
    complexity_.params = 283;
    complexity_.flops = 12345;
  }

  double score(const std::string& name) {
    const auto proxy = make_proxy(name);
    torch::manual_seed(1);
    ToyNetwork network;
    return test::score_with_requirements(*proxy, network, inputs_, labels_, task_, &complexity_);
  }

  torch::Tensor inputs_, labels_;
  TaskInfo task_;
  Complexity complexity_;
};

// Golden values: /usr/bin/python3 tests/proxies/reference_proxies.py
TEST_F(ProxyTest, Params) { EXPECT_EQ(score("params"), 283.0); }
TEST_F(ProxyTest, FlopsComeFromTheSpace) { EXPECT_EQ(score("flops"), 12345.0); }
TEST_F(ProxyTest, GradNorm) { EXPECT_NEAR(score("grad_norm"), 0.40329524129629135, 1e-12); }
TEST_F(ProxyTest, SnipEqualsTheMaskTrick) {
  EXPECT_NEAR(score("snip"), 0.25037072971463203, 1e-12);
}
TEST_F(ProxyTest, Synflow) { EXPECT_NEAR(score("synflow"), 52.123557975002157, 1e-9); }
TEST_F(ProxyTest, JacobCovEigvalshMatchesNumpyEig) {
  EXPECT_NEAR(score("jacob_cov"), -8.3946161460800965, 1e-6);
}
TEST_F(ProxyTest, Naswot) { EXPECT_NEAR(score("naswot"), 46.340785980409493, 1e-9); }

// At 96x96 a ReLU of the toy has 4 x 96 x 96 = 36,864 units, more than naswot's block of
// 2^15: the blocked kernel must equal K summed directly, c c^T + (1 - c)(1 - c)^T in float64.
TEST_F(ProxyTest, NaswotBlocksGiveTheDirectKernel) {
  torch::manual_seed(2);
  const torch::Tensor inputs = torch::randn({8, 3, 96, 96});
  torch::Tensor kernel = torch::zeros({8, 8}, torch::kFloat64);
  double expected = 0;
  {
    torch::manual_seed(1);
    ToyNetwork network;
    network.hooks().on_relu_input = [&kernel](const torch::Tensor& pre_activation) {
      const torch::Tensor codes = (pre_activation.reshape({8, -1}) > 0).to(torch::kFloat64);
      kernel += codes.matmul(codes.t()) + (1 - codes).matmul((1 - codes).t());
    };
    torch::NoGradGuard no_grad;
    network.forward(inputs);
    expected = std::get<1>(torch::linalg_slogdet(kernel)).item<double>();
  }
  const auto proxy = make_proxy("naswot");
  torch::manual_seed(1);
  ToyNetwork network;
  EXPECT_EQ(test::score_with_requirements(*proxy, network, inputs, labels_, task_, &complexity_),
            expected);
}

TEST_F(ProxyTest, SameInputsSameBits) {
  for (const std::string& name : proxy_names()) {
    if (!test::scores_benchmark_network(name)) continue;  // needs a space's own variant
    try {
      EXPECT_EQ(score(name), score(name)) << name;
    } catch (const UnsupportedError&) {
      // This toy reports no cell outputs: cell-based proxies do not apply to it.
    }
  }
}

// jacob_cov and epe_nas take the input Jacobian from autograd::grad on the input alone; the
// reference's backward() of ones gives these exact bits, and also every weight's gradient.
TEST_F(ProxyTest, GradientOfSumIsTheBackwardOfOnesWithoutWeightGradients) {
  torch::manual_seed(1);
  ToyNetwork network;
  const torch::Tensor by_backward = inputs_.clone().requires_grad_(true);
  const torch::Tensor outputs = network.forward(by_backward);
  outputs.backward(torch::ones_like(outputs));
  network.zero_grad();

  const torch::Tensor by_grad = inputs_.clone().requires_grad_(true);
  const torch::Tensor gradient = proxies::gradient_of_sum(network.forward(by_grad), by_grad);
  ASSERT_TRUE(gradient.defined());
  EXPECT_TRUE(torch::equal(gradient, by_backward.grad()));
  for (const torch::Tensor& weight : network.layer_weights()) {
    EXPECT_FALSE(weight.grad().defined() && weight.grad().abs().sum().item<double>() > 0.0);
  }
}

// A network whose output does not depend on its input (a TransNAS cell whose every input edge
// is 'none' comes to this): no Jacobian, and the reference's NaN.
class InputFreeNetwork : public Network {
 public:
  InputFreeNetwork() {
    map_ = register_parameter("map", torch::randn({1, 4, 2, 2}));
    fc_ = register_module("fc", torch::nn::Linear(4, 3));
  }
  torch::Tensor forward_features(torch::Tensor x) override {
    return map_.expand({x.size(0), 4, 2, 2});
  }
  torch::Tensor head(torch::Tensor x) override {
    return fc_->forward(torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1));
  }

 private:
  torch::Tensor map_;
  torch::nn::Linear fc_{nullptr};
};

TEST_F(ProxyTest, JacobiansOfAnInputFreeNetworkAreNaN) {
  for (const char* name : {"jacob_cov", "epe_nas"}) {
    torch::manual_seed(1);
    InputFreeNetwork network;
    EXPECT_TRUE(std::isnan(test::score_with_requirements(*make_proxy(name), network, inputs_,
                                                         labels_, task_, &complexity_)))
        << name;
  }
}

TEST_F(ProxyTest, DataProxiesRefuseAMissingBatch) {
  const auto proxy = make_proxy("grad_norm");
  ToyNetwork network;
  ProxyContext context;
  context.task = &task_;
  EXPECT_THROW(proxy->score(network, context), Error);
}

TEST(ProxyRegistry, ListsTheSevenFoundationProxies) {
  const std::vector<std::string> expected = {"params",  "flops",     "grad_norm", "snip",
                                             "synflow", "jacob_cov", "naswot"};
  const std::vector<std::string> names = proxy_names();
  ASSERT_GE(names.size(), expected.size());
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + expected.size()), expected);
  for (const auto& name : expected) EXPECT_EQ(make_proxy(name)->name(), name);
}

TEST(ProxyRegistry, UnknownNameListsKnownOnes) {
  try {
    make_proxy("no_such_proxy");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("known: params, flops"), std::string::npos);
  }
}

}  // namespace
}  // namespace zcb
