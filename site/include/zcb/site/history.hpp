/// @file history.hpp
/// @brief The run history: archived statistics of earlier runs, and what changed between them.
///
/// A nightly job archives each run's statistics (`zcbench history`) into a history directory
/// that outlives the run; the site's history page and `zcbench history --strict` compare the
/// newest entry with the one before. A proxy whose statistics change while its version does not
/// is a change nobody announced: the regression a nightly benchmark is there to catch.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zcb/site/stats_files.hpp"

namespace zcb::site {

/// One proxy on one task in one archived run.
struct HistoryPoint {
  std::optional<std::int64_t> version;
  std::map<std::string, std::optional<Estimate>> stats;  ///< as ProxyStats::stats
};

/// One archived run.
struct HistoryEntry {
  std::filesystem::path file;
  std::string id;       ///< the file stem: "<created>-<short git sha>"
  std::string created;  ///< UTC, ISO 8601, e.g. "2026-12-07T07:45:00Z"
  std::string run_name;
  std::string git_sha;
  /// "<space>/<task>" -> proxy name -> its statistics, proxies in the run's order.
  std::map<std::string, std::vector<std::pair<std::string, HistoryPoint>>> tasks;
};

/// The value of statistic @p key at @p point; empty when absent or null.
std::optional<Estimate> statistic_at(const HistoryPoint& point, const std::string& key);

/// Whether two values of a statistic are identical: both empty, or the same estimate and bounds.
bool same_value(const std::optional<Estimate>& a, const std::optional<Estimate>& b);

/// The history entry of @p run: its name, build and every proxy's version and statistics.
nlohmann::ordered_json history_entry_json(const RunStats& run, const std::string& created);

/// Writes history_entry_json(@p run, @p created) into @p history_dir (created if needed) as
/// `<created>-<short git sha>.json`, atomically; returns the file. @p created must be an ISO
/// 8601 UTC time such as "2026-12-07T07:45:00Z" (it becomes a file name and the sort key).
/// Throws zcb::Error when the file exists already or cannot be written.
std::filesystem::path add_to_history(const RunStats& run, const std::filesystem::path& history_dir,
                                     const std::string& created);

/// Every `*.json` entry of @p history_dir, oldest first (by created, then id); none when the
/// directory does not exist. Throws zcb::Error naming a malformed file.
std::vector<HistoryEntry> load_history(const std::filesystem::path& history_dir);

/// One statistic of one proxy on one task that differs between two consecutive entries.
struct HistoryChange {
  std::string task;  ///< "<space>/<task>"
  std::string proxy;
  std::string statistic;
  std::optional<Estimate> before;
  std::optional<Estimate> after;
  std::optional<std::int64_t> version_before;
  std::optional<std::int64_t> version_after;
  /// Same proxy version, different numbers: the scores changed without a version bump.
  bool unannounced = false;
  /// The new estimate lies outside the previous interval.
  bool outside_interval = false;
};

/// Every statistic of every (task, proxy) present in both @p before and @p after whose value
/// (estimate or bounds) differs, in @p after's task and proxy order.
std::vector<HistoryChange> history_changes(const HistoryEntry& before, const HistoryEntry& after);

/// A plain-text account of history_changes() between the last two entries of @p history, for a
/// terminal or a CI log.
std::string history_report(const std::vector<HistoryEntry>& history);

}  // namespace zcb::site
