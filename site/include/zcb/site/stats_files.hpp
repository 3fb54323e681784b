/// @file stats_files.hpp
/// @brief Reads the statistics JSON that `zcbench stats` writes: the only input of the site.
///
/// A stats directory holds `run.json` and one file per (space, task), named in `run.json`:
/// @code
/// <stats_dir>/run.json               {"kind": "run", "schema_version": 1, "tasks": [...], ...}
/// <stats_dir>/<space>/<task>.json    {"kind": "task_stats", "schema_version": 1, ...}
/// @endcode
/// Any statistic may be `null` and any number may be missing; both load as an empty optional.
/// Unknown fields are ignored. A wrong `kind`, a missing or newer `schema_version`, a field of the
/// wrong type, invalid JSON or a missing file throws zcb::Error naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zcb::site {

/// The newest stats schema this renderer understands.
inline constexpr int kStatsSchemaVersion = 1;

/// One statistic of one proxy: the point estimate and its bootstrap interval [lo, hi].
struct Estimate {
  std::optional<double> estimate;
  std::optional<double> lo;
  std::optional<double> hi;
  std::optional<std::int64_t> n_nan_resamples;  ///< bootstrap resamples that gave no value
};

/// A value a paper published for this proxy and task, beside ours (the stats stage's
/// `published` array; zcb/results/published.hpp).
struct PublishedComparison {
  std::string paper;
  std::string where;      ///< table or figure, may be empty
  std::string statistic;  ///< "spearman", "kendall_tau_b" or "pearson"
  bool absolute = false;  ///< the paper tabulates |statistic|; ours is folded the same way
  std::optional<double> value;
  std::optional<std::int64_t> decimals;  ///< digits the paper gives
  std::string sample;
  std::string ground_truth;
  std::string notes;
  std::string origin;  ///< "built-in" or the user's file
  /// Ours: over "all" the architectures the proxy scored, or the "common" set; empty when
  /// this run has no such statistic.
  std::string over;
  std::optional<std::int64_t> n;
  Estimate ours;
  std::string ground_truth_metric;        ///< the metric ours is computed against
  std::optional<bool> same_ground_truth;  ///< is it the paper's? empty: the paper's is unknown
  std::optional<double> difference;       ///< ours minus the paper's
  std::string verdict;                    ///< "within", "above", "below" or "not_computed"
};

/// How one statistic of one proxy varies across the run's seeds (`seed_spread`).
struct SeedSpread {
  std::vector<std::int64_t> seeds;
  std::vector<std::optional<double>> values;  ///< per seed, in `seeds` order; empty: undefined
  std::optional<double> mean;
  std::optional<double> sd;  ///< sample standard deviation; empty below 2 defined values
  std::optional<double> min;
  std::optional<double> max;
};

/// "Does proxy a beat proxy b?" on one statistic: the stats stage's paired bootstrap of the
/// difference a - b over the task's common set (`comparisons`; zcb/results/task_stats.hpp).
struct PairedComparison {
  std::string a;
  std::string b;
  Estimate difference;                   ///< of a - b, with its interval
  std::optional<double> share_a_better;  ///< resamples in which a is better, ties half
};

/// What the site plots per proxy and task (`scatter`): up to 1,000 architectures of the common
/// set, their ground truth and each proxy's place among the common set, 0 (worst) to 1 (best).
struct Scatter {
  std::vector<double> truth;
  std::map<std::string, std::vector<double>> places;  ///< proxy -> one place per truth value
};

/// Everything the stats stage reports for one proxy on one (space, task).
struct ProxyStats {
  std::string name;
  std::optional<std::int64_t> version;
  std::optional<bool> higher_is_better;
  std::optional<std::int64_t> n_scored;
  std::optional<std::int64_t> n_ok;
  std::optional<double> coverage;         ///< fraction in [0, 1] of planned architectures scored ok
  std::optional<std::int64_t> n_missing;  ///< planned architectures with no score row at all
  /// Row status name ("ok", "error", ...) -> count, as in the file (sorted by name).
  std::map<std::string, std::int64_t> status_counts;
  std::vector<std::string> errors;  ///< the first error messages
  std::optional<double> mean_build_ms;
  std::optional<double> mean_score_ms;
  /// Statistic key ("spearman", ...) -> value; an empty optional is a `null` statistic.
  std::map<std::string, std::optional<Estimate>> stats;
  std::vector<PublishedComparison> published;  ///< in the stats file's order
  /// Statistic key (as in `stats`, "spearman_all" included) -> its spread across seeds; empty
  /// for a run of one seed.
  std::map<std::string, SeedSpread> seed_spread;
};

/// Bootstrap settings of a task's confidence intervals.
struct BootstrapSettings {
  std::optional<std::string> method;
  std::optional<std::int64_t> samples;
  std::optional<double> confidence;  ///< e.g. 0.95
  std::optional<std::string> seed;   ///< as written (a 64-bit seed may not fit a double)
};

/// The contents of one `<space>/<task>.json` file.
struct TaskStats {
  std::filesystem::path file;  ///< where it was read from
  std::string space;
  std::string task;
  std::string ground_truth;              ///< metric key, empty if missing
  std::string ground_truth_description;  ///< empty if missing
  std::optional<std::int64_t> n_planned;
  std::optional<std::int64_t> n_common;           ///< architectures every proxy scored ok
  std::optional<std::int64_t> n_truth_nonfinite;  ///< planned archs without a finite ground truth
  /// Distinct networks among the common archs (fewer where a table retrains one network with
  /// several seeds, as NDS's reruns do); absent in documents written before it was counted.
  std::optional<std::int64_t> n_distinct_networks;
  /// True: scores of lower-is-better proxies were negated first, so a positive correlation
  /// always means the proxy ranks good architectures high.
  std::optional<bool> oriented;
  std::vector<std::string> statistics;  ///< statistic keys in the stats stage's order, if given
  std::string stats_reason;             ///< why every statistic is null, if it is; else empty
  BootstrapSettings bootstrap;
  std::optional<std::string> table_sha256;
  std::map<std::string, std::string> score_files;  ///< proxy -> sha256 of its score file
  nlohmann::ordered_json provenance;               ///< object, or null if missing
  std::vector<ProxyStats> proxies;                 ///< in file order; names are unique
  /// Statistic key -> the paired comparisons of the proxies, in file order (empty in files
  /// written before the stats stage made them, or without statistics).
  std::map<std::string, std::vector<PairedComparison>> comparisons;
  Scatter scatter;  ///< empty when the stats have none
};

/// What run.json's `proxy_catalogue` says about one proxy (as `zcbench list proxies` shows it).
struct ProxyCatalogueEntry {
  std::optional<std::int64_t> version;
  std::optional<bool> higher_is_better;
  std::string paper;                    ///< citation of the paper that defines it
  std::string reference;                ///< reference code followed: repository and path
  std::string variant_of;               ///< the proxy this is a variant of, or empty
  std::string summary;                  ///< one-line formula
  std::string inputs;                   ///< what it needs: batch, labels, batch size, ...
  std::vector<std::string> components;  ///< a rank aggregate's proxies; empty otherwise
};

/// The contents of `run.json` and every task file it lists.
struct RunStats {
  std::filesystem::path dir;          ///< the stats directory
  std::string name;                   ///< run name, empty if missing
  nlohmann::ordered_json config;      ///< the run config (object, or null if missing)
  nlohmann::ordered_json provenance;  ///< run provenance (object, or null if missing)
  std::vector<TaskStats> tasks;       ///< in run.json order
  /// Proxy name -> what zcbench knows of it; empty in run.json files written before it existed.
  std::map<std::string, ProxyCatalogueEntry> proxy_catalogue;
  /// Whether the site has a history page (render_site sets it when given archived runs).
  bool has_history = false;
};

/// Reads one task file. Throws zcb::Error naming @p file on any problem described above.
TaskStats load_task_stats(const std::filesystem::path& file);

/// Reads `run.json` in @p stats_dir and every task file it lists (paths relative to
/// @p stats_dir, never leaving it). Checks that each file's space and task match its entry in
/// `run.json` and that no (space, task) is listed twice. Throws zcb::Error naming the file.
RunStats load_stats(const std::filesystem::path& stats_dir);

}  // namespace zcb::site
