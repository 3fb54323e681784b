// NB201 space: string round trip, validation, golden complexity against official NATS-Bench
// values, built networks against the analytic counts, and the activation taps.
#include <gtest/gtest.h>

#include <cmath>

#include "zcb/error.hpp"
#include "zcb/network.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
namespace {

TaskInfo task(const std::string& name, int classes, int side) {
  TaskInfo info;
  info.name = name;
  info.num_classes = classes;
  info.height = info.width = side;
  info.image_source = "test";
  return info;
}

const TaskInfo kCifar10 = task("cifar10", 10, 32);
const TaskInfo kCifar100 = task("cifar100", 100, 32);
const TaskInfo kImageNet16 = task("ImageNet16-120", 120, 16);

const char* kArch0 =
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~"
    "2|";
const char* kArch11 =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|";
const char* kArch284 =
    "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|nor_conv_1x1~1|none~2|";
const char* kAllConv3x3 =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~"
    "2|";

std::int64_t built_params(const SearchSpace& space, const std::string& arch, const TaskInfo& t) {
  std::int64_t count = 0;
  for (const auto& parameter : space.build(arch, t)->parameters()) count += parameter.numel();
  return count;
}

TEST(Nb201Space, CanonicalRoundTrip) {
  const auto space = make_search_space("nb201");
  for (const char* arch : {kArch0, kArch11, kArch284, kAllConv3x3}) {
    EXPECT_EQ(space->canonical(arch), arch);
  }
}

TEST(Nb201Space, InvalidStringsAreClearErrors) {
  const auto space = make_search_space("nb201");
  for (const std::string bad :
       {"", "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|",
        "|none~1|+|none~0|none~1|+|none~0|none~1|none~2|", "|none~0|+|none~0|none~1|",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2"}) {
    EXPECT_THROW(space->canonical(bad), Error) << bad;
  }
  try {
    space->canonical("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown operation 'conv'"), std::string::npos);
  }
}

// Official `params` (MB) and `flop` (MFLOPs) of NATS-Bench-TSS archs 0, 11 and 284, read
// from the official sample pickles (shared/data/nats-bench/format-samples/).
struct Golden {
  const char* arch;
  const TaskInfo* task;
  double params_mb;
  double mflops;
};
const Golden kGolden[] = {
    {kArch0, &kCifar10, 0.129306, 15.64737},     {kArch0, &kCifar100, 0.135156, 15.65322},
    {kArch0, &kImageNet16, 0.136456, 3.91948},   {kArch11, &kCifar10, 0.802426, 113.95137},
    {kArch11, &kCifar100, 0.808276, 113.95722},  {kArch11, &kImageNet16, 0.809576, 28.49548},
    {kArch284, &kCifar10, 0.101306, 11.71521},   {kArch284, &kCifar100, 0.107156, 11.72106},
    {kArch284, &kImageNet16, 0.108456, 2.93644},
};

TEST(Nb201Space, ComplexityMatchesOfficialValues) {
  const auto space = make_search_space("nb201");
  for (const Golden& golden : kGolden) {
    const Complexity complexity = space->complexity(golden.arch, *golden.task);
    EXPECT_EQ(complexity.params, std::llround(golden.params_mb * 1e6))
        << golden.arch << " " << golden.task->name;
    EXPECT_NEAR(complexity.flops / 1e6, golden.mflops, 5e-6)
        << golden.arch << " " << golden.task->name;
  }
}

TEST(Nb201Space, BuiltParamsEqualAnalyticCounts) {
  const auto space = make_search_space("nb201");
  for (const Golden& golden : kGolden) {
    EXPECT_EQ(built_params(*space, golden.arch, *golden.task),
              space->complexity(golden.arch, *golden.task).params);
  }
  // The largest network: 1,531,546 parameters (NB201's 1.53 M maximum).
  EXPECT_EQ(built_params(*space, kAllConv3x3, kCifar10), 1531546);
}

TEST(Nb201Space, ForwardGivesLogitsPerClass) {
  const auto space = make_search_space("nb201");
  torch::manual_seed(0);
  const auto network = space->build(kArch11, kImageNet16);
  const auto logits = network->forward(torch::randn({2, 3, 16, 16}));
  EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{2, 120}));
}

TEST(Nb201Space, SameSeedSameWeights) {
  const auto space = make_search_space("nb201");
  torch::manual_seed(3);
  const auto a = space->build(kArch0, kCifar10);
  torch::manual_seed(3);
  const auto b = space->build(kArch0, kCifar10);
  const auto pa = a->parameters(), pb = b->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i]));
}

TEST(Nb201Space, EveryReluIsTapped) {
  // ReLUs: 2 per reduction block x 2, one per conv edge x 15 cells, and the final one.
  const auto space = make_search_space("nb201");
  auto network = space->build(kArch11, kCifar10);  // 3 conv edges per cell
  int calls = 0;
  network->hooks().on_relu_input = [&calls](const torch::Tensor&) { ++calls; };
  torch::NoGradGuard no_grad;
  network->forward(torch::randn({2, 3, 32, 32}));
  EXPECT_EQ(calls, 2 * 2 + 3 * 15 + 1);
}

TEST(Nb201Space, EveryLayerAndCellOutputIsTapped) {
  const auto space = make_search_space("nb201");
  auto network = space->build(kArch284, kCifar10);  // 1 conv edge per cell
  int layers = 0, cells = 0;
  network->hooks().on_layer_output = [&layers](const torch::Tensor&) { ++layers; };
  network->hooks().on_cell_output = [&cells](const torch::Tensor&) { ++cells; };
  torch::NoGradGuard no_grad;
  const torch::Tensor features = network->forward_features(torch::randn({2, 3, 32, 32}));
  EXPECT_EQ(features.sizes(), torch::IntArrayRef({2, 64, 8, 8}));
  EXPECT_EQ(cells, 15 + 2);  // cells and the two reduction blocks
  network->head(features);
  EXPECT_EQ(layers, 1 + 15 + 6 + 1);  // every conv and the classifier, once each
}

TEST(Nb201Space, LayerWeightsAreConvAndLinearOnly) {
  const auto space = make_search_space("nb201");
  auto network = space->build(kArch284, kCifar10);  // 1 conv edge per cell
  // stem + 15 cell convs + 2 x (conv_a, conv_b, shortcut) + classifier
  EXPECT_EQ(network->layer_weights().size(), 1u + 15u + 6u + 1u);
}

TEST(Nb201Space, BatchNormBypass) {
  const auto space = make_search_space("nb201");
  torch::manual_seed(1);
  auto network = space->build(kArch0, kCifar10);
  const auto input = torch::randn({4, 3, 32, 32});
  torch::NoGradGuard no_grad;
  const auto with_norm = network->forward(input);
  network->hooks().bypass_batch_norm = true;
  const auto without = network->forward(input);
  EXPECT_FALSE(torch::allclose(with_norm, without));
}

TEST(SpaceRegistry, UnknownNameListsKnownOnes) {
  try {
    make_search_space("nb999");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("known: nb201"), std::string::npos);
  }
}

}  // namespace
}  // namespace zcb
