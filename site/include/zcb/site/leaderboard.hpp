/// @file leaderboard.hpp
/// @brief The overall ranking of proxies: mean rank of one statistic over all tasks.
///
/// In each task, the proxies are ranked by the estimate of the statistic (highest = rank 1,
/// ties share the mean of their ranks). Every proxy seen in any task takes part in every task:
/// a proxy without an estimate there (not run, unsupported, or too few architectures) shares the
/// ranks left after the ranked ones, i.e. it ties for last. The leaderboard is ordered by the
/// mean of these ranks over all tasks (lower is better), then by the mean estimate over the tasks
/// where there is one (higher is better), then by name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zcb/site/stats_files.hpp"

namespace zcb::site {

/// One proxy's line on the leaderboard. Vectors are indexed like RunStats::tasks.
struct LeaderboardEntry {
  std::string proxy;
  double mean_rank = 0.0;
  std::optional<double> mean_estimate;  ///< over the tasks that have an estimate
  int tasks_with_estimate = 0;
  std::vector<double> ranks;             ///< rank in each task (shared last place if no estimate)
  std::vector<const ProxyStats*> stats;  ///< the proxy in each task, nullptr where absent
};

/// Ranks the proxies of @p run by @p statistic as described in the file comment. The entries
/// point into @p run, which must outlive them.
std::vector<LeaderboardEntry> build_leaderboard(const RunStats& run,
                                                std::string_view statistic = "spearman");

/// The estimate of @p statistic for @p proxy, or empty (null statistic, missing, no proxy).
std::optional<double> estimate_of(const ProxyStats* proxy, std::string_view statistic);

}  // namespace zcb::site
