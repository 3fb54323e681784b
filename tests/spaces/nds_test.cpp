// NDS spaces (spaces/nds_cell.cpp, spaces/nds_anynet.cpp): canonical JSON round trip,
// validation, golden complexity against the NDS records in the mirror, built networks against
// the analytic counts, taps, skip_dead_paths and every proxy on small CIFAR-setting networks.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "proxy_runner.hpp"
#include "zcb/error.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TaskInfo make_task(const std::string& name, int classes, int side) {
  TaskInfo info;
  info.name = name;
  info.num_classes = classes;
  info.height = info.width = side;
  return info;
}
const TaskInfo kImageNet = make_task("imagenet", 1000, 224);
const TaskInfo kCifar = make_task("cifar10", 10, 32);

fs::path mirror() {
  const char* value = std::getenv("ZCB_MIRROR");
  const fs::path root =
      value != nullptr && *value != '\0' ? fs::path(value) : fs::path(ZCB_DEFAULT_MIRROR);
  std::error_code error;
  return fs::is_directory(root / "gennas-zero" / "nds", error) ? root / "gennas-zero" / "nds"
                                                               : fs::path();
}

// The NDS files are Python json.dump output: NaN tokens (never inside strings there) -> null.
std::vector<json> read_records(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  for (std::size_t at = text.find("NaN"); at != std::string::npos; at = text.find("NaN", at)) {
    text.replace(at, 3, "null");
  }
  const json document = json::parse(text);
  std::vector<json> records;
  if (document.is_array()) return document.get<std::vector<json>>();
  for (const char* part : {"top", "mid"}) {
    for (const json& record : document.at(part)) records.push_back(record);
  }
  return records;
}

struct SpaceFile {
  const char* space;
  const char* file;
  bool cifar;
};
const SpaceFile kFiles[] = {
    {"nds_darts", "DARTS_in.json", false},
    {"nds_darts_lr_wd", "DARTS_lr-wd_in.json", false},
    {"nds_darts_fix_w_d", "DARTS_fix-w-d_in.json", false},
    {"nds_enas", "ENAS_in.json", false},
    {"nds_pnas", "PNAS_in.json", false},
    {"nds_amoeba", "Amoeba_in.json", false},
    {"nds_nasnet", "NASNet_in.json", false},
    {"nds_resnet", "ResNet_lr-wd_in.json", false},
    {"nds_resnet_reruns", "ResNet_reruns.json", true},
    {"nds_resnext_a", "ResNeXt-A_in.json", false},
    {"nds_resnext_b", "ResNeXt-B_in.json", false},
    {"nds_vanilla", "Vanilla_lr-wd_in.json", false},
    {"nds_vanilla_reruns", "Vanilla_reruns.json", true},
};

std::int64_t built_params(const Network& network) {
  std::int64_t count = 0;
  for (const auto& parameter : network.parameters()) count += parameter.numel();
  return count;
}

// Small synthetic architectures (CIFAR setting) for the torch-heavy tests.
const char* kSmallDarts =
    R"({"aux":false,"depth":5,"drop_prob":0.0,"genotype":{"normal":[["sep_conv_3x3",0],)"
    R"(["none",1],["dil_conv_3x3",2],["skip_connect",0],["none",0],["none",2],)"
    R"(["max_pool_3x3",1],["avg_pool_3x3",2]],"normal_concat":[3,5],)"
    R"("reduce":[["conv_7x1_1x7",0],["skip_connect",1],["none",2],["sep_conv_5x5",1],)"
    R"(["dil_sep_conv_3x3",0],["max_pool_5x5",3],["none",0],["none",4]],)"
    R"("reduce_concat":[2,3,4,5]},"width":8})";
const char* kSmallResNeXt =
    R"({"block_type":"res_bottleneck_block","bot_muls":[1.0,0.5,0.25],"ds":[1,2,1],)"
    R"("num_gs":[1,2,2],"ss":[8,1,2],"ws":[16,16,32]})";
const char* kSmallResNet =
    R"({"block_type":"res_basic_block","bot_muls":[],"ds":[1,1,2],"num_gs":[],)"
    R"("ss":[4,1,2],"ws":[8,8,16]})";
const char* kSmallVanilla =
    R"({"block_type":"double_plain_block","bot_muls":[],"ds":[1,2,1],"num_gs":[],)"
    R"("ss":[1,1,2],"ws":[8,16,16]})";

// A fixed sample of 5 records per file; ZCB_NDS_ALL=1 checks (and builds) every record and
// prints the match rates (the figures of the report).
TEST(NdsSpaces, ComplexityMatchesTheNdsRecords) {
  const fs::path root = mirror();
  if (root.empty()) GTEST_SKIP() << "shared data mirror absent (set ZCB_MIRROR)";
  const char* all_flag = std::getenv("ZCB_NDS_ALL");
  const bool all = all_flag != nullptr && std::string(all_flag) == "1";
  for (const SpaceFile& entry : kFiles) {
    SCOPED_TRACE(entry.space);
    const auto space = make_search_space(entry.space);
    const std::vector<json> records = read_records(root / entry.file);
    const std::size_t n = records.size();
    std::vector<std::size_t> sample = {0, n / 4, n / 2, 3 * n / 4, n - 1};
    if (all) {
      sample.clear();
      for (std::size_t i = 0; i < n; ++i) sample.push_back(i);
    }
    std::size_t params_equal = 0, flops_equal = 0;
    double worst_flops_error = 0, total_flops_error = 0;
    for (std::size_t i : sample) {
      const std::string arch = records[i].at("net").dump();
      const Complexity complexity = space->complexity(arch, entry.cifar ? kCifar : kImageNet);
      const auto params = records[i].at("params").get<std::int64_t>();
      const auto flops = records[i].at("flops").get<std::int64_t>();
      EXPECT_EQ(complexity.params, params) << "record " << i;
      params_equal += complexity.params == params;
      flops_equal += complexity.flops == flops;
      const double error = std::abs(static_cast<double>(complexity.flops) / flops - 1.0);
      worst_flops_error = std::max(worst_flops_error, error);
      total_flops_error += error;
      EXPECT_EQ(complexity.flops, flops) << "record " << i;
      EXPECT_EQ(space->canonical(arch), arch);
      if (all) {  // every record also built: built params == analytic params
        torch::NoGradGuard no_grad;
        EXPECT_EQ(built_params(*space->build(arch, entry.cifar ? kCifar : kImageNet)),
                  complexity.params)
            << "record " << i;
      }
    }
    if (all) {
      std::cout << entry.space << " (" << entry.file << "): " << sample.size()
                << " records, params equal " << params_equal << ", flops equal " << flops_equal
                << ", flops relative error mean " << total_flops_error / sample.size() << " max "
                << worst_flops_error << '\n';
    }
  }
}

TEST(NdsSpaces, BuiltParamsEqualAnalyticCounts) {
  const fs::path root = mirror();
  if (root.empty()) GTEST_SKIP() << "shared data mirror absent (set ZCB_MIRROR)";
  torch::NoGradGuard no_grad;
  for (const SpaceFile& entry : kFiles) {
    SCOPED_TRACE(entry.space);
    const auto space = make_search_space(entry.space);
    const std::string arch = read_records(root / entry.file).front().at("net").dump();
    for (const TaskInfo* task : {&kImageNet, &kCifar}) {
      EXPECT_EQ(built_params(*space->build(arch, *task)), space->complexity(arch, *task).params)
          << task->name;
    }
  }
}

TEST(NdsSpaces, SmallArchitecturesBuildAsCounted) {
  const std::vector<std::pair<const char*, const char*>> archs = {{"nds_darts", kSmallDarts},
                                                                  {"nds_resnext_a", kSmallResNeXt},
                                                                  {"nds_resnet", kSmallResNet},
                                                                  {"nds_vanilla", kSmallVanilla}};
  torch::NoGradGuard no_grad;
  for (const auto& [name, arch] : archs) {
    const auto space = make_search_space(name);
    for (const TaskInfo* task : {&kCifar, &kImageNet}) {
      auto network = space->build(arch, *task);
      EXPECT_EQ(built_params(*network), space->complexity(arch, *task).params) << name;
    }
    auto network = space->build(arch, kCifar);
    network->eval();
    EXPECT_EQ(network->forward(torch::randn({2, 3, 32, 32})).sizes(),
              (std::vector<std::int64_t>{2, 10}))
        << name;
  }
}

TEST(NdsSpaces, ImageNetForwardGivesLogits) {
  torch::NoGradGuard no_grad;
  for (const auto& [name, arch] : std::vector<std::pair<const char*, const char*>>{
           {"nds_darts", kSmallDarts}, {"nds_resnext_b", kSmallResNeXt}}) {
    auto network = make_search_space(name)->build(arch, kImageNet);
    network->eval();
    EXPECT_EQ(network->forward(torch::randn({1, 3, 224, 224})).sizes(),
              (std::vector<std::int64_t>{1, 1000}))
        << name;
  }
}

TEST(NdsSpaces, CanonicalSortsKeysAndDropsSpaces) {
  const auto space = make_search_space("nds_resnet");
  const std::string messy = R"({ "ws": [8, 8, 16], "ss": [4, 1, 2], "num_gs": [], "ds": [1, 1, 2],)"
                            R"( "bot_muls": [], "block_type": "res_basic_block" })";
  EXPECT_EQ(space->canonical(messy), kSmallResNet);
  EXPECT_EQ(make_search_space("nds_darts")->canonical(kSmallDarts), kSmallDarts);
}

void expect_error(const std::string& space, const std::string& arch, const std::string& text) {
  try {
    make_search_space(space)->canonical(arch);
    ADD_FAILURE() << "no error for " << arch;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

TEST(NdsSpaces, InvalidArchitecturesAreClearErrors) {
  expect_error("nds_darts", "|none~0|", "is not JSON");
  expect_error("nds_darts", R"({"aux":false})", "has no 'depth'");
  expect_error("nds_darts", replaced(kSmallDarts, "sep_conv_3x3", "conv_9x9"),
               "unknown operation 'conv_9x9'");
  expect_error("nds_darts", replaced(kSmallDarts, R"(["none",1])", R"(["none",3])"),
               "reads state 3");
  expect_error("nds_darts", replaced(kSmallDarts, "\"aux\":false", "\"aux\":true"), "aux=true");
  expect_error("nds_darts", replaced(kSmallDarts, "\"width\":8", "\"width\":7"), "must be even");
  expect_error("nds_darts", replaced(kSmallDarts, "[3,5]", "[3,9]"), "names state 9");
  expect_error("nds_darts", replaced(kSmallDarts, "\"depth\":5", "\"depth\":5,\"x\":1"),
               "unknown key 'x'");
  expect_error("nds_resnet", replaced(kSmallResNet, "res_basic_block", "dense_block"),
               "unknown block_type 'dense_block'");
  expect_error("nds_resnext_a", replaced(kSmallResNeXt, "[1,2,2]", "[1,3,2]"),
               "not divisible into 3 groups");
  expect_error("nds_resnet", replaced(kSmallResNet, "[4,1,2]", "[3,1,2]"), "ss[0] = 3");
  expect_error("nds_resnet", replaced(kSmallResNet, "[8,8,16]", "[8,8]"), "same length");
  EXPECT_THROW(make_search_space("nds_darts")->build(kSmallDarts, make_task("cifar10", 10, 30)),
               Error);
  EXPECT_THROW(make_search_space("nds_resnet")->build(kSmallResNet, make_task("x", 0, 32)), Error);
}

TEST(NdsSpaces, EveryCellAndBlockOutputIsTapped) {
  torch::NoGradGuard no_grad;
  auto cells = make_search_space("nds_darts")->build(kSmallDarts, kCifar);
  int cell_calls = 0;
  cells->hooks().on_cell_output = [&](const torch::Tensor&) { ++cell_calls; };
  cells->forward(torch::randn({2, 3, 32, 32}));
  EXPECT_EQ(cell_calls, 5);
  auto blocks = make_search_space("nds_resnext_a")->build(kSmallResNeXt, kCifar);
  int block_calls = 0, relus = 0;
  blocks->hooks().on_cell_output = [&](const torch::Tensor&) { ++block_calls; };
  blocks->hooks().on_relu_input = [&](const torch::Tensor&) { ++relus; };
  blocks->forward(torch::randn({2, 3, 32, 32}));
  EXPECT_EQ(block_calls, 3);
  EXPECT_EQ(relus, 1 + 3 * 3);  // stem, then a, b and the sum's ReLU per block
  EXPECT_EQ(blocks->layer_weights().size(), 1u + (3 * 3 + 1) + 1u);  // stem, convs + 1 proj, fc
}

TEST(NdsSpaces, SameSeedSameWeights) {
  for (const auto& [name, arch] : std::vector<std::pair<const char*, const char*>>{
           {"nds_darts", kSmallDarts}, {"nds_resnext_a", kSmallResNeXt}}) {
    const auto space = make_search_space(name);
    torch::manual_seed(5);
    const auto a = space->build(arch, kCifar);
    torch::manual_seed(5);
    const auto b = space->build(arch, kCifar);
    const auto pa = a->parameters(), pb = b->parameters();
    ASSERT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i])) << name;
  }
}

std::uint64_t bits(double value) {
  std::uint64_t out = 0;
  std::memcpy(&out, &value, sizeof(out));
  return out;
}

double score(const std::string& proxy_name, const std::string& space_name, const std::string& arch,
             bool skip) {
  const auto space = make_search_space(space_name);
  const auto proxy = make_proxy(proxy_name);
  const TaskInfo task = test::cifar_task(10, 32);
  const Complexity complexity = space->complexity(arch, task);
  torch::manual_seed(7);
  auto network = space->build(arch, task);
  network->hooks().skip_dead_paths = skip;
  network->train();
  torch::manual_seed(11);
  const torch::Tensor inputs = torch::randn({4, 3, 32, 32});
  const torch::Tensor labels = torch::randint(0, 10, {4}, torch::kInt64);
  torch::manual_seed(13);
  return test::score_with_requirements(*proxy, *network, inputs, labels, task, &complexity);
}

// kSmallDarts has 'none' ops, a normal step (4) whose value never reaches the output and a
// reduction step made of two 'none' ops: every skipping rule fires.
TEST(NdsSpaces, EveryProxyIsFiniteAndSkipDeadPathsIsBitIdentical) {
  torch::set_num_threads(1);
  for (const std::string& name : proxy_names()) {
    // tenas_lr scores a thin variant these spaces do not define (TenasLr tests).
    if (!test::scores_benchmark_network(name)) continue;
    const double skipped = score(name, "nds_darts", kSmallDarts, true);
    const double full = score(name, "nds_darts", kSmallDarts, false);
    EXPECT_TRUE(std::isfinite(skipped)) << name;
    EXPECT_EQ(bits(skipped), bits(full)) << name << ": " << skipped << " vs " << full;
    for (const auto& [space, arch] :
         std::vector<std::pair<const char*, const char*>>{{"nds_resnext_a", kSmallResNeXt},
                                                          {"nds_resnet", kSmallResNet},
                                                          {"nds_vanilla", kSmallVanilla}}) {
      EXPECT_TRUE(std::isfinite(score(name, space, arch, true))) << name << " on " << space;
    }
  }
}

// Against an independent PyTorch transcription of pycls's NetworkCIFAR and AnyNet
// (reference_nds.py): same seed, same batch, four proxies. Equal values mean equal weights
// (construction order, pycls init for AnyNet), structure and forward pass.
struct Expected {
  const char* space;
  const char* arch;
  std::int64_t params;
  double grad_norm, synflow, naswot, jacob_cov;
};

TEST(NdsReference, ProxiesMatchThePyclsTranscription) {
  // /usr/bin/python3 tests/spaces/reference_nds.py
  const Expected expected[] = {
      {"nds_darts", kSmallDarts, 46298, 34.819585077464581, 1194034136.8755088, 96.96308505026866,
       -8.0103037171179139},
      {"nds_resnext_a", kSmallResNeXt, 3354, 0.96383224450983107, 14468398.984548137,
       88.466978077910866, -8.0110837740153542},
  };
  torch::set_num_threads(1);
  torch::manual_seed(0);
  const torch::Tensor inputs = torch::randn({8, 3, 32, 32});
  const torch::Tensor labels = torch::randint(0, 10, {8}, torch::kInt64);
  const TaskInfo task = test::cifar_task();
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.space);
    const auto space = make_search_space(e.space);
    EXPECT_EQ(space->complexity(e.arch, task).params, e.params);
    auto run = [&](const std::string& proxy_name) {
      const auto proxy = make_proxy(proxy_name);
      torch::manual_seed(1);
      auto network = space->build(e.arch, task);
      return test::score_with_requirements(*proxy, *network, inputs, labels, task, nullptr);
    };
    EXPECT_NEAR(run("grad_norm") / e.grad_norm, 1.0, test::kCrossHostRelTol);
    EXPECT_NEAR(run("synflow") / e.synflow, 1.0, 1e-9);
    EXPECT_NEAR(run("naswot"), e.naswot, test::kCrossHostRelTol * std::abs(e.naswot));
    EXPECT_NEAR(run("jacob_cov"), e.jacob_cov, test::kCrossHostRelTol * std::abs(e.jacob_cov));
  }
}

// Not a test: the measurement of the report, run once by hand, one network per process (peak
// RSS is per process):
//   ZCB_NDS_MEASURE="nds_resnet ResNet_lr-wd_in.json 114 64 grad_norm" \
//     build/tests/zcb_torch_tests --gtest_also_run_disabled_tests \
//     --gtest_filter=NdsMeasure.DISABLED_LargestNetwork
// (space, file, record, batch, proxy) on the ImageNet task (CIFAR for *_reruns).
TEST(NdsMeasure, DISABLED_LargestNetwork) {
  const char* spec = std::getenv("ZCB_NDS_MEASURE");
  const fs::path root = mirror();
  if (spec == nullptr || root.empty()) GTEST_SKIP() << "set ZCB_NDS_MEASURE and the mirror";
  std::istringstream fields(spec);
  std::string space_name, file, proxy_name;
  std::size_t record = 0;
  int batch = 0;
  fields >> space_name >> file >> record >> batch >> proxy_name;
  const bool cifar = file.find("reruns") != std::string::npos;
  const TaskInfo& task = cifar ? kCifar : kImageNet;
  const auto space = make_search_space(space_name);
  const std::string arch = read_records(root / file).at(record).at("net").dump();
  torch::set_num_threads(1);
  torch::manual_seed(0);
  const auto start = std::chrono::steady_clock::now();
  auto network = space->build(arch, task);
  const auto built = std::chrono::steady_clock::now();
  const torch::Tensor inputs = torch::randn({batch, 3, task.height, task.width});
  const torch::Tensor labels = torch::randint(0, task.num_classes, {batch}, torch::kInt64);
  const Complexity complexity = space->complexity(arch, task);
  const double value = test::score_with_requirements(*make_proxy(proxy_name), *network, inputs,
                                                     labels, task, &complexity);
  const auto scored = std::chrono::steady_clock::now();
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << space_name << " " << file << " record " << record << ": params " << complexity.params
            << ", build " << std::chrono::duration<double, std::milli>(built - start).count()
            << " ms, " << proxy_name << " (batch " << batch << ") = " << value << " in "
            << std::chrono::duration<double, std::milli>(scored - built).count() << " ms, peak RSS "
            << usage.ru_maxrss / 1024 << " MiB\n";
}

}  // namespace
}  // namespace zcb
