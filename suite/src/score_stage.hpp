/// @file score_stage.hpp
/// @brief The score stage: plans the jobs a config still needs, runs them in worker
/// processes (or in this process), and stores every row. Resumable: finished rows survive an
/// interrupted run, and a rerun only scores what is missing. Torch-free: the torch work
/// happens behind JobRunner, in workers.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "allocator.hpp"
#include "config.hpp"
#include "job.hpp"

namespace zcb {

struct ScoreOptions {
  std::filesystem::path data_root;
  std::filesystem::path results_root;
  std::string mirror;
  bool offline = false;
  int workers = -1;    ///< -1 = the config's value
  bool force = false;  ///< discard existing rows and rescore
  /// Stored rows with one of these statuses are scored again (`--retry crashed,out_of_memory`
  /// after a worker was killed for memory, say); the others are kept. A stored row stays in
  /// its file until its new result replaces it, so an interrupted retry loses nothing. Rows
  /// of a merged file that a shard skips (done elsewhere) are not retried.
  std::set<RowStatus> retry;
  double checkpoint_seconds = 30.0;
  /// Compute shared-pass proxies from one pass (false: each alone; the scores are identical).
  bool shared_pass = true;
  /// Score only shard @c shard_index of @c shard_count (plan.hpp shard_of), into
  /// `seed-<k>.part-<i>-of-<N>.h5` files; `zcbench merge` combines them. Rows an unsharded
  /// `seed-<k>.h5` already holds (an earlier merge or run) are not scored again.
  int shard_index = 0;
  int shard_count = 1;
  std::string device = "cpu";               ///< resolved device
  nlohmann::json environment;               ///< provenance recorded with every score file
  std::filesystem::path worker_executable;  ///< the zcbench binary (for `zcbench worker`)
  /// The malloc the workers start with (allocator.hpp); the in-process path keeps this
  /// process's own. Recorded in the timing files, not in the score files: it changes
  /// timings and peak memory, never a score.
  WorkerAllocator allocator{"system", ""};
  /// Scores a job in this process (used when workers == 0).
  std::function<JobResult(const Job&)> run_in_process;
};

struct ScoreSummary {
  std::int64_t jobs_planned = 0;
  std::int64_t jobs_done = 0;
  std::int64_t rows_skipped = 0;  ///< already present from an earlier run
  std::int64_t rows_retried = 0;  ///< present, but with a status ScoreOptions::retry names
  bool interrupted = false;
};

/// Runs the score stage for @p config. Throws zcb::Error for bad input (missing tables, a
/// corrupt score file, settings that differ from an existing file without --force).
ScoreSummary run_score_stage(const RunConfig& config, const ScoreOptions& options);

/// Asks a running score stage to stop after checkpointing (called from signal handlers).
void request_score_stop();

/// True once request_score_stop() was called; a fetch in progress polls it and stops too.
bool score_stop_requested();

}  // namespace zcb
