/// @file task_stats.hpp
/// @brief Statistics of every proxy on one (space, task): the `task_stats` JSON document.
///
/// The document's schema is described in results/README.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zcb/results/score_file.hpp"
#include "zcb/results/statistics.hpp"

namespace zcb {

/// One proxy's scores on the task, merged over shards.
struct ProxyResult {
  std::string name;
  int version = 0;
  bool higher_is_better = true;  ///< false: scores are negated before any statistic
  std::vector<ScoreRow> rows;    ///< any order; arch ids must be unique
  std::vector<TimingRow> timings;
  std::string score_file_sha256;  ///< of the score file(s) read, recorded as an input
};

/// Everything compute_task_stats() needs; it reads no files.
struct TaskStatsInput {
  std::string space;
  std::string task;
  std::string ground_truth_metric;  ///< e.g. "test_accuracy_200ep_mean" (explicit, DESIGN.md)
  std::vector<double> truth;        ///< indexed by arch_id; NaN where the benchmark has none
  std::vector<std::int64_t> planned_archs;  ///< the run plan's architectures (unique)
  /// Indexed by arch_id: one id per distinct network, shared by the rows that are the same
  /// network trained again (NDS's `*_reruns`: two networks, 100 training seeds each). Empty:
  /// every row is a network of its own.
  std::vector<std::int64_t> network_of;
  std::vector<ProxyResult> proxies;     ///< output keeps this order; names unique
  std::vector<std::string> statistics;  ///< names from statistic_registry()
  BootstrapSettings bootstrap;  ///< seed: seed_for(SeedPurpose::kBootstrap, {base, space, task})
  /// false: point estimates only (every lo and hi null, no comparisons), as the spread across
  /// seeds needs them (add_seed_spread()); the bootstrap is most of the cost.
  bool intervals = true;
  std::string table_sha256;   ///< of the benchmark table the truth came from
  nlohmann::json provenance;  ///< copied into the document as is
};

/// Computes the `task_stats` document (schema version 1).
///
/// Statistics use the common set: planned archs with a finite truth that every proxy scored
/// with status ok, in ascending arch_id order (so the result never depends on plan or row
/// order, and proxies are compared on the same architectures and, through one bootstrap seed,
/// the same resamples). Everything else is counted per proxy (statuses, missing rows, rows
/// outside the plan) and the first five distinct error messages are kept. With fewer than 3
/// common archs every `stats` is null and `stats_reason` says why; likewise when the common
/// archs are fewer than 3 distinct networks (`network_of`): a correlation over two networks'
/// retrainings measures how far apart the two are, not how well a proxy ranks a space.
/// `n_distinct_networks` counts the networks of the common set.
///
/// Each proxy also gets `stats_all` = {n, n_ranked_last, stats}: its rank statistics
/// (rank_based ones only) over every planned arch with a finite truth that it scored ok or
/// non-finite, a non-finite score ranking last, as the references rank them and as papers
/// report over whole samples. The common set leaves out the architectures some proxy cannot
/// score (often the worst, e.g. cells without an input-output path), which lowers every
/// correlation; `stats_all` is the number to hold against a paper, `stats` the one to compare
/// proxies with.
///
/// `comparisons` answers "does proxy A beat proxy B?" (DESIGN.md's paired bootstrap): for
/// each statistic, every pair of proxies (a listed before b) with the paired bootstrap of the
/// difference a - b on the common set (paired_difference(): same resamples for both) and the
/// share of resamples in which a is better. Null when the common set is too small.
///
/// `scatter` is what the site plots per proxy and task: for up to 1,000 architectures of the
/// common set (all, or evenly spaced in arch id order), the ground truth and each proxy's place
/// in the whole common set, 0 (ranked worst) to 1 (best), both rounded to 4 decimals. Null with the
/// statistics, and when intervals are off.
///
/// Throws zcb::Error on inconsistent input: an unknown statistic (listing the known ones),
/// duplicate proxy names, planned archs or row arch ids, a planned arch without a truth entry,
/// or a kOk row with a non-finite score.
nlohmann::json compute_task_stats(const TaskStatsInput& input);

/// Adds to each proxy of @p document (the config's first seed) `seed_spread`: how its
/// statistics vary across the run's seeds (each a new draw of weights, data batch and proxy
/// noise). @p per_seed holds one task_stats document per seed of @p seeds, in that order (the
/// first may be @p document itself; the others are usually computed with intervals = false),
/// each on its own common set. For every statistic of `stats` and of `stats_all`: the value per
/// seed (null where undefined) and the mean, sample standard deviation (null below 2 values),
/// min and max of the defined ones. Throws zcb::Error when the counts differ or the documents
/// do not list the same proxies in the same order.
void add_seed_spread(nlohmann::json& document, const std::vector<int>& seeds,
                     const std::vector<const nlohmann::json*>& per_seed);

}  // namespace zcb
