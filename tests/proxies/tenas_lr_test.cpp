// tenas_lr (TE-NAS linear regions) on NB201's thin network, and the thin network itself.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "common.hpp"  // proxies/: count_distinct_rows
#include "mirror_images.hpp"
#include "proxy_runner.hpp"
#include "worker.hpp"
#include "zcb/error.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

constexpr const char* kAllConv3x3 =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|"
    "nor_conv_3x3~2|";
constexpr const char* kAllSkip =
    "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|"
    "skip_connect~2|";
constexpr const char* kAllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";

// A DARTS-space NDS architecture (4 steps, steps 2..5 concatenated, DARTS operations). The
// reduction cell uses every DARTS operation on the cell inputs, i.e. at stride 2 on 3x3 crops.
constexpr const char* kDartsSpaceArch =
    R"({"aux":false,"depth":8,"drop_prob":0.0,"genotype":{"normal":[["sep_conv_3x3",0],)"
    R"(["sep_conv_5x5",1],["dil_conv_3x3",0],["skip_connect",2],["dil_conv_5x5",1],)"
    R"(["max_pool_3x3",3],["avg_pool_3x3",0],["skip_connect",4]],"normal_concat":[2,3,4,5],)"
    R"("reduce":[["sep_conv_3x3",0],["sep_conv_5x5",1],["dil_conv_3x3",0],["dil_conv_5x5",1],)"
    R"(["max_pool_3x3",0],["avg_pool_3x3",1],["skip_connect",0],["skip_connect",1]],)"
    R"("reduce_concat":[2,3,4,5]},"width":16})";

/// An NDS DARTS-format architecture whose cells are all `op` on the two cell inputs.
std::string uniform_darts_arch(const std::string& op, int steps = 4) {
  std::string edges, concat;
  for (int step = 0; step < steps; ++step) {
    edges += std::string(step ? "," : "") + "[\"" + op + "\",0],[\"" + op + "\",1]";
    concat += std::string(step ? "," : "") + std::to_string(2 + step);
  }
  return R"({"aux":false,"depth":8,"drop_prob":0.0,"genotype":{"normal":[)" + edges +
         R"(],"normal_concat":[)" + concat + R"(],"reduce":[)" + edges + R"(],"reduce_concat":[)" +
         concat + R"(]},"width":16})";
}

std::int64_t parameter_count(Network& network) {
  std::int64_t total = 0;
  for (const auto& parameter : network.parameters()) total += parameter.numel();
  return total;
}

double score_lr(const std::string& arch, const torch::Tensor& images, std::uint64_t seed = 3) {
  const auto space = make_search_space("nb201");
  const auto proxy = make_proxy("tenas_lr");
  const TaskInfo task = test::cifar_task(10, 32);
  torch::manual_seed(7);
  auto network = test::build_for(*proxy, *space, arch, task);
  network->train();
  torch::manual_seed(seed);
  return test::score_with_requirements(*proxy, *network, images, torch::Tensor(), task, nullptr);
}

class TenasLr : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::set_num_threads(1);
    torch::manual_seed(0);
    images_ = torch::randn({200, 3, 32, 32});
  }
  torch::Tensor images_;
};

TEST_F(TenasLr, ThinNb201NetworkIsOneCellAtOneChannel) {
  const auto space = make_search_space("nb201");
  const TaskInfo task = test::cifar_task(10, 32);
  auto thin = space->build_variant(kAllConv3x3, task, NetworkVariant::kTenasThin);
  // 6 ReLU-Conv3x3(1->1)-BN edges (9 + 2 each), lastact BN (2), Linear(1 -> 10) (10 + 10).
  EXPECT_EQ(parameter_count(*thin), 6 * 11 + 2 + 20);
  const torch::Tensor out = thin->forward(torch::randn({5, 1, 3, 3}));
  EXPECT_EQ(out.sizes(), (std::vector<std::int64_t>{5, 10}));
  // The benchmark variant is the benchmark network.
  auto full = space->build_variant(kAllConv3x3, task, NetworkVariant::kBenchmark);
  EXPECT_EQ(parameter_count(*full), space->complexity(kAllConv3x3, task).params);
}

TEST_F(TenasLr, ThinDartsNetworkIsANormalAndAReductionCell) {
  const auto space = make_search_space("nds_darts");
  const TaskInfo task = test::cifar_task(10, 32);
  // All skips. Normal cell (C=1): two ReLU-Conv1x1-BN preprocessings of the 1-channel input
  // (1 + 2 each), identities. Reduction cell (C=2): preprocess0 from the input (2 + 4),
  // preprocess1 from the normal cell's 4 channels (8 + 4), 8 stride-2 skips = FactorizedReduce
  // (two 2->1 1x1 convs + BN(2): 8 each). lastact BN(8) (16), Linear(8 -> 10) (90).
  auto skips =
      space->build_variant(uniform_darts_arch("skip_connect"), task, NetworkVariant::kTenasThin);
  EXPECT_EQ(parameter_count(*skips), 3 + 3 + 6 + 12 + 8 * 8 + 16 + 90);
  // Every DARTS operation takes the odd 3x3 crops at stride 2 (FactorizedReduce pads).
  auto mixed = space->build_variant(kDartsSpaceArch, task, NetworkVariant::kTenasThin);
  mixed->train();
  const torch::Tensor out = mixed->forward(torch::randn({5, 1, 3, 3}));
  EXPECT_EQ(out.sizes(), (std::vector<std::int64_t>{5, 10}));
  EXPECT_TRUE(torch::isfinite(out).all().item<bool>());
  // The DARTS sweeps hold the same space.
  for (const char* name : {"nds_darts_lr_wd", "nds_darts_fix_w_d"}) {
    EXPECT_NO_THROW(
        make_search_space(name)->build_variant(kDartsSpaceArch, task, NetworkVariant::kTenasThin))
        << name;
  }
}

TEST_F(TenasLr, NdsCellsOutsideTheDartsSpaceAreUnsupported) {
  const TaskInfo task = test::cifar_task(10, 32);
  const auto darts = make_search_space("nds_darts");
  // 5 steps (ENAS, PNAS, Amoeba, NASNet), a non-DARTS operation, a partial concat.
  const std::string five_steps = uniform_darts_arch("sep_conv_3x3", 5);
  const std::string conv = uniform_darts_arch("conv_3x3");
  std::string partial = uniform_darts_arch("sep_conv_3x3");
  const std::string whole = R"("normal_concat":[2,3,4,5])";
  partial.replace(partial.find(whole), whole.size(), R"("normal_concat":[2,3,4])");
  for (const std::string& arch : {five_steps, conv, partial}) {
    ASSERT_NO_THROW(darts->canonical(arch)) << arch;  // valid NDS architectures
    try {
      darts->build_variant(arch, task, NetworkVariant::kTenasThin);
      ADD_FAILURE() << "built a thin network for " << arch;
    } catch (const UnsupportedError& e) {
      EXPECT_NE(std::string(e.what()).find("DARTS"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(
      make_search_space("nds_enas")->build_variant(five_steps, task, NetworkVariant::kTenasThin),
      UnsupportedError);
  // The NDS AnyNet spaces have no cells at all.
  EXPECT_THROW(make_search_space("nds_resnet")
                   ->build_variant(R"({"block_type":"res_basic_block","bot_muls":[],)"
                                   R"("ds":[1,1,2],"num_gs":[],"ss":[4,1,2],"ws":[8,8,16]})",
                                   task, NetworkVariant::kTenasThin),
               UnsupportedError);
}

TEST_F(TenasLr, SpacesWithoutAThinNetworkAreUnsupported) {
  const TaskInfo task = test::cifar_task(10, 32);
  EXPECT_THROW(make_search_space("nb101")->build_variant("011001000|input,conv1x1-bn-relu,output",
                                                         task, NetworkVariant::kTenasThin),
               UnsupportedError);
  EXPECT_THROW(
      make_search_space("nats_sss")->build_variant("8:8:8:8:8", task, NetworkVariant::kTenasThin),
      UnsupportedError);
}

TEST_F(TenasLr, AConstantNetworkHasOneRegion) {
  // Every edge 'none': the cell outputs zeros, batch norm keeps them 0, so every sample has the
  // same (all-off) pattern.
  EXPECT_EQ(score_lr(kAllNone, images_), 1.0);
}

TEST_F(TenasLr, SkipCellCountsThePatternsOfItsInputCrops) {
  // All skips: the cell outputs 4x, the batch norm (train mode, per batch of 1000) centres it,
  // so the only ReLU sees [x > mean of the batch]: at most 2^9 patterns of a 3x3 crop.
  const double regions = score_lr(kAllSkip, images_);
  EXPECT_GT(regions, 1.0);
  EXPECT_LE(regions, 512.0);
  EXPECT_EQ(regions, std::floor(regions));
}

TEST_F(TenasLr, ConvolutionsAddRegionsAndTheCountIsDeterministic) {
  const double conv = score_lr(kAllConv3x3, images_);
  EXPECT_GT(conv, score_lr(kAllSkip, images_));
  EXPECT_LE(conv, 3000.0);  // 3 batches of 1000 samples
  EXPECT_EQ(conv, score_lr(kAllConv3x3, images_));
  // Other crops (another proxy seed) give another, similar count.
  const double other = score_lr(kAllConv3x3, images_, 4);
  EXPECT_NEAR(other, conv, 0.2 * conv);
}

TEST_F(TenasLr, RequirementsAskForTheThinNetworkAndUpTo1000Images) {
  const auto proxy = make_proxy("tenas_lr");
  const ProxyRequirements needs = proxy->requirements();
  EXPECT_EQ(needs.network, NetworkVariant::kTenasThin);
  EXPECT_EQ(needs.batch_size, 1000);
  EXPECT_TRUE(needs.batch_up_to_image_count);
  EXPECT_FALSE(needs.needs_labels);
  EXPECT_TRUE(proxy->higher_is_better());
}

// Through the harness: the thin network is built for NB201 and NDS DARTS, the 158-image
// ImageNet16-120 stand-in is used whole (batch_up_to_image_count) instead of failing the 1000-image
// draw, and a space without a thin network records `unsupported`.
TEST(TenasLrHarness, ThinNetworkWholeImageSetAndUnsupportedSpaces) {
  std::string missing;
  const auto image_files = test::mirror_image_files(missing);
  if (image_files.empty()) GTEST_SKIP() << "missing " << missing;
  torch::set_num_threads(1);
  TaskInfo imagenet16 = test::cifar_task(120, 16);
  imagenet16.name = "ImageNet16-120";
  imagenet16.image_source = "imagenet16-120-approx";
  TaskInfo cifar = test::cifar_task(10, 32);
  cifar.image_source = "cifar10";
  JobRunner runner;
  const auto run = [&](const std::string& space, const std::string& arch, const TaskInfo& task) {
    Job job;
    job.space = space;
    job.task = task;
    job.arch = arch;
    job.proxies = {"tenas_lr"};
    job.image_files = image_files;
    const JobResult result = runner.run(job);
    EXPECT_EQ(result.outcomes.size(), 1u);
    return result.outcomes.front();
  };
  for (const TaskInfo* task : {&imagenet16, &cifar}) {
    const ProxyOutcome outcome = run("nb201", kAllConv3x3, *task);
    EXPECT_EQ(outcome.status, RowStatus::kOk) << task->name << ": " << outcome.message;
    EXPECT_GT(outcome.score, 1.0) << task->name;
    EXPECT_LE(outcome.score, 3000.0) << task->name;
  }
  // NDS DARTS (the thin network reads 3x3 crops, so CIFAR images keep this test small).
  const ProxyOutcome darts = run("nds_darts", kDartsSpaceArch, cifar);
  EXPECT_EQ(darts.status, RowStatus::kOk) << darts.message;
  EXPECT_GT(darts.score, 1.0);
  EXPECT_LE(darts.score, 3000.0);
  const ProxyOutcome nb101 = run("nb101", "011001000|input,conv1x1-bn-relu,output", cifar);
  EXPECT_EQ(nb101.status, RowStatus::kUnsupported) << nb101.message;
  EXPECT_NE(nb101.message.find("tenas_thin"), std::string::npos) << nb101.message;
}

TEST(CountDistinctRows, MatchesASetOfRowsOnBothPackings) {
  torch::manual_seed(1);
  for (const std::int64_t columns : {5, 24, 25, 62, 64, 65, 130}) {
    // Few distinct rows among many: rows copied from a small pool.
    const torch::Tensor pool = torch::randint(0, 2, {37, columns}, torch::kUInt8);
    const torch::Tensor rows = pool.index({torch::randint(0, 37, {500}, torch::kInt64)});
    std::set<std::vector<std::uint8_t>> distinct;
    const auto accessor = rows.accessor<std::uint8_t, 2>();
    for (std::int64_t i = 0; i < rows.size(0); ++i) {
      std::vector<std::uint8_t> row(columns);
      for (std::int64_t j = 0; j < columns; ++j) row[j] = accessor[i][j];
      distinct.insert(row);
    }
    EXPECT_EQ(proxies::count_distinct_rows(rows), static_cast<std::int64_t>(distinct.size()))
        << columns << " columns";
    // The same matrix stored column-major (SWAP's transposed view) and as bool.
    const torch::Tensor column_major = rows.t().contiguous().t();
    ASSERT_LT(column_major.stride(0), column_major.stride(1));
    EXPECT_EQ(proxies::count_distinct_rows(column_major),
              static_cast<std::int64_t>(distinct.size()))
        << columns << " columns, column-major";
    EXPECT_EQ(proxies::count_distinct_rows(rows.to(torch::kBool)),
              static_cast<std::int64_t>(distinct.size()))
        << columns << " columns, bool";
  }
}

}  // namespace
}  // namespace zcb
