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
#include <nlohmann/json.hpp>
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
  std::string ground_truth;  ///< which accuracy the paper correlated with
  std::string notes;         ///< settings that differ from zcbench's, caveats
  std::string origin;        ///< "built-in" or the file it was read from
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

/// The `published` array of one proxy of a `task_stats` document: for every value of @p values
/// on (@p space, @p task, the entry's name), the paper's value beside ours. Ours is the
/// statistic of `stats_all` (every architecture the proxy scored, as papers report) when the
/// stats stage computed it there, else of `stats` (the common set, with @p n_common archs).
///
/// Verdicts: "within" (the paper's value, widened by its rounding, meets our bootstrap
/// interval), "above" or "below" (it lies above or below the interval: we measure less or more
/// than the paper), "not_computed" (this run has no such statistic for the proxy, or no
/// interval). With `absolute`, our estimate and interval are folded to |.| first.
nlohmann::json compare_with_published(const std::vector<PublishedValue>& values,
                                      const std::string& space, const std::string& task,
                                      const nlohmann::json& proxy_entry, std::size_t n_common);

}  // namespace zcb
