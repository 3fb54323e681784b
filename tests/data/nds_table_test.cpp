#include "zcb/data/nds_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "zcb/data/benchmark_status.hpp"
#include "zcb/data/convert.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/data/python_json.hpp"
#include "zip_fixture.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using testing::build_zip;
using ::testing::HasSubstr;

std::map<std::string, fs::path> mirror_files(const fs::path& mirror, const std::string& bench) {
  std::map<std::string, fs::path> files;
  for (const ManifestFile& file : manifest_for(bench).files) {
    if (file.required) files[file.name] = mirror / file.mirror_path;
  }
  return files;
}

TEST(PythonJson, ReadsNanAndInfinityAsNull) {
  const nlohmann::json doc = parse_python_json(
      R"({"a": [NaN, 1.5, Infinity, -Infinity], "s": "NaN \"x\" Infinity"})", "t.json");
  EXPECT_EQ(doc.at("a").dump(), "[null,1.5,null,null]");
  EXPECT_EQ(doc.at("s"), "NaN \"x\" Infinity");  // strings are left alone
}

TEST(PythonJson, ErrorsNameTheSource) {
  EXPECT_THAT(testing::error_message([] { parse_python_json("[1, 2", "t.json"); }),
              HasSubstr("t.json: not valid JSON"));
  EXPECT_THAT(testing::error_message([] { parse_python_json(std::string(300, '['), "t.json"); }),
              HasSubstr("t.json: JSON nested deeper than 256 levels"));
  EXPECT_THAT(testing::error_message([] { parse_python_json("[Nan]", "t.json"); }),
              HasSubstr("not valid JSON"));
}

// A minimal valid NDS file with @p records (each a JSON object text).
std::string nds_record(const std::string& net, const std::string& test_errors) {
  return R"({"net": )" + net + R"(, "params": 100, "flops": 2000, "test_ep_top1": )" + test_errors +
         R"(, "min_test_top1": 30.0, "train_ep_top1": [50.0, 40.0], )" +
         R"("optim": {"base_lr": 0.1, "wd": 5e-5, "max_ep": 2}, "rng_seed": 3})";
}

const char* kAnyNet =
    R"({"ws": [16, 32], "ds": [1, 2], "ss": [1, 2], "bot_muls": [], "num_gs": [], "block_type": "res_basic_block"})";

TEST(NdsConvert, SyntheticFileAndErrors) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "ResNet_reruns.json";
  const auto convert = [&](const std::string& text) {
    testing::write_file(path, text);
    return convert_nds("nds-resnet-reruns", {{"ResNet_reruns.json", path}});
  };
  const BenchmarkTable table =
      convert(R"({"top": [)" + nds_record(kAnyNet, "[50.0, 40.0]") + R"(], "mid": [)" +
              nds_record(kAnyNet, "[60.0, NaN]") + "]}");
  ASSERT_EQ(table.size(), 2u);
  // Canonical: keys sorted, no spaces.
  EXPECT_EQ(
      table.arch_strings[0],
      R"({"block_type":"res_basic_block","bot_muls":[],"ds":[1,2],"num_gs":[],"ss":[1,2],"ws":[16,32]})");
  const TaskTable& task = table.task("cifar10");
  EXPECT_EQ(task.info.num_classes, 10);
  EXPECT_EQ(task.metric("test_acc_last_ep")[0], 60.0);
  EXPECT_TRUE(std::isnan(task.metric("test_acc_last_ep")[1]));
  EXPECT_EQ(task.metric("test_acc_best_ep")[0], 70.0);
  EXPECT_EQ(task.metric("train_acc_last_ep")[0], 60.0);
  EXPECT_EQ(task.metric("hp_wd")[0], 5e-5);
  EXPECT_EQ(table.params[0], 100);
  EXPECT_EQ(table.flops[1], 2000);
  EXPECT_THAT(table.provenance.at("notes").dump(), HasSubstr("1 error values were NaN"));

  const auto error = [&](const std::string& text) {
    return testing::error_message([&] { convert(text); });
  };
  EXPECT_THAT(error("{}"), HasSubstr("neither a list of NDS records"));
  EXPECT_THAT(error("[]"), HasSubstr("no records"));
  EXPECT_THAT(error("[" + nds_record(R"({"ws": [1]})", "[1.0]") + "]"),
              HasSubstr("record 0 'net' has no 'block_type' (an AnyNet space needs"));
  EXPECT_THAT(error("[" + nds_record(kAnyNet, "[]") + "]"),
              HasSubstr("'test_ep_top1' is not a non-empty list"));
  EXPECT_THAT(error("[" + nds_record(kAnyNet, "[120.0]") + "]"), HasSubstr("outside [0, 100]"));
  EXPECT_THAT(error("[" + nds_record(kAnyNet, R"(["x"])") + "]"), HasSubstr("is not a number"));
  EXPECT_THAT(error(R"([{"net": {}}])"), HasSubstr("has no 'block_type'"));
  const fs::path darts = dir.path() / "DARTS_in.json";
  testing::write_file(darts, "[" + nds_record(kAnyNet, "[1.0]") + "]");
  EXPECT_THAT(testing::error_message([&] {
                convert_nds("nds-darts-in", {{"DARTS_in.json", darts}});
              }),
              HasSubstr("'net' has no 'genotype' (a cell space needs genotype, width and depth)"));
  EXPECT_THAT(error(R"([{"params": 1}])"), HasSubstr("record 0 has no 'net'"));
  EXPECT_THAT(testing::error_message([] { convert_nds("nds-nope", {}); }),
              HasSubstr("no NDS benchmark 'nds-nope'; known: nds-amoeba-cifar, nds-amoeba-in"));
  EXPECT_THAT(testing::error_message([] { convert_nds("nds-darts-in", {}); }),
              HasSubstr("needs the file 'DARTS_in.json'"));
}

// A cell-space `net` in the form of the NDS files (structure of a real record, made-up values).
const char* kCellNet =
    R"({"aux": false, "depth": 8, "drop_prob": 0.0, "genotype": {"normal": [["sep_conv_3x3", 0],)"
    R"( ["skip_connect", 1]], "normal_concat": [2], "reduce": [["max_pool_3x3", 0],)"
    R"( ["dil_conv_5x5", 1]], "reduce_concat": [2]}, "width": 16})";

TEST(NdsCifarConvert, ReadsTheSweepFromTheOfficialArchive) {
  testing::TempDir dir;
  const fs::path zip = dir.path() / "data.zip";
  const std::string darts =
      "[" + nds_record(kCellNet, "[50.0, 7.25]") + ", " + nds_record(kCellNet, "[60.0, NaN]") + "]";
  // Official layout: every sweep file in one folder (NNI unzips it to nds_data/).
  testing::write_file(
      zip, build_zip({{"nds_data/", ""},
                      {"nds_data/DARTS_in.json", "[]", true},
                      {"nds_data/DARTS.json", darts, true},
                      {"__MACOSX/nds_data/DARTS.json", "junk"},
                      {"nds_data/ResNet.json", "[" + nds_record(kAnyNet, "[9.5]") + "]"}}));
  const BenchmarkTable table = convert_benchmark("nds-darts-cifar", {{"data.zip", zip}});
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.benchmark, "nds-darts-cifar");
  EXPECT_EQ(table.arch_strings[0],
            R"({"aux":false,"depth":8,"drop_prob":0.0,"genotype":{"normal":[["sep_conv_3x3",0],)"
            R"(["skip_connect",1]],"normal_concat":[2],"reduce":[["max_pool_3x3",0],)"
            R"(["dil_conv_5x5",1]],"reduce_concat":[2]},"width":16})");
  const TaskTable& task = table.task("cifar10");
  EXPECT_EQ(task.info.num_classes, 10);
  EXPECT_EQ(task.info.height, 32);
  EXPECT_EQ(task.info.default_metric, "test_acc_last_ep");
  EXPECT_EQ(task.metric("test_acc_last_ep")[0], 92.75);
  EXPECT_TRUE(std::isnan(task.metric("test_acc_last_ep")[1]));
  EXPECT_EQ(task.metric("test_acc_best_ep")[1], 70.0);
  EXPECT_EQ(task.metric("hp_epochs")[0], 2);
  EXPECT_EQ(table.params[1], 100);
  EXPECT_EQ(table.provenance.at("sources").at(0).at("name"), "data.zip");
  EXPECT_THAT(table.provenance.at("notes").dump(),
              HasSubstr("member nds_data/DARTS.json of the official data.zip"));
  // The same archive serves the AnyNet sweeps; a member at the top level is found too.
  EXPECT_EQ(convert_benchmark("nds-resnet-cifar", {{"data.zip", zip}})
                .task("cifar10")
                .metric("test_acc_last_ep")[0],
            90.5);
  const fs::path flat = dir.path() / "flat.zip";
  testing::write_file(flat, build_zip({{"ENAS.json", "[" + nds_record(kCellNet, "[1.0]") + "]"}}));
  EXPECT_EQ(convert_benchmark("nds-enas-cifar", {{"data.zip", flat}}).size(), 1u);

  // Errors name the archive and member, and say what to do.
  EXPECT_THAT(testing::error_message([&] {
                convert_nds("nds-pnas-cifar", {{"data.zip", zip}});
              }),
              HasSubstr("no member PNAS.json (at the top or in one folder)"));
  const fs::path twice = dir.path() / "twice.zip";
  testing::write_file(twice, build_zip({{"a/PNAS.json", "[]"}, {"b/PNAS.json", "[]"}}));
  EXPECT_THAT(testing::error_message([&] {
                convert_nds("nds-pnas-cifar", {{"data.zip", twice}});
              }),
              HasSubstr("2 members named PNAS.json (a/PNAS.json, b/PNAS.json)"));
  const fs::path bad = dir.path() / "bad.zip";
  testing::write_file(
      bad, build_zip({{"nds_data/NASNet.json", "[" + nds_record(kAnyNet, "[1.0]") + "]"}}));
  EXPECT_THAT(testing::error_message([&] {
                convert_nds("nds-nasnet-cifar", {{"data.zip", bad}});
              }),
              HasSubstr("bad.zip member nds_data/NASNet.json record 0 'net' has no 'genotype'"));
  testing::write_file(bad, "not a zip");
  EXPECT_THAT(testing::error_message([&] {
                convert_nds("nds-nasnet-cifar", {{"data.zip", bad}});
              }),
              HasSubstr("bad.zip"));
}

TEST(NdsCifarConvert, MissingArchiveSaysWhereToPutIt) {
  EXPECT_THAT(testing::error_message([] { convert_benchmark("nds-vanilla-cifar", {}); }),
              HasSubstr("nds-vanilla-cifar: data.zip not present: download "
                        "https://dl.fbaipublicfiles.com/nds/data.zip to "
                        "<data_root>/raw/nds-vanilla-cifar/data.zip"));
  // Fetch never downloads it (optional, no checksum), and a convert of every benchmark can
  // tell that it cannot build the table.
  const Manifest manifest = manifest_for("nds-vanilla-cifar");
  ASSERT_EQ(manifest.files.size(), 1u);
  EXPECT_FALSE(manifest.files[0].required);
  EXPECT_EQ(manifest.files[0].urls.at(0), "https://dl.fbaipublicfiles.com/nds/data.zip");
  testing::TempDir dir;
  const BenchmarkStatus missing = benchmark_status(manifest, dir.path(), true);
  EXPECT_FALSE(missing.convertible());
  EXPECT_THAT(missing.not_convertible_reason(),
              HasSubstr("data.zip not present at " +
                        raw_file_path(dir.path(), "nds-vanilla-cifar", "data.zip").string()));
  EXPECT_THAT(format_benchmark_status(missing), HasSubstr("put the missing file below in place"));
  testing::write_file(raw_file_path(dir.path(), "nds-vanilla-cifar", "data.zip"), "zip");
  EXPECT_TRUE(benchmark_status(manifest, dir.path(), true).convertible());
  // A benchmark with required files stays convertible: convert fetches them.
  EXPECT_TRUE(benchmark_status(manifest_for("nds-darts-in"), dir.path(), true).convertible());
  EXPECT_FALSE(benchmark_status(manifest, dir.path(), false).convertible());
}

// Real records: the mirror's DARTS_in.json packed into a zip as DARTS.json must give the same
// rows, arch strings and values as the single-file converter (only the task differs).
TEST(NdsCifarConvert, RealRecordsThroughTheArchive) {
  ZCB_REQUIRE_MIRROR(mirror);
  const auto files = mirror_files(mirror, "nds-darts-in");
  testing::TempDir dir;
  const fs::path zip = dir.path() / "data.zip";
  testing::write_file(
      zip,
      build_zip({{"nds_data/DARTS.json", testing::read_file(files.at("DARTS_in.json")), true}}));
  const BenchmarkTable direct = convert_benchmark("nds-darts-in", files);
  const BenchmarkTable zipped = convert_benchmark("nds-darts-cifar", {{"data.zip", zip}});
  ASSERT_EQ(zipped.size(), 121u);
  EXPECT_EQ(zipped.arch_strings, direct.arch_strings);
  EXPECT_EQ(zipped.params, direct.params);
  EXPECT_EQ(zipped.flops, direct.flops);
  for (const char* metric :
       {"test_acc_last_ep", "test_acc_best_ep", "train_acc_last_ep", "hp_wd"}) {
    EXPECT_EQ(zipped.task("cifar10").metric(metric), direct.task("imagenet").metric(metric))
        << metric;
  }
}

TEST(NdsTables, BestAccuracyPerSpace) {
  ZCB_REQUIRE_MIRROR(mirror);
  struct Expected {
    const char* benchmark;
    std::size_t rows;
    std::size_t best_row;
    double best;
  };
  // 100 - test_ep_top1[-1], checked with Python's json on the same files.
  const Expected expected[] = {
      {"nds-amoeba-in", 124, 104, 71.856},
      {"nds-darts-fix-w-d-in", 499, 116, 48.435999},
      {"nds-darts-in", 121, 112, 72.0},
      {"nds-darts-lr-wd-in", 515, 275, 71.726},
      {"nds-enas-in", 117, 8, 71.072},
      {"nds-nasnet-in", 122, 79, 69.544},
      {"nds-pnas-in", 119, 73, 71.116},
      {"nds-resnet-lr-wd-in", 494, 135, 66.174},
      {"nds-resnet-reruns", 200, 0, 95.259998},
      {"nds-resnext-a-in", 130, 60, 70.016},
      {"nds-resnext-b-in", 164, 51, 72.546},
      {"nds-vanilla-lr-wd-in", 500, 162, 62.594},
      {"nds-vanilla-reruns", 200, 85, 94.979998},
  };
  // Every benchmark but the nds-*-cifar ones (their data.zip is not in the mirror).
  std::size_t single_file = 0;
  for (const std::string& name : nds_benchmarks()) {
    single_file += name.size() < 6 || name.compare(name.size() - 6, 6, "-cifar") != 0;
  }
  ASSERT_EQ(single_file, std::size(expected));
  for (const Expected& e : expected) {
    const BenchmarkTable table = convert_benchmark(e.benchmark, mirror_files(mirror, e.benchmark));
    ASSERT_EQ(table.size(), e.rows) << e.benchmark;
    const TaskTable& task = table.tasks.at(0);
    const std::vector<double>& acc = task.metric(task.info.default_metric);
    std::size_t best = 0;
    for (std::size_t i = 0; i < acc.size(); ++i) {
      if (acc[i] > acc[best]) best = i;
    }
    EXPECT_EQ(best, e.best_row) << e.benchmark;
    EXPECT_NEAR(acc[best], e.best, 1e-9) << e.benchmark;
    for (std::size_t i = 0; i < table.size(); ++i) {
      ASSERT_GT(table.params[i], 0) << e.benchmark;
      ASSERT_GT(table.flops[i], 0) << e.benchmark;
    }
  }
  const BenchmarkTable darts =
      convert_benchmark("nds-darts-in", mirror_files(mirror, "nds-darts-in"));
  EXPECT_EQ(darts.task("imagenet").info.height, 224);
  EXPECT_EQ(darts.params[112], 5906184);
  EXPECT_EQ(darts.flops[112], 664774504);
  EXPECT_EQ(
      darts.arch_strings[112],
      R"({"aux":false,"depth":10,"drop_prob":0.0,"genotype":{"normal":[["none",1],["sep_conv_5x5",1],)"
      R"(["avg_pool_3x3",2],["dil_conv_3x3",1],["sep_conv_3x3",0],["dil_conv_3x3",0],["skip_connect",1],)"
      R"(["sep_conv_5x5",2]],"normal_concat":[2,3,4,5],"reduce":[["dil_conv_5x5",1],["avg_pool_3x3",0],)"
      R"(["dil_conv_5x5",2],["none",2],["avg_pool_3x3",2],["sep_conv_5x5",1],["sep_conv_5x5",3],)"
      R"(["dil_conv_3x3",0]],"reduce_concat":[2,3,4,5]},"width":64})");
  // The lr-wd sweep has NaN losses (read as null) but no NaN errors.
  const BenchmarkTable lrwd =
      convert_benchmark("nds-darts-lr-wd-in", mirror_files(mirror, "nds-darts-lr-wd-in"));
  EXPECT_THAT(lrwd.provenance.at("notes").dump(), HasSubstr(" 0 error values were NaN"));
  testing::TempDir dir;
  write_table(lrwd, dir.path() / "t.h5");
  EXPECT_EQ(read_table(dir.path() / "t.h5").arch_strings, lrwd.arch_strings);
}

}  // namespace
}  // namespace zcb::data
