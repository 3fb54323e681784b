// The nb101 converter: official-layout TFRecords the test writes (with the published values of
// the nasbench README's Inception-like module), and the community subsets of the real mirror.
#include "zcb/data/nb101_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "zcb/data/convert.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/data/nb101.hpp"
#include "zcb/data/tfrecord.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr const char* kInceptionHash = "28cfc7874f6d200472e1a9dcd8650aa0";
// The Inception-like module as the official file stores it (module_adjacency of the colab).
constexpr const char* kInceptionAdjacency = "0111100000000100000010000001000001000000010000000";
constexpr const char* kInceptionOps =
    "input,conv3x3-bn-relu,conv1x1-bn-relu,maxpool3x3,conv3x3-bn-relu,conv3x3-bn-relu,output";
constexpr const char* kChainHash = "53cee42601ad14d661bb6878031d6acb";

// Published 108-epoch repeats of that module (final test / validation accuracy), from
// google-research/unified_functional_hashing nasbench/python/testdata/computed_stats.py; the
// first repeat is also what the nasbench colab prints.
constexpr double kTest[3] = {0.9311898946762085, 0.932692289352417, 0.9286859035491943};
constexpr double kValid[3] = {0.9376001358032227, 0.9378004670143127, 0.9336938858032227};

std::string row(const std::string& hash, int epochs, const std::string& adjacency,
                const std::string& ops, double test, double valid, std::int32_t params) {
  Nb101Row r;
  r.module_hash = hash;
  r.epochs = epochs;
  r.raw_adjacency = adjacency;
  r.raw_operations = ops;
  r.metrics.evaluation_data.resize(3);
  r.metrics.evaluation_data[0].current_epoch = 0;
  r.metrics.evaluation_data[1].current_epoch = epochs / 2.0;
  r.metrics.evaluation_data[2].current_epoch = epochs;
  r.metrics.evaluation_data[2].test_accuracy = test;
  r.metrics.evaluation_data[2].validation_accuracy = valid;
  r.metrics.trainable_parameters = params;
  return nb101_row_json(r);
}

// A full-file layout: every module at 4 and 108 epochs, 3 repeats each.
std::string official_file() {
  std::string file;
  for (int repeat = 0; repeat < 3; ++repeat) {
    append_tfrecord(
        file, row(kInceptionHash, 4, kInceptionAdjacency, kInceptionOps, 0.52, 0.53, 2694282));
    append_tfrecord(file, row(kInceptionHash, 108, kInceptionAdjacency, kInceptionOps,
                              kTest[repeat], kValid[repeat], 2694282));
    append_tfrecord(file, row(kChainHash, 108, "010001000", "input,maxpool3x3,output",
                              0.1 + 0.01 * repeat, 0.1, 3000));
  }
  return file;
}

TEST(Nb101Table, OfficialTfRecordGivesMeansOverRepeats) {
  testing::TempDir dir;
  const fs::path path = dir.path() / kNb101FullFile;
  testing::write_file(path, official_file());
  Nb101TfRecordSummary summary;
  const BenchmarkTable table = nb101_table_from_tfrecord(path, &summary);
  EXPECT_EQ(summary.records, 9u);
  EXPECT_EQ(summary.records_108, 6u);
  EXPECT_EQ(summary.modules, 2u);
  EXPECT_EQ(summary.not_three_repeats, 0u);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.benchmark, "nb101");
  EXPECT_EQ(table.arch_key_name, "nb101_module_hash");
  EXPECT_EQ(table.arch_keys, (std::vector<std::string>{kInceptionHash, kChainHash}));
  EXPECT_EQ(table.arch_strings[0], std::string(kInceptionAdjacency) + "|" + kInceptionOps);
  EXPECT_EQ(table.params[0], 2694282.0);  // trainable_parameters printed by the nasbench colab
  const TaskTable& task = table.task("cifar10");
  EXPECT_EQ(task.info.default_metric, "test_acc_108ep_mean3");
  EXPECT_EQ(task.info.image_source, "cifar10");
  EXPECT_EQ(task.info.num_classes, 10);
  // Published mean over the 3 repeats: 93.0856 % test, 93.6365 % validation (Python).
  EXPECT_DOUBLE_EQ(task.metric("test_acc_108ep_mean3")[0], 93.08560291926067);
  EXPECT_DOUBLE_EQ(task.metric("valid_acc_108ep_mean3")[0], 93.63648295402527);
  EXPECT_DOUBLE_EQ(task.metric("test_acc_108ep_mean3")[1], 11.0);
  EXPECT_TRUE(std::isnan(table.flops[0]));
  EXPECT_EQ(table.index_of_key(kChainHash), 1);
}

TEST(Nb101Table, ConvertPrefersTheOfficialFile) {
  testing::TempDir dir;
  testing::write_file(dir.path() / kNb101Only108File, official_file());
  testing::write_file(dir.path() / kNb101GennasFile, "[]");
  // A community file given too is listed in the provenance but not read (it is empty here).
  const BenchmarkTable table =
      convert_benchmark("nb101", {{kNb101Only108File, dir.path() / kNb101Only108File},
                                  {kNb101GennasFile, dir.path() / kNb101GennasFile}});
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.provenance["converter"], "nb101 official TFRecord");
  // Written and read back, the arch keys survive.
  write_table(table, dir.path() / "nb101.h5");
  const BenchmarkTable back = read_table(dir.path() / "nb101.h5");
  EXPECT_EQ(back.arch_keys, table.arch_keys);
  EXPECT_EQ(back.arch_key_name, "nb101_module_hash");
  EXPECT_EQ(back.task("cifar10").metric("test_acc_108ep_mean3"),
            table.task("cifar10").metric("test_acc_108ep_mean3"));
}

TEST(Nb101Table, ArchKeysMustCoverEveryRow) {
  testing::TempDir dir;
  testing::write_file(dir.path() / "x.tfrecord", official_file());
  BenchmarkTable table = nb101_table_from_tfrecord(dir.path() / "x.tfrecord");
  table.arch_keys.pop_back();
  EXPECT_THAT(testing::error_message([&] { write_table(table, dir.path() / "t.h5"); }),
              HasSubstr("1 arch keys for 2 architectures"));
  EXPECT_FALSE(fs::exists(dir.path() / "t.h5"));
}

TEST(Nb101Table, RejectsAHashThatDoesNotMatchItsGraph) {
  testing::TempDir dir;
  std::string file;
  append_tfrecord(file, row(kChainHash, 108, kInceptionAdjacency, kInceptionOps, 0.9, 0.9, 1));
  testing::write_file(dir.path() / "x.tfrecord", file);
  const std::string message =
      testing::error_message([&] { nb101_table_from_tfrecord(dir.path() / "x.tfrecord"); });
  EXPECT_THAT(message, HasSubstr("record 0 (byte offset 0): module hash " +
                                 std::string(kChainHash) + " but the graph"));
  EXPECT_THAT(message, HasSubstr("hashes to " + std::string(kInceptionHash)));
}

TEST(Nb101Table, RejectsInconsistentOrMissingValues) {
  testing::TempDir dir;
  const auto convert = [&](const std::string& file) {
    testing::write_file(dir.path() / "x.tfrecord", file);
    return testing::error_message([&] { nb101_table_from_tfrecord(dir.path() / "x.tfrecord"); });
  };
  std::string params_differ;
  append_tfrecord(params_differ,
                  row(kChainHash, 108, "010001000", "input,maxpool3x3,output", 0.1, 0.1, 3000));
  append_tfrecord(params_differ,
                  row(kChainHash, 108, "010001000", "input,maxpool3x3,output", 0.1, 0.1, 3001));
  EXPECT_THAT(convert(params_differ), HasSubstr("record 1 (byte offset"));
  EXPECT_THAT(convert(params_differ), HasSubstr("3001"));
  std::string out_of_range;
  append_tfrecord(out_of_range,
                  row(kChainHash, 108, "010001000", "input,maxpool3x3,output", 93.1, 0.1, 3000));
  EXPECT_THAT(convert(out_of_range), HasSubstr("is not a fraction in [0, 1]"));
  std::string only_4_epochs;
  append_tfrecord(only_4_epochs,
                  row(kChainHash, 4, "010001000", "input,maxpool3x3,output", 0.1, 0.1, 3000));
  EXPECT_THAT(convert(only_4_epochs), HasSubstr("none at 108 epochs"));
  std::string not_json;
  append_tfrecord(not_json, "hello");
  EXPECT_THAT(convert(not_json), HasSubstr("record 0 (byte offset 0): not valid JSON"));
  std::string corrupt = official_file();
  corrupt[corrupt.size() - 10] ^= 0x20;
  EXPECT_THAT(convert(corrupt), HasSubstr("data CRC mismatch"));
  EXPECT_THAT(convert(official_file().substr(0, 100)), HasSubstr("the stream ends inside"));
}

TEST(Nb101Table, CommunityFilesAreRequiredWithoutTheOfficialFile) {
  EXPECT_THAT(testing::error_message([] { convert_benchmark("nb101", {}); }),
              HasSubstr("needs either the official nasbench_only108.tfrecord"));
}

TEST(Nb101Table, CommunitySubsetsFromTheMirror) {
  ZCB_REQUIRE_MIRROR(mirror);
  // Through the manifest: its mirror paths, sizes and sha256 are checked on the way.
  testing::TempDir dir;
  const auto files = fetch_benchmark(manifest_for("nb101"), {dir.path(), mirror.string(), false});
  EXPECT_EQ(files.size(), 2u);
  const BenchmarkTable table = convert_benchmark("nb101", files);
  // 2,500 GenNAS-Zero modules + 292 distinct of Suite-Zero's 500 entries (no overlap).
  ASSERT_EQ(table.size(), 2792u);
  const TaskTable& task = table.task("cifar10");
  EXPECT_EQ(task.info.default_metric, "test_acc_108ep_one_repeat_gennas");
  const auto& test = task.metric("test_acc_108ep_one_repeat_gennas");
  const auto& valid = task.metric("valid_acc_108ep_one_repeat_suitezero");
  // First entries of both files (hashes from tests/data/nb101_reference.py).
  EXPECT_EQ(table.arch_keys[0], "38c07ec593df3926409467fde79c05f7");
  EXPECT_EQ(table.arch_strings[0],
            "0111000001000100010000000100000001000000010000000|input,maxpool3x3,"
            "conv1x1-bn-relu,maxpool3x3,conv3x3-bn-relu,conv1x1-bn-relu,output");
  EXPECT_DOUBLE_EQ(test[0], 90.79527258872986);
  EXPECT_TRUE(std::isnan(valid[0]));
  EXPECT_TRUE(std::isnan(table.params[0]));
  EXPECT_EQ(table.arch_keys[2500], "4a0ab8bbe2441a002e07b0f445ec2d63");
  EXPECT_DOUBLE_EQ(valid[2500], 92.578125);
  EXPECT_EQ(table.params[2500], 4095778.0);
  EXPECT_TRUE(std::isnan(test[2500]));
  std::size_t tests = 0, valids = 0, params = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    tests += std::isnan(test[i]) ? 0 : 1;
    valids += std::isnan(valid[i]) ? 0 : 1;
    params += std::isnan(table.params[i]) ? 0 : 1;
    // Every stored string is a pruned, in-space graph whose hash is its key.
    if (i % 97 == 0) {
      EXPECT_EQ(nb101_hash(parse_nb101_arch_string(table.arch_strings[i], "row")),
                table.arch_keys[i]);
    }
  }
  EXPECT_EQ(tests, 2500u);
  EXPECT_EQ(valids, 292u);
  EXPECT_EQ(params, 292u);
  EXPECT_THAT(table.provenance.dump(),
              HasSubstr("208 isomorphic duplicates dropped; in 3 of them"));
}

}  // namespace
}  // namespace zcb::data
