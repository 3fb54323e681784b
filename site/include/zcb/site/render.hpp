/// @file render.hpp
/// @brief Renders the static leaderboard site from a stats directory.
#pragma once

#include <filesystem>

namespace zcb::site {

/// Renders the site for the stats in @p stats_dir (see stats_files.hpp) into @p out_dir.
///
/// Writes:
/// - `index.html`: overall leaderboard (mean rank of Spearman ρ over tasks), task list, run
///   summary;
/// - `<space>-<task>.html`: one sortable table per task with every statistic and its CI,
///   coverage, statuses, errors and cost; `<space>-<task>.csv` and `<space>-<task>.json`
///   (a copy of the task file) as downloads;
/// - `proxy-<name>.html`: one page per proxy: what run.json's catalogue says of it (paper,
///   reference code, formula, direction, inputs, variants), its statistics and place on every
///   task, and the published values for it;
/// - `provenance.html` and `run.json`: the whole run provenance and config;
/// - `history.html`, when @p history_dir holds archived runs (history.hpp): each proxy's
///   Spearman over them and what changed between the two newest;
/// - `assets/`: the stylesheet and script. Nothing is loaded from the network.
///
/// Everything is read and checked first, then written into a temporary sibling directory that
/// replaces @p out_dir only when complete, so a failed render never leaves half a site. An
/// existing @p out_dir is replaced only if it is empty or was written by render_site (it holds a
/// `.zcb-site` marker file), so a mistyped path cannot delete unrelated files.
///
/// @throws zcb::Error on invalid input (naming the file), on a space or task name that is not a
///         safe file name, or when @p out_dir cannot be written.
void render_site(const std::filesystem::path& stats_dir, const std::filesystem::path& out_dir,
                 const std::filesystem::path& history_dir = {});

}  // namespace zcb::site
