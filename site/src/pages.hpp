// Internal: builds the data of each page and renders it with the embedded templates.
#pragma once

#include <string>

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

/// provenance.html: the whole run provenance and config.
std::string render_provenance_page(const RunStats& run);

}  // namespace zcb::site::detail
