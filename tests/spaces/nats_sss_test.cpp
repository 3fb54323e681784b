// NATS-Bench SSS space: index <-> string, validation, golden complexity against the official
// sample files, built networks against the analytic counts, the taps, an independent PyTorch
// transcription of xautodl's DynamicShapeTinyNet (reference_nb101_sss.py), and every
// registered proxy on a few architectures and tasks.
#include "nats_sss.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "proxy_runner.hpp"
#include "zcb/error.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
namespace {

TaskInfo task(const std::string& name, int classes, int side) {
  TaskInfo info = test::cifar_task(classes, side);
  info.name = name;
  return info;
}

const TaskInfo kCifar10 = task("cifar10", 10, 32);
const TaskInfo kCifar100 = task("cifar100", 100, 32);
const TaskInfo kImageNet16 = task("ImageNet16-120", 120, 16);

std::int64_t built_params(const std::string& arch, const TaskInfo& t) {
  std::int64_t count = 0;
  for (const auto& p : make_search_space("nats_sss")->build(arch, t)->parameters()) {
    count += p.numel();
  }
  return count;
}

TEST(NatsSssSpace, OfficialIndexOrder) {
  // meta_archs of NATS-sss-v1_0-50262 (shared/data/nats-bench/format-samples).
  EXPECT_EQ(nats_sss_arch_string(0), "8:8:8:8:8");
  EXPECT_EQ(nats_sss_arch_string(1), "8:8:8:8:16");
  EXPECT_EQ(nats_sss_arch_string(8), "8:8:8:16:8");
  EXPECT_EQ(nats_sss_arch_string(11), "8:8:8:16:32");
  EXPECT_EQ(nats_sss_arch_string(284), "8:8:40:32:40");
  EXPECT_EQ(nats_sss_arch_string(32767), "64:64:64:64:64");
  const auto space = make_search_space("nats_sss");
  for (std::int64_t index = 0; index < kNatsSssSize; ++index) {
    const std::string arch = nats_sss_arch_string(index);
    ASSERT_EQ(nats_sss_index(arch), index);
    ASSERT_EQ(space->canonical(arch), arch);
  }
  EXPECT_THROW(nats_sss_arch_string(-1), Error);
  EXPECT_THROW(nats_sss_arch_string(kNatsSssSize), Error);
}

TEST(NatsSssSpace, InvalidStringsAreClearErrors) {
  const auto space = make_search_space("nats_sss");
  for (const std::string bad :
       {"", "8:8:8:8", "8:8:8:8:8:8", "8:8:8:8:12", "8:8:8:8:72", "8:8:8:8:0", "08:8:8:8:8",
        "8:8:8:8:+8", "8:8::8:8", "8:8:8:8:8:", " 8:8:8:8:8", "8:8:8:8:8a", "8:8:8:8:640",
        "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|"}) {
    try {
      space->canonical(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("C1:C2:C3:C4:C5"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(space->build("8:8:8:8:8", task("odd", 10, 18)), Error);
}

// Official `params` (MB) and `flop` (MFLOPs) of archs 0, 11 and 284 (hp "90" results in
// NATS-sss-v1_0-50262-simple/000000, 000011, 000284.pickle.pbz2).
struct Golden {
  const char* arch;
  const TaskInfo* task;
  double params_mb;
  double mflops;
};
const Golden kGolden[] = {
    {"8:8:8:8:8", &kCifar10, 0.011714, 4.481114},
    {"8:8:8:8:8", &kCifar100, 0.012524, 4.481924},
    {"8:8:8:8:8", &kImageNet16, 0.012704, 1.121336},
    {"8:8:8:16:32", &kCifar10, 0.049202, 6.84065},
    {"8:8:8:16:32", &kCifar100, 0.052172, 6.84362},
    {"8:8:8:16:32", &kImageNet16, 0.052832, 1.71404},
    {"8:8:40:32:40", &kCifar10, 0.144834, 21.827994},
    {"8:8:40:32:40", &kCifar100, 0.148524, 21.831684},
    {"8:8:40:32:40", &kImageNet16, 0.149344, 5.461816},
};

TEST(NatsSssSpace, ComplexityMatchesOfficialValues) {
  const auto space = make_search_space("nats_sss");
  for (const Golden& golden : kGolden) {
    const Complexity complexity = space->complexity(golden.arch, *golden.task);
    EXPECT_EQ(complexity.params, std::llround(golden.params_mb * 1e6))
        << golden.arch << " " << golden.task->name;
    EXPECT_EQ(complexity.flops, std::llround(golden.mflops * 1e6))
        << golden.arch << " " << golden.task->name;
    EXPECT_EQ(built_params(golden.arch, *golden.task), complexity.params) << golden.arch;
  }
  // Channel changes inside cells (FactorizedReduce skip) and the largest network.
  for (const char* arch : {"64:16:24:8:56", "16:8:64:64:8", "64:64:64:64:64"}) {
    EXPECT_EQ(built_params(arch, kCifar100), space->complexity(arch, kCifar100).params) << arch;
  }
}

TEST(NatsSssSpace, TapsSeeEveryLayerAndCell) {
  const auto space = make_search_space("nats_sss");
  // Cells 16 -> 16 (identity skip), 24 -> 32 and 8 -> 40 (FactorizedReduce skips).
  auto network = space->build("16:24:32:8:40", kImageNet16);
  int relus = 0, layers = 0, cells = 0;
  network->hooks().on_relu_input = [&relus](const torch::Tensor&) { ++relus; };
  network->hooks().on_layer_output = [&layers](const torch::Tensor&) { ++layers; };
  network->hooks().on_cell_output = [&cells](const torch::Tensor&) { ++cells; };
  torch::NoGradGuard no_grad;
  const torch::Tensor features = network->forward_features(torch::randn({2, 3, 16, 16}));
  EXPECT_EQ(features.sizes(), torch::IntArrayRef({2, 40, 4, 4}));
  EXPECT_EQ(cells, 5);
  EXPECT_EQ(relus, 3 * 5 + 2 * 2 + 1);  // 5 ReLU-conv edges per cell, 2 per block, last
  network->head(features);
  // stem + 3 x 5 cell convs + 2 skip convs + 2 x 3 block convs + classifier
  EXPECT_EQ(layers, 1 + 15 + 2 + 6 + 1);
  EXPECT_EQ(network->layer_weights().size(), static_cast<std::size_t>(layers));
}

struct Expected {
  const char* arch;
  std::int64_t params;
  double grad_norm, synflow, naswot, jacob_cov;
};

// /usr/bin/python3 tests/spaces/reference_nb101_sss.py (batch 8 x 3 x 16 x 16, seeds 0 / 1)
const Expected kExpected[] = {
    {"8:8:40:32:40", 144834, 19.09608256816864, 15497819913847.99, 78.119550201705238,
     -8.0621323132259111},
    {"64:16:24:8:56", 319626, 27.39497846364975, 297724890777302.5, 89.380214269499845,
     -8.0331443276691097},
};

double score(const std::string& proxy_name, const std::string& arch, const torch::Tensor& inputs,
             const torch::Tensor& labels) {
  const auto proxy = make_proxy(proxy_name);
  const TaskInfo t = task("cifar10", 10, 16);
  torch::manual_seed(1);
  auto network = make_search_space("nats_sss")->build(arch, t);
  return test::score_with_requirements(*proxy, *network, inputs, labels, t, nullptr);
}

TEST(NatsSssReference, ProxiesMatchTheXautodlTranscription) {
  torch::set_num_threads(1);
  torch::manual_seed(0);
  const torch::Tensor inputs = torch::randn({8, 3, 16, 16});
  const torch::Tensor labels = torch::randint(0, 10, {8}, torch::kInt64);
  for (const Expected& expected : kExpected) {
    SCOPED_TRACE(expected.arch);
    EXPECT_EQ(built_params(expected.arch, kCifar10), expected.params);
    EXPECT_NEAR(score("grad_norm", expected.arch, inputs, labels) / expected.grad_norm, 1.0,
                test::kCrossHostRelTol);
    EXPECT_NEAR(score("synflow", expected.arch, inputs, labels) / expected.synflow, 1.0, 1e-9);
    EXPECT_NEAR(score("naswot", expected.arch, inputs, labels), expected.naswot,
                test::kCrossHostRelTol * std::abs(expected.naswot));
    EXPECT_NEAR(score("jacob_cov", expected.arch, inputs, labels), expected.jacob_cov,
                test::kCrossHostRelTol * std::abs(expected.jacob_cov));
  }
}

TEST(NatsSssProxies, EveryProxyGivesAFiniteScoreOnEveryTask) {
  torch::set_num_threads(1);
  const auto space = make_search_space("nats_sss");
  for (const TaskInfo* t : {&kCifar10, &kCifar100, &kImageNet16}) {
    torch::manual_seed(5);
    const torch::Tensor inputs = torch::randn({4, 3, t->height, t->width});
    const torch::Tensor labels = torch::randint(0, t->num_classes, {4}, torch::kInt64);
    for (const char* arch : {"8:8:8:8:8", "16:8:24:8:16"}) {
      const Complexity complexity = space->complexity(arch, *t);
      for (const std::string& name : proxy_names()) {
        // tenas_lr scores a thin variant these spaces do not define (TenasLr tests).
        if (!test::scores_benchmark_network(name)) continue;
        torch::manual_seed(2);
        auto network = space->build(arch, *t);
        const auto proxy = make_proxy(name);
        const double value =
            test::score_with_requirements(*proxy, *network, inputs, labels, *t, &complexity);
        // EPE-NAS needs two images of a class: with 4 images of 120 classes every class term is
        // undefined and the score is NaN, as in its reference code (NASLib clamps it to -1e8).
        if (name == "epe_nas" && t->num_classes > 100) continue;
        EXPECT_TRUE(std::isfinite(value)) << name << " on " << arch << " " << t->name;
      }
    }
  }
}

}  // namespace
}  // namespace zcb
