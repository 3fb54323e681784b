/// @file verify.hpp
/// @brief `zcbench verify`: the published values of a run beside ours, as a plain-text report.
///
/// The same comparisons as the site's "Published values" page (the stats stage's `published`
/// arrays, zcb/results/published.hpp), for a terminal or a CI log, with a verdict count that a
/// CI job can fail on.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "zcb/site/stats_files.hpp"

namespace zcb::site {

/// Counts of the verdicts of a set of published values.
struct VerdictCounts {
  std::size_t within = 0;        ///< the paper's value lies in our interval (allowing its rounding)
  std::size_t above = 0;         ///< the paper reports more than we measure
  std::size_t below = 0;         ///< the paper reports less than we measure
  std::size_t not_computed = 0;  ///< this run did not compute the statistic
  std::size_t total() const { return within + above + below + not_computed; }
};

/// What verification_report() found.
struct Verification {
  std::string report;                           ///< the text, one line per value, then a summary
  VerdictCounts all;                            ///< over every value shown
  std::map<std::string, VerdictCounts> papers;  ///< per paper
};

/// Every published value of @p run whose paper contains @p paper_filter (all when empty), one
/// line each in task and proxy order: verdict, space/task, proxy, statistic (|statistic| where
/// the paper tabulates absolute values), the published value with its printed digits, ours
/// with its interval, n and whose ground truth, then the paper and where in it. Then the counts,
/// over all and per paper. Numbers use ASCII signs (a log is grepped).
Verification verification_report(const RunStats& run, const std::string& paper_filter);

}  // namespace zcb::site
