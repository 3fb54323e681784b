#include "zcb/results/published.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <tuple>

#include "zcb/error.hpp"
#include "zcb/results/json_file.hpp"

namespace zcb {

namespace detail {
// results/published.json, written into a generated source by cmake/embed_published.cmake.
extern const std::string_view kBuiltinPublishedValues;
}  // namespace detail

namespace {

constexpr int kSchemaVersion = 1;
constexpr std::string_view kStatistics[] = {"spearman", "kendall_tau_b", "pearson"};

std::string text_field(const nlohmann::json& entry, const char* key, const std::string& where,
                       bool required) {
  const auto it = entry.find(key);
  if (it == entry.end()) {
    if (required) throw Error(where + ": '" + key + "' is missing");
    return {};
  }
  if (!it->is_string()) throw Error(where + ": '" + key + "' must be a string");
  if (required && it->get<std::string>().empty()) {
    throw Error(where + ": '" + key + "' must not be empty");
  }
  return it->get<std::string>();
}

PublishedValue parse_value(const nlohmann::json& entry, const std::string& where) {
  if (!entry.is_object()) throw Error(where + ": must be an object");
  PublishedValue value;
  value.proxy = text_field(entry, "proxy", where, true);
  value.space = text_field(entry, "space", where, true);
  value.task = text_field(entry, "task", where, true);
  value.statistic = text_field(entry, "statistic", where, true);
  if (std::find(std::begin(kStatistics), std::end(kStatistics), value.statistic) ==
      std::end(kStatistics)) {
    throw Error(where + ": statistic '" + value.statistic +
                "' is not one of spearman, kendall_tau_b, pearson");
  }
  value.paper = text_field(entry, "paper", where, true);
  value.where = text_field(entry, "where", where, false);
  value.sample = text_field(entry, "sample", where, false);
  value.ground_truth = text_field(entry, "ground_truth", where, false);
  value.notes = text_field(entry, "notes", where, false);
  value.ground_truth_metric = text_field(entry, "ground_truth_metric", where, false);
  if (entry.contains("absolute")) {
    if (!entry["absolute"].is_boolean()) throw Error(where + ": 'absolute' must be true or false");
    value.absolute = entry["absolute"].get<bool>();
  }
  if (!entry.contains("value") || !entry["value"].is_number()) {
    throw Error(where + ": 'value' must be a number");
  }
  value.value = entry["value"].get<double>();
  if (!std::isfinite(value.value) || value.value < (value.absolute ? 0.0 : -1.0) ||
      value.value > 1.0) {
    throw Error(where + ": value " + entry["value"].dump() + " is outside " +
                (value.absolute ? "[0, 1] (absolute)" : "[-1, 1]"));
  }
  if (entry.contains("decimals")) {
    if (!entry["decimals"].is_number_integer() || entry["decimals"].get<int>() < 0 ||
        entry["decimals"].get<int>() > 17) {
      throw Error(where + ": 'decimals' must be a whole number from 0 to 17");
    }
    value.decimals = entry["decimals"].get<int>();
  }
  return value;
}

/// A member of @p object, or null: a pointer into the document (json::value() returns a copy).
const nlohmann::json* member(const nlohmann::json& object, const std::string& key) {
  const auto it = object.find(key);  // end() for anything but an object
  return it != object.end() ? &*it : nullptr;
}

/// |x| over an interval: folded at zero when it straddles it.
std::pair<double, double> absolute_interval(double lo, double hi) {
  if (lo >= 0.0) return {lo, hi};
  if (hi <= 0.0) return {-hi, -lo};
  return {0.0, std::max(-lo, hi)};
}

}  // namespace

std::vector<PublishedValue> parse_published_values(const nlohmann::json& document,
                                                   const std::string& origin) {
  if (!document.is_object() || document.value("kind", "") != "published_values") {
    throw Error(origin + ": not a published_values document (\"kind\": \"published_values\")");
  }
  if (!document.contains("schema_version") || !document["schema_version"].is_number_integer() ||
      document["schema_version"].get<int>() != kSchemaVersion) {
    throw Error(origin + ": schema_version must be " + std::to_string(kSchemaVersion));
  }
  if (!document.contains("values") || !document["values"].is_array()) {
    throw Error(origin + ": 'values' must be an array");
  }
  std::vector<PublishedValue> values;
  for (std::size_t i = 0; i < document["values"].size(); ++i) {
    PublishedValue value =
        parse_value(document["values"][i], origin + ": values[" + std::to_string(i) + "]");
    value.origin = origin;
    values.push_back(std::move(value));
  }
  return values;
}

std::vector<PublishedValue> builtin_published_values() {
  return parse_published_values(nlohmann::json::parse(detail::kBuiltinPublishedValues), "built-in");
}

std::vector<PublishedValue> read_published_values(const std::filesystem::path& file) {
  return parse_published_values(read_json_file(file), file.string());
}

std::set<std::string> published_metrics(const std::vector<PublishedValue>& values,
                                        const std::string& space, const std::string& task,
                                        const std::vector<std::string>& proxies) {
  std::set<std::string> metrics;
  for (const PublishedValue& value : values) {
    if (value.space == space && value.task == task && !value.ground_truth_metric.empty() &&
        std::find(proxies.begin(), proxies.end(), value.proxy) != proxies.end()) {
      metrics.insert(value.ground_truth_metric);
    }
  }
  return metrics;
}

nlohmann::json compare_with_published(const std::vector<PublishedValue>& values,
                                      const std::string& space, const std::string& task,
                                      const std::string& proxy, const std::string& run_metric,
                                      const std::map<std::string, OurStatistics>& ours) {
  if (ours.count(run_metric) == 0 || ours.at(run_metric).proxy_entry == nullptr) {
    throw Error("published values: no statistics of '" + proxy + "' under the run's metric '" +
                run_metric + "'");
  }
  nlohmann::json comparisons = nlohmann::json::array();
  for (const PublishedValue& published : values) {
    if (published.space != space || published.task != task || published.proxy != proxy) continue;
    nlohmann::json comparison = {
        {"paper", published.paper},         {"where", published.where},
        {"statistic", published.statistic}, {"absolute", published.absolute},
        {"value", published.value},         {"decimals", published.decimals},
        {"sample", published.sample},       {"ground_truth", published.ground_truth},
        {"notes", published.notes},         {"origin", published.origin},
    };
    // Under the paper's ground truth when the table has it, else the run's.
    const auto paper_metric = ours.find(published.ground_truth_metric);
    const bool same_metric = paper_metric != ours.end() && paper_metric->second.proxy_entry;
    const std::string metric = same_metric ? published.ground_truth_metric : run_metric;
    const OurStatistics& under = ours.at(metric);
    comparison["ground_truth_metric"] = metric;
    comparison["same_ground_truth"] = published.ground_truth_metric.empty()
                                          ? nlohmann::json(nullptr)
                                          : nlohmann::json(same_metric);

    // Over every architecture the proxy scored when the stats stage has it there.
    const auto statistic_in = [&](const nlohmann::json* stats) -> const nlohmann::json* {
      const nlohmann::json* value = stats ? member(*stats, published.statistic) : nullptr;
      const nlohmann::json* estimate = value ? member(*value, "estimate") : nullptr;
      return estimate != nullptr && estimate->is_number() ? value : nullptr;
    };
    const nlohmann::json* all = member(*under.proxy_entry, "stats_all");
    const nlohmann::json* statistic = all ? statistic_in(member(*all, "stats")) : nullptr;
    std::string over = "all";
    std::size_t n = statistic ? all->value("n", std::size_t{0}) : 0;
    if (statistic == nullptr) {
      statistic = statistic_in(member(*under.proxy_entry, "stats"));
      over = "common";
      n = under.n_common;
    }
    const auto number = [&](const char* key) {
      const nlohmann::json* found = member(*statistic, key);
      return found != nullptr ? *found : nlohmann::json();
    };
    if (statistic == nullptr || !number("lo").is_number() || !number("hi").is_number()) {
      comparison["ours"] = nullptr;
      comparison["verdict"] = "not_computed";
      comparisons.push_back(std::move(comparison));
      continue;
    }
    double estimate = number("estimate").get<double>();
    double lo = number("lo").get<double>();
    double hi = number("hi").get<double>();
    if (published.absolute) {
      estimate = std::fabs(estimate);
      std::tie(lo, hi) = absolute_interval(lo, hi);
    }
    const double rounding = 0.5 * std::pow(10.0, -published.decimals);
    const char* verdict = published.value + rounding < lo   ? "below"
                          : published.value - rounding > hi ? "above"
                                                            : "within";
    comparison["ours"] = {{"over", over}, {"n", n}, {"estimate", estimate}, {"lo", lo}, {"hi", hi}};
    comparison["difference"] = estimate - published.value;
    comparison["verdict"] = verdict;
    comparisons.push_back(std::move(comparison));
  }
  return comparisons;
}

}  // namespace zcb
