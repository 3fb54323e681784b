#include "zcb/data/benchmark_status.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/data/table.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using State = RawFileStatus::State;

ManifestFile toy_file(const std::string& name, std::int64_t size) {
  ManifestFile file;
  file.name = name;
  file.role = "table";
  file.required = true;
  file.sha256 = std::string(64, 'a');
  file.size = size;
  file.license = "MIT";
  file.citation = "toy";
  file.how_to_get = "ask the toy maintainer for " + name;
  return file;
}

// One file per state a listing must tell apart.
Manifest toy_manifest() {
  Manifest manifest;
  manifest.benchmark = "toy";
  manifest.description = "toy benchmark";
  ManifestFile present = toy_file("present.csv", 5);
  ManifestFile wrong = toy_file("wrong.csv", 5);
  ManifestFile by_url = toy_file("by_url.csv", 300);
  by_url.urls = {"https://example.invalid/by_url.csv"};
  ManifestFile by_mirror = toy_file("by_mirror.csv", 7);
  by_mirror.mirror_path = "toy/by_mirror.csv";
  ManifestFile browser = toy_file("official.pth", -1);
  browser.required = false;
  browser.role = "official";
  browser.sha256.clear();
  browser.urls = {"https://drive.example/official"};
  browser.interactive_only = true;
  browser.host_note = "Google Drive";
  manifest.files = {present, wrong, by_url, by_mirror, browser};
  return manifest;
}

BenchmarkTable two_row_table() {
  TaskTable task;
  task.info.name = "cifar10";
  task.info.num_classes = 10;
  task.info.channels = 3;
  task.info.height = 32;
  task.info.width = 32;
  task.info.image_source = "cifar10";
  task.info.default_metric = "test_acc";
  task.info.metrics = {"test_acc"};
  task.description = "toy";
  task.metrics["test_acc"] = {90.0, 91.0};
  task.metric_descriptions["test_acc"] = "toy";
  BenchmarkTable table;
  table.benchmark = "toy";
  table.arch_strings = {"a", "b"};
  table.params = {1, 2};
  table.flops = {std::nan(""), std::nan("")};
  table.tasks = {task};
  table.provenance = {{"converter_version", 1}, {"sources", nlohmann::json::array()}};
  return table;
}

TEST(BenchmarkStatus, TellsPresentWrongPartialAndMissingFilesApart) {
  testing::TempDir dir;
  testing::write_file(raw_file_path(dir.path(), "toy", "present.csv"), "12345");
  testing::write_file(raw_file_path(dir.path(), "toy", "wrong.csv"), "1234");
  testing::write_file(partial_file_path(dir.path(), "toy", "by_url.csv"), std::string(100, 'p'));
  const BenchmarkStatus status = benchmark_status(toy_manifest(), dir.path(), true);

  ASSERT_EQ(status.files.size(), 5u);
  EXPECT_EQ(status.files[0].state, State::kPresent);
  EXPECT_EQ(status.files[0].size, 5);
  EXPECT_EQ(status.files[1].state, State::kWrongSize);
  EXPECT_EQ(status.files[1].size, 4);
  EXPECT_EQ(status.files[2].state, State::kMissing);
  EXPECT_EQ(status.files[2].partial_bytes, 100);
  EXPECT_EQ(status.files[3].state, State::kMissing);
  EXPECT_EQ(status.files[3].partial_bytes, -1);
  EXPECT_EQ(status.files[4].state, State::kMissing);
  EXPECT_FALSE(status.raw_complete());
  EXPECT_FALSE(status.table.installed);

  const std::string text = format_benchmark_status(status);
  EXPECT_THAT(text, HasSubstr("table   not installed: " + table_path(dir.path(), "toy").string() +
                              " (zcbench fetch toy && zcbench convert toy)"));
  EXPECT_THAT(text, HasSubstr("present  present.csv, 5 B"));
  EXPECT_THAT(text, HasSubstr("WRONG    wrong.csv: 4 bytes, expected 5; delete " +
                              raw_file_path(dir.path(), "toy", "wrong.csv").string()));
  EXPECT_THAT(text, HasSubstr("partial download: 100 of 300 bytes; zcbench fetch toy resumes it"));
  EXPECT_THAT(text,
              HasSubstr("get: zcbench fetch toy (downloads https://example.invalid/by_url.csv)"));
  EXPECT_THAT(text, HasSubstr("get: zcbench fetch toy with ZCB_MIRROR set to a mirror holding "
                              "toy/by_mirror.csv; without one: ask the toy maintainer for "
                              "by_mirror.csv"));
  EXPECT_THAT(text, HasSubstr("missing  official.pth (optional) (size unknown)"));
  EXPECT_THAT(text, HasSubstr("get: download it in a browser (Google Drive): open "
                              "https://drive.example/official and save it as " +
                              raw_file_path(dir.path(), "toy", "official.pth").string()));
}

TEST(BenchmarkStatus, InstalledTableShowsRowsAndSha256) {
  testing::TempDir dir;
  const fs::path table = table_path(dir.path(), "toy");
  write_table(two_row_table(), table);
  for (const char* name : {"present.csv", "wrong.csv", "by_url.csv", "by_mirror.csv"}) {
    testing::write_file(raw_file_path(dir.path(), "toy", name),
                        std::string(static_cast<std::size_t>(toy_manifest().file(name).size), 'x'));
  }
  const BenchmarkStatus status = benchmark_status(toy_manifest(), dir.path(), true);
  EXPECT_TRUE(status.raw_complete());  // the optional file does not count
  EXPECT_TRUE(status.table.installed);
  EXPECT_EQ(status.table.rows, 2);
  EXPECT_EQ(status.table.sha256, sha256_file(table));
  EXPECT_THAT(format_benchmark_status(status), HasSubstr("table   installed: " + table.string() +
                                                         ", 2 rows, sha256 " + sha256_file(table)));
}

TEST(BenchmarkStatus, CorruptTableIsReportedNotThrown) {
  testing::TempDir dir;
  testing::write_file(table_path(dir.path(), "toy"), "not hdf5");
  const BenchmarkStatus status = benchmark_status(toy_manifest(), dir.path(), true);
  EXPECT_TRUE(status.table.installed);
  EXPECT_FALSE(status.table.problem.empty());
  EXPECT_THAT(format_benchmark_status(status),
              HasSubstr("table   unreadable: " + table_path(dir.path(), "toy").string()));
}

TEST(BenchmarkStatus, RawOnlyBenchmarkHasNoTable) {
  testing::TempDir dir;
  const BenchmarkStatus status = benchmark_status(toy_manifest(), dir.path(), false);
  EXPECT_FALSE(status.table.has_converter);
  EXPECT_THAT(format_benchmark_status(status), HasSubstr("table   none (raw files only)"));
}

TEST(BenchmarkStatus, EveryEmbeddedManifestIsListed) {
  testing::TempDir dir;
  const auto statuses = all_benchmark_status(dir.path());
  ASSERT_EQ(statuses.size(), manifest_names().size());
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_EQ(statuses[i].benchmark, manifest_names()[i]);
    EXPECT_FALSE(statuses[i].table.installed);
    for (const RawFileStatus& raw : statuses[i].files) {
      EXPECT_EQ(raw.state, State::kMissing);
      EXPECT_FALSE(how_to_get_line(statuses[i].benchmark, raw).empty()) << raw.file.name;
    }
  }
}

}  // namespace
}  // namespace zcb::data
