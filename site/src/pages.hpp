// Internal: builds the data of each page and renders it with the embedded templates.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "zcb/site/history.hpp"
#include "zcb/site/stats_files.hpp"

namespace zcb::site::detail {

/// "<space>-<task>": the file name stem of a task's page and downloads.
std::string task_stem(const TaskStats& task);

/// index.html: the overall leaderboard, the task list and a run summary.
std::string render_index_page(const RunStats& run);

/// <space>-<task>.html for run.tasks[task_index].
std::string render_task_page(const RunStats& run, std::size_t task_index);

/// published.html: every published value of the run's proxies and tasks beside ours.
std::string render_published_page(const RunStats& run);

/// history.html: @p history (oldest first) for the run's tasks and proxies, and what changed
/// between its two newest entries.
std::string render_history_page(const RunStats& run, const std::vector<HistoryEntry>& history);

/// Proxy name -> the file name of its page ("proxy-<name>.html", unsafe characters replaced by
/// '_', made unique), for every proxy of the run's tasks.
std::map<std::string, std::string> proxy_page_names(const RunStats& run);

/// The page of proxy @p name: what the catalogue says of it, its statistics on every task, and
/// the published values for it.
std::string render_proxy_page(const RunStats& run, const std::string& name);

/// provenance.html: the whole run provenance and config.
std::string render_provenance_page(const RunStats& run);

}  // namespace zcb::site::detail
