/// @file statistics.hpp
/// @brief Display metadata of the statistics the stats stage reports (label, meaning, range).
///
/// The site renders any statistic found in the stats JSON; the ones known here get a label, a
/// description and a fixed axis for their interval bar, and come first in a fixed order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zcb/site/stats_files.hpp"

namespace zcb::site {

/// How the site shows one statistic.
struct StatisticInfo {
  std::string key;          ///< key in the stats JSON, e.g. "spearman"
  std::string label;        ///< column header, e.g. "Spearman ρ"
  std::string description;  ///< one sentence for tooltips and the legend
  /// Axis of the interval bar; empty for unknown statistics (the site then uses the data range).
  std::optional<double> axis_min;
  std::optional<double> axis_max;
  bool lower_is_better = false;  ///< a loss (regret): sorts ascending first
};

/// The statistics the site knows, in display order.
const std::vector<StatisticInfo>& known_statistics();

/// The metadata of @p key; an unknown key gets itself as label and no axis.
StatisticInfo statistic_info(std::string_view key);

/// The statistic columns of @p task: the keys it lists in `statistics` (in that order), then
/// any other key reported by a proxy, known ones in display order before unknown ones by name.
std::vector<std::string> statistic_keys(const TaskStats& task);

}  // namespace zcb::site
