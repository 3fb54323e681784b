/// @file stages.hpp
/// @brief The fetch, convert, stats and render stages (score is in score_stage.hpp), each
/// reading only what earlier stages wrote. Torch-free.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"
#include "zcb/results/published.hpp"

namespace zcb {

/// Where a run reads and writes.
struct StagePaths {
  std::filesystem::path data_root;     ///< raw/ and tables/
  std::filesystem::path results_root;  ///< raw/ (scores), stats/, site/
  std::string mirror;                  ///< local folder or base URL tried before the network
  bool offline = false;                ///< never download
  /// Archived runs (zcb/site/history.hpp); empty: results_root/history.
  std::filesystem::path history;
  std::filesystem::path history_dir() const {
    return history.empty() ? results_root / "history" : history;
  }
};

/// Benchmarks a config needs (the spaces' tables), in first-use order.
std::vector<std::string> benchmarks_of(const RunConfig& config);

/// Fetches the raw files of @p benchmarks (and the image sets) into data_root/raw.
void fetch_stage(const std::vector<std::string>& benchmarks, const StagePaths& paths);

/// Converts raw files into data_root/tables/<benchmark>.h5 (skipped when the table exists and
/// was made from the same source files, unless @p force).
void convert_stage(const std::vector<std::string>& benchmarks, const StagePaths& paths, bool force);

/// Computes results_root/stats/<space>/<task>.json and run.json from the score files. Each
/// proxy's entry gets a `published` array: the values of @p published on its (space, task) set
/// beside ours (zcb/results/published.hpp).
void stats_stage(const RunConfig& config, const StagePaths& paths, const nlohmann::json& provenance,
                 const std::vector<PublishedValue>& published);

/// Renders results_root/site from results_root/stats.
std::filesystem::path render_stage(const StagePaths& paths);

/// Torch-free facts about this machine and build for provenance records: zcbench version, git
/// sha, HDF5 version, active BLAS, CPU model and ISA flags, relevant environment variables.
nlohmann::json environment_provenance();

}  // namespace zcb
