#include "zcb/results/published.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "zcb/error.hpp"

namespace zcb {
namespace {

using nlohmann::json;

json document(const std::vector<json>& values) {
  return {{"kind", "published_values"}, {"schema_version", 1}, {"values", json(values)}};
}

json one_value() {
  return {{"proxy", "synflow"},          {"space", "nb201"}, {"task", "cifar10"},
          {"statistic", "spearman"},     {"value", 0.76},    {"decimals", 2},
          {"paper", "Some et al., 2022"}};
}

std::string parse_error(const json& doc) {
  try {
    parse_published_values(doc, "test.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

/// A stats entry for one proxy: `stats` over the common set and, when given, `stats_all`.
json proxy_entry(double estimate, double lo, double hi, bool with_all = true) {
  json entry = {{"name", "synflow"},
                {"stats", {{"spearman", {{"estimate", 0.5}, {"lo", 0.4}, {"hi", 0.6}}}}}};
  if (with_all) {
    entry["stats_all"] = {
        {"n", 1000}, {"stats", {{"spearman", {{"estimate", estimate}, {"lo", lo}, {"hi", hi}}}}}};
  }
  return entry;
}

/// compare_with_published() with our statistics under the run's metric only.
json compare(const std::vector<PublishedValue>& values, const json& entry, std::size_t n_common) {
  return compare_with_published(values, "nb201", "cifar10", entry["name"].get<std::string>(),
                                "test_acc", {{"test_acc", {&entry, n_common}}});
}

TEST(PublishedValues, ParsesAValueWithItsDefaults) {
  json value = one_value();
  value.erase("decimals");
  const auto values = parse_published_values(document({value}), "test.json");
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].proxy, "synflow");
  EXPECT_EQ(values[0].statistic, "spearman");
  EXPECT_FALSE(values[0].absolute);
  EXPECT_EQ(values[0].decimals, 2);
  EXPECT_DOUBLE_EQ(values[0].value, 0.76);
  EXPECT_EQ(values[0].origin, "test.json");
}

TEST(PublishedValues, RejectsMalformedDocumentsNamingTheEntry) {
  EXPECT_NE(parse_error({{"kind", "task_stats"}, {"schema_version", 1}, {"values", json::array()}})
                .find("not a published_values document"),
            std::string::npos);
  EXPECT_NE(parse_error({{"kind", "published_values"}, {"schema_version", 2}, {"values", {}}})
                .find("schema_version must be 1"),
            std::string::npos);
  json unknown = one_value();
  unknown["statistic"] = "spearman_abs";
  EXPECT_NE(
      parse_error(document({one_value(), unknown})).find("values[1]: statistic 'spearman_abs'"),
      std::string::npos);
  json outside = one_value();
  outside["value"] = 1.5;
  EXPECT_NE(parse_error(document({outside})).find("outside [-1, 1]"), std::string::npos);
  json negative_absolute = one_value();
  negative_absolute["absolute"] = true;
  negative_absolute["value"] = -0.2;
  EXPECT_NE(parse_error(document({negative_absolute})).find("outside [0, 1]"), std::string::npos);
  json no_paper = one_value();
  no_paper.erase("paper");
  EXPECT_NE(parse_error(document({no_paper})).find("'paper' is missing"), std::string::npos);
  json text_value = one_value();
  text_value["value"] = "0.76";
  EXPECT_NE(parse_error(document({text_value})).find("'value' must be a number"),
            std::string::npos);
  json bad_decimals = one_value();
  bad_decimals["decimals"] = 1.5;
  EXPECT_NE(parse_error(document({bad_decimals})).find("'decimals'"), std::string::npos);
}

TEST(PublishedValues, TheBuiltInTableParsesWithoutDuplicates) {
  const auto values = builtin_published_values();
  ASSERT_GT(values.size(), 200u);
  std::set<std::string> keys;
  for (const PublishedValue& value : values) {
    EXPECT_EQ(value.origin, "built-in");
    EXPECT_FALSE(value.paper.empty());
    EXPECT_FALSE(value.ground_truth.empty()) << value.proxy << " " << value.paper;
    const std::string key = value.proxy + "|" + value.space + "|" + value.task + "|" +
                            value.statistic + "|" + value.paper;
    EXPECT_TRUE(keys.insert(key).second) << "listed twice: " << key;
  }
}

// Suite-Zero's TransNAS values are against NASLib's query(VAL_ACCURACY), the last epoch's
// validation metric (pixel accuracy on segmentsemantic), not the run's best-epoch metric.
TEST(PublishedValues, SuiteZeroTransNasValuesAreAgainstNasLibsLastEpochMetric) {
  std::size_t checked = 0;
  for (const PublishedValue& value : builtin_published_values()) {
    if (value.space.rfind("transnas_", 0) != 0 ||
        value.paper.find("Suite-Zero") == std::string::npos) {
      continue;
    }
    const std::string expected = value.task == "segmentsemantic" ? "valid_pixel_acc_final"
                                 : value.task == "room_layout"   ? "valid_neg_loss_final"
                                 : value.task == "normal" || value.task == "autoencoder"
                                     ? "valid_ssim_final"
                                     : "valid_top1_final";
    EXPECT_EQ(value.ground_truth_metric, expected)
        << value.space << "/" << value.task << " " << value.proxy;
    ++checked;
  }
  EXPECT_EQ(checked, 170u);
}

TEST(PublishedValues, VerdictsPlaceThePaperRelativeToOurInterval) {
  PublishedValue value = parse_published_values(document({one_value()}), "test.json")[0];
  const auto verdict = [&](double estimate, double lo, double hi) {
    const json result = compare({value}, proxy_entry(estimate, lo, hi), 900);
    EXPECT_EQ(result.size(), 1u);
    return result[0]["verdict"].get<std::string>();
  };
  EXPECT_EQ(verdict(0.75, 0.70, 0.80), "within");
  EXPECT_EQ(verdict(0.70, 0.65, 0.74), "above");  // paper 0.76: we measure less
  EXPECT_EQ(verdict(0.85, 0.80, 0.90), "below");  // we measure more
  // 0.76 printed with two decimals stands for [0.755, 0.765]: it meets [0.764, 0.8].
  EXPECT_EQ(verdict(0.78, 0.764, 0.80), "within");
  EXPECT_EQ(verdict(0.78, 0.766, 0.80), "below");
}

TEST(PublishedValues, ComparesOverAllScoredArchitecturesWhenTheRunHasThem) {
  const auto values = parse_published_values(document({one_value()}), "test.json");
  const json with_all = compare(values, proxy_entry(0.75, 0.7, 0.8), 900)[0];
  EXPECT_EQ(with_all["ours"]["over"], "all");
  EXPECT_EQ(with_all["ours"]["n"], 1000);
  EXPECT_DOUBLE_EQ(with_all["ours"]["estimate"].get<double>(), 0.75);
  EXPECT_NEAR(with_all["difference"].get<double>(), 0.75 - 0.76, 1e-12);

  const json common = compare(values, proxy_entry(0.75, 0.7, 0.8, false), 900)[0];
  EXPECT_EQ(common["ours"]["over"], "common");
  EXPECT_EQ(common["ours"]["n"], 900);
  EXPECT_DOUBLE_EQ(common["ours"]["estimate"].get<double>(), 0.5);
  EXPECT_EQ(common["verdict"], "above");
}

TEST(PublishedValues, AbsoluteValuesFoldOurIntervalAtZero) {
  json value = one_value();
  value["absolute"] = true;
  value["value"] = 0.3;
  const auto values = parse_published_values(document({value}), "test.json");
  // A negative correlation folds to its magnitude: [-0.35, -0.25] -> [0.25, 0.35].
  json result = compare(values, proxy_entry(-0.3, -0.35, -0.25), 0)[0];
  EXPECT_EQ(result["verdict"], "within");
  EXPECT_DOUBLE_EQ(result["ours"]["estimate"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(result["ours"]["lo"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(result["ours"]["hi"].get<double>(), 0.35);
  // An interval across zero folds to [0, the larger magnitude].
  result = compare(values, proxy_entry(0.05, -0.1, 0.2), 0)[0];
  EXPECT_DOUBLE_EQ(result["ours"]["lo"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(result["ours"]["hi"].get<double>(), 0.2);
  EXPECT_EQ(result["verdict"], "above");
}

TEST(PublishedValues, OnlyTheProxySpaceAndTaskMatchAndMissingStatisticsAreSaid) {
  json kendall = one_value();
  kendall["statistic"] = "kendall_tau_b";
  json other_task = one_value();
  other_task["task"] = "cifar100";
  json other_proxy = one_value();
  other_proxy["proxy"] = "snip";
  const auto values =
      parse_published_values(document({one_value(), kendall, other_task, other_proxy}), "t");
  const json result = compare(values, proxy_entry(0.75, 0.7, 0.8), 900);
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0]["statistic"], "spearman");
  EXPECT_EQ(result[1]["statistic"], "kendall_tau_b");
  EXPECT_EQ(result[1]["verdict"], "not_computed");
  EXPECT_TRUE(result[1]["ours"].is_null());
  // A proxy without statistics (too few architectures) has nothing to compare either.
  const json no_stats = compare(values, json{{"name", "synflow"}, {"stats", nullptr}}, 2);
  ASSERT_EQ(no_stats.size(), 2u);
  EXPECT_EQ(no_stats[0]["verdict"], "not_computed");
}

TEST(PublishedValues, ComparedUnderThePapersGroundTruthWhenTheTableHasIt) {
  json valid = one_value();
  valid["ground_truth_metric"] = "valid_acc";
  json elsewhere = one_value();
  elsewhere["ground_truth_metric"] = "a_metric_the_table_lacks";
  const auto values = parse_published_values(document({valid, elsewhere, one_value()}), "t");
  EXPECT_EQ(published_metrics(values, "nb201", "cifar10", {"synflow"}),
            (std::set<std::string>{"a_metric_the_table_lacks", "valid_acc"}));
  EXPECT_TRUE(published_metrics(values, "nb201", "cifar100", {"synflow"}).empty());
  EXPECT_TRUE(published_metrics(values, "nb201", "cifar10", {"snip"}).empty());
  const json under_test = proxy_entry(0.70, 0.65, 0.74);
  const json under_valid = proxy_entry(0.76, 0.74, 0.78);
  const json result = compare_with_published(
      values, "nb201", "cifar10", "synflow", "test_acc",
      {{"test_acc", {&under_test, 900}}, {"valid_acc", {&under_valid, 880}}});
  ASSERT_EQ(result.size(), 3u);
  EXPECT_EQ(result[0]["ground_truth_metric"], "valid_acc");
  EXPECT_EQ(result[0]["same_ground_truth"], true);
  EXPECT_DOUBLE_EQ(result[0]["ours"]["estimate"].get<double>(), 0.76);
  EXPECT_EQ(result[0]["verdict"], "within");
  EXPECT_EQ(result[1]["ground_truth_metric"], "test_acc");  // the table lacks the paper's
  EXPECT_EQ(result[1]["same_ground_truth"], false);
  EXPECT_EQ(result[1]["verdict"], "above");
  EXPECT_EQ(result[2]["ground_truth_metric"], "test_acc");  // the paper's is not known
  EXPECT_TRUE(result[2]["same_ground_truth"].is_null());
  EXPECT_THROW(compare_with_published(values, "nb201", "cifar10", "synflow", "test_acc",
                                      {{"valid_acc", {&under_valid, 880}}}),
               Error);
}

}  // namespace
}  // namespace zcb
