/// @file csv.hpp
/// @brief The CSV downloads: per task, its pairwise comparisons, and the published values.
#pragma once

#include <string>

#include "zcb/site/stats_files.hpp"

namespace zcb::site {

/// RFC 4180 CSV with one row per proxy of @p task: `proxy, version, higher_is_better, n_scored,
/// n_ok, coverage`, then `<stat>, <stat>_lo, <stat>_hi` for every statistic (statistic_keys()
/// order), then `mean_build_ms, mean_score_ms`; for a run of several seeds then `seeds` and
/// `<stat>_seed_mean, <stat>_seed_sd` for every statistic. Numbers keep full precision; a missing
/// value is an empty field. Lines end with "\n".
std::string task_csv(const TaskStats& task);

/// RFC 4180 CSV with one row per paired comparison of @p task (statistics in alphabetical order,
/// pairs in file order, statistics by name): `statistic, a, b, difference, difference_lo,
/// difference_hi, share_a_better`, the difference being a - b. Same conventions as task_csv().
std::string pairwise_csv(const TaskStats& task);

/// RFC 4180 CSV with one row per published value of every proxy and task of @p run (the stats
/// stage's `published` arrays, in task and proxy order): `space, task, proxy, statistic,
/// absolute, published, decimals, paper, where, ours_over, ours_n, ours, ours_lo, ours_hi,
/// difference, verdict, ours_ground_truth, same_ground_truth, sample, ground_truth, notes,
/// origin`. Same conventions as task_csv().
std::string published_csv(const RunStats& run);

}  // namespace zcb::site
