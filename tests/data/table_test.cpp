#include "zcb/data/table.hpp"

#include <H5Cpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#include "test_util.hpp"
#include "zcb/data/h5_util.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const double kNaN = std::numeric_limits<double>::quiet_NaN();

TaskTable toy_task(const std::string& name, int classes, std::vector<double> accuracy,
                   std::vector<double> valid) {
  TaskTable task;
  task.info.name = name;
  task.info.num_classes = classes;
  task.info.channels = 3;
  task.info.height = 32;
  task.info.width = 32;
  task.info.image_source = "cifar10";
  task.info.loss = "mse";
  task.info.default_metric = "test_acc";
  task.info.metrics = {"test_acc", "valid_acc"};  // table order, not sorted
  task.description = "toy task " + name;
  task.metrics["test_acc"] = std::move(accuracy);
  task.metrics["valid_acc"] = std::move(valid);
  task.metric_descriptions["test_acc"] = "test split, 200 epochs, mean over seeds";
  task.metric_descriptions["valid_acc"] = "valid split, 200 epochs, mean over seeds";
  return task;
}

BenchmarkTable toy_table() {
  BenchmarkTable table;
  table.benchmark = "toy";
  table.arch_strings = {"|a~0|", "|b~0|+|c~1|", "|a~0|+|a~1|a~2|"};
  table.params = {129306, 1.5e6, kNaN};
  table.flops = {kNaN, -0.0, 3.25e7};
  // z-task first: the file must keep table order, not sort tasks by name.
  table.tasks = {toy_task("zeta", 10, {94.37333333333333, 0.1, 1e-300}, {1, 2, 3}),
                 toy_task("alpha", 100, {73.5133, kNaN, 5}, {4, 5, 6})};
  table.provenance = {{"converter_version", 1},
                      {"sources", {{{"name", "x.csv"}, {"sha256", std::string(64, 'a')}}}},
                      {"notes", {"toy"}}};
  return table;
}

// Bit-for-bit equality, NaN payloads and signed zeros included.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST(Table, RoundTripIsBitExact) {
  testing::TempDir dir;
  const BenchmarkTable table = toy_table();
  const fs::path path = table_path(dir.path(), "toy");
  write_table(table, path);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  const BenchmarkTable read = read_table(path);
  EXPECT_EQ(read.benchmark, "toy");
  EXPECT_EQ(read.arch_strings, table.arch_strings);
  EXPECT_TRUE(same_bits(read.params, table.params));
  EXPECT_TRUE(same_bits(read.flops, table.flops));
  EXPECT_EQ(read.provenance, table.provenance);
  ASSERT_EQ(read.tasks.size(), 2u);
  for (std::size_t t = 0; t < 2; ++t) {
    const TaskTable& expected = table.tasks[t];
    const TaskTable& actual = read.tasks[t];
    EXPECT_EQ(actual.info.name, expected.info.name);
    EXPECT_EQ(actual.info.num_classes, expected.info.num_classes);
    EXPECT_EQ(actual.info.channels, expected.info.channels);
    EXPECT_EQ(actual.info.height, expected.info.height);
    EXPECT_EQ(actual.info.width, expected.info.width);
    EXPECT_EQ(actual.info.image_source, expected.info.image_source);
    EXPECT_EQ(actual.info.loss, expected.info.loss);
    EXPECT_EQ(actual.info.default_metric, expected.info.default_metric);
    EXPECT_EQ(actual.info.metrics, expected.info.metrics);
    EXPECT_EQ(actual.description, expected.description);
    EXPECT_EQ(actual.metric_descriptions, expected.metric_descriptions);
    ASSERT_EQ(actual.metrics.size(), expected.metrics.size());
    for (const auto& [name, column] : expected.metrics) {
      EXPECT_TRUE(same_bits(actual.metrics.at(name), column)) << name;
    }
  }
}

TEST(Table, OfficialIndexColumnIsOptional) {
  testing::TempDir dir;
  BenchmarkTable table = toy_table();
  write_table(table, dir.path() / "plain.h5");
  EXPECT_TRUE(read_table(dir.path() / "plain.h5").official_index.empty());
  table.official_index = {3256, 3257, 7351};
  write_table(table, dir.path() / "offset.h5");
  EXPECT_EQ(read_table(dir.path() / "offset.h5").official_index, table.official_index);
  table.official_index.pop_back();
  EXPECT_THAT(testing::error_message([&] { write_table(table, dir.path() / "bad.h5"); }),
              HasSubstr("3 arch strings but 2 official indexes"));
}

TEST(Table, ProvenanceLargerThanACompactAttribute) {
  // HDF5 keeps attributes compact up to 64 KiB; a table listing many sources passes that
  // (the suite-zero TransNAS micro table did).
  testing::TempDir dir;
  BenchmarkTable table = toy_table();
  table.provenance["notes"] = std::string(200000, 'x');
  write_table(table, dir.path() / "big.h5");
  EXPECT_EQ(read_table(dir.path() / "big.h5").provenance, table.provenance);
}

TEST(Table, WritesAreByteReproducible) {
  testing::TempDir dir;
  write_table(toy_table(), dir.path() / "a.h5");
  // A second later: HDF5 would store object times if any header tracked them.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_table(toy_table(), dir.path() / "b.h5");
  EXPECT_EQ(sha256_file(dir.path() / "a.h5"), sha256_file(dir.path() / "b.h5"));
  write_table(toy_table(), dir.path() / "a.h5");  // overwrite in place
  EXPECT_EQ(sha256_file(dir.path() / "a.h5"), sha256_file(dir.path() / "b.h5"));
}

TEST(Table, Accessors) {
  const BenchmarkTable table = toy_table();
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.index_of("|b~0|+|c~1|"), 1);
  EXPECT_EQ(table.index_of("|nope~0|"), -1);
  EXPECT_EQ(table.task("alpha").info.num_classes, 100);
  EXPECT_THAT(testing::error_message([&] { table.task("beta"); }),
              HasSubstr("no task 'beta'; its tasks are zeta, alpha"));
  EXPECT_EQ(table.task("zeta").metric("valid_acc")[2], 3.0);
  EXPECT_THAT(testing::error_message([&] { table.task("zeta").metric("train"); }),
              HasSubstr("no metric 'train'; its metrics are test_acc, valid_acc"));
  EXPECT_EQ(table_path("/d", "nb201"), fs::path("/d/tables/nb201.h5"));
}

TEST(Table, InvalidTablesAreRejectedBeforeWriting) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "t.h5";
  const auto error = [&](const std::function<void(BenchmarkTable&)>& damage) {
    BenchmarkTable table = toy_table();
    damage(table);
    return testing::error_message([&] { write_table(table, path); });
  };
  EXPECT_THAT(error([](BenchmarkTable& t) { t.flops.pop_back(); }),
              HasSubstr("3 arch strings but 3 params and 2 flops"));
  EXPECT_THAT(error([](BenchmarkTable& t) { t.tasks[0].metrics["test_acc"].push_back(1); }),
              HasSubstr("metric 'test_acc' has 4 values for 3 architectures"));
  EXPECT_THAT(error([](BenchmarkTable& t) { t.tasks[1].info.default_metric = "best"; }),
              HasSubstr("default metric 'best' is not one of"));
  EXPECT_THAT(error([](BenchmarkTable& t) { t.tasks[1].metric_descriptions.erase("valid_acc"); }),
              HasSubstr("metric 'valid_acc' has no description"));
  EXPECT_THAT(error([](BenchmarkTable& t) { t.tasks[1].info.metrics.pop_back(); }),
              HasSubstr("must list exactly the metric columns"));
  EXPECT_THAT(error([](BenchmarkTable& t) { t.tasks[1].info.name = "zeta"; }),
              HasSubstr("listed twice"));
  EXPECT_THAT(error([](BenchmarkTable& t) { t.tasks[0].info.name = "a/b"; }), HasSubstr("'/'"));
  EXPECT_THAT(error([](BenchmarkTable& t) {
                t.provenance = {{"notes", "x"}};
              }),
              HasSubstr("converter_version"));
  EXPECT_FALSE(fs::exists(path));
}

TEST(Table, TruncatedFileIsAnErrorNamingThePath) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "nb.h5";
  write_table(toy_table(), path);
  fs::resize_file(path, fs::file_size(path) / 2);
  const std::string message = testing::error_message([&] { read_table(path); });
  EXPECT_THAT(message, HasSubstr(path.string()));
}

TEST(Table, MissingOrForeignFileIsAnError) {
  testing::TempDir dir;
  EXPECT_THAT(testing::error_message([&] { read_table(dir.path() / "none.h5"); }),
              HasSubstr("none.h5: file not found"));
  testing::write_file(dir.path() / "text.h5", "not hdf5 at all");
  EXPECT_THAT(testing::error_message([&] { read_table(dir.path() / "text.h5"); }),
              HasSubstr("text.h5: not an HDF5 file"));
}

// Writes a file with the table layout by hand, to build files write_table() refuses to write.
void write_raw(const fs::path& path, const std::string& header, std::size_t metric_rows) {
  h5::write_atomically(path, [&](H5::H5File& file) {
    h5::write_strings(file, "/archs/string", {"a", "b"});
    h5::write_doubles(file, "/archs/params", {1, 2});
    h5::write_doubles(file, "/archs/flops", {1, 2});
    h5::write_doubles(file, "/tasks/t/m", std::vector<double>(metric_rows, 1.0));
    h5::write_string_attribute(file, "zcb_table", header);
  });
}

std::string raw_header(int version) {
  return R"({"schema_version": )" + std::to_string(version) +
         R"(, "benchmark": "raw", "converter_version": 1, "provenance": {"converter_version": 1},
            "tasks": {"t": {"description": "d", "num_classes": 2, "channels": 3, "height": 8,
                            "width": 8, "image_source": "cifar10", "default_metric": "m",
                            "metrics": {"m": "desc"}}}})";
}

TEST(Table, HandWrittenFileReads) {
  testing::TempDir dir;
  write_raw(dir.path() / "ok.h5", raw_header(1), 2);
  const BenchmarkTable table = read_table(dir.path() / "ok.h5");
  EXPECT_EQ(table.benchmark, "raw");
  EXPECT_EQ(table.task("t").metric("m"), (std::vector<double>{1, 1}));
  EXPECT_EQ(table.task("t").info.loss, "cross_entropy");  // tables without the key
}

TEST(Table, OtherSchemaVersionIsAnError) {
  testing::TempDir dir;
  write_raw(dir.path() / "v2.h5", raw_header(2), 2);
  const std::string message = testing::error_message([&] { read_table(dir.path() / "v2.h5"); });
  EXPECT_THAT(message, HasSubstr("v2.h5"));
  EXPECT_THAT(message, HasSubstr("schema version 2"));
}

TEST(Table, ShortColumnIsAnError) {
  testing::TempDir dir;
  write_raw(dir.path() / "short.h5", raw_header(1), 1);
  const std::string message = testing::error_message([&] { read_table(dir.path() / "short.h5"); });
  EXPECT_THAT(message, HasSubstr("short.h5"));
  EXPECT_THAT(message, HasSubstr("/tasks/t/m has 1 values for 2 architectures"));
}

TEST(Table, BrokenHeaderIsAnError) {
  testing::TempDir dir;
  write_raw(dir.path() / "json.h5", "{not json", 2);
  EXPECT_THAT(testing::error_message([&] { read_table(dir.path() / "json.h5"); }),
              HasSubstr("header is not valid JSON"));
  std::string extra_metric = raw_header(1);
  extra_metric.replace(extra_metric.find(R"("m": "desc")"), 11, R"("m": "desc", "n": "x")");
  write_raw(dir.path() / "extra.h5", extra_metric, 2);
  EXPECT_THAT(testing::error_message([&] { read_table(dir.path() / "extra.h5"); }),
              HasSubstr("extra.h5"));
}

}  // namespace
}  // namespace zcb::data
