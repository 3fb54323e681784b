/// @file published.hpp
/// @brief Published correlations of proxies with trained accuracy, and how ours compare.
///
/// The table `results/published.json` (compiled into the library) lists what papers report,
/// keyed by zcbench's proxy, space and task names; a user adds a paper's claims with a file of the
/// same schema (`zcbench stats --published FILE`). The stats stage sets each value beside our
/// statistic and its bootstrap interval and says whether the paper's value lies inside it.
/// Schema and verdicts: results/README.md.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace zcb {

/// One published value.
struct PublishedValue {
  std::string proxy;         ///< zcbench proxy name, e.g. "jacob_cov"
  std::string space;         ///< zcbench space name, e.g. "nb201"
  std::string task;          ///< the space's task name, e.g. "ImageNet16-120"
  std::string statistic;     ///< "spearman", "kendall_tau_b" or "pearson"
  bool absolute = false;     ///< the paper tabulates |statistic|
  double value = 0.0;        ///< in zcbench's orientation (positive: ranks good archs high)
  int decimals = 2;          ///< digits the paper gives: the value stands for +-0.5e-decimals
  std::string paper;         ///< citation
  std::string where;         ///< table or figure
  std::string sample;        ///< which architectures the paper used
  std::string ground_truth;  ///< which accuracy the paper correlated with, in words
  /// The same as a metric key of the task's table (e.g. "valid_acc_200ep_nb201v11"), when one
  /// matches it; empty when none does or it is not known.
  std::string ground_truth_metric;
  std::string notes;   ///< settings that differ from zcbench's, caveats
  std::string origin;  ///< "built-in" or the file it was read from
};

/// Parses a `published_values` document (schema version 1). @p origin names it in errors and
/// in PublishedValue::origin. Throws zcb::Error on a wrong kind or version, a missing or
/// mistyped field, an unknown statistic, a value outside [-1, 1] (or negative with
/// `absolute`), or decimals outside 0..17.
std::vector<PublishedValue> parse_published_values(const nlohmann::json& document,
                                                   const std::string& origin);

/// The built-in table, `results/published.json`.
std::vector<PublishedValue> builtin_published_values();

/// Reads a user's file of the same schema; errors name @p file.
std::vector<PublishedValue> read_published_values(const std::filesystem::path& file);

/// Our statistics of one proxy under one ground-truth metric.
struct OurStatistics {
  const nlohmann::json* proxy_entry = nullptr;  ///< the proxy's entry of a task_stats document
  std::size_t n_common = 0;                     ///< that document's n_common
};

/// The `ground_truth_metric`s named by the values on (@p space, @p task) of the run's
/// @p proxies: the caller computes our statistics under each that its table has (a metric only
/// other proxies' values name would cost a second bootstrap for nothing).
std::set<std::string> published_metrics(const std::vector<PublishedValue>& values,
                                        const std::string& space, const std::string& task,
                                        const std::vector<std::string>& proxies);

/// The `published` array of proxy @p proxy of a `task_stats` document: for every value of
/// @p values on (@p space, @p task, @p proxy), the paper's value beside ours. @p ours holds our
/// statistics under the run's ground truth @p run_metric (required) and under any other metric
/// of the table; a value is compared with ours under its `ground_truth_metric` when @p ours has
/// it, else under @p run_metric (`same_ground_truth` says which: true, false, or null when the
/// paper's metric is not known). Within the chosen statistics, ours is the statistic of
/// `stats_all` (every architecture the proxy scored, as papers report) when the stats stage
/// computed it there, else of `stats` (the common set).
///
/// Verdicts: "within" (the paper's value, widened by its rounding, meets our bootstrap
/// interval), "above" or "below" (it lies above or below the interval: we measure less or more
/// than the paper), "not_computed" (this run has no such statistic for the proxy, or no
/// interval). With `absolute`, our estimate and interval are folded to |.| first. Throws
/// zcb::Error when @p ours lacks @p run_metric.
nlohmann::json compare_with_published(const std::vector<PublishedValue>& values,
                                      const std::string& space, const std::string& task,
                                      const std::string& proxy, const std::string& run_metric,
                                      const std::map<std::string, OurStatistics>& ours);

}  // namespace zcb
