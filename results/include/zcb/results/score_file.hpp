/// @file score_file.hpp
/// @brief The score store: one HDF5 file per (space, task, proxy, seed, shard).
///
/// Layout of a score file (schema version 1), rows sorted by `arch_id`:
///
/// | object         | type              | content                                        |
/// |----------------|-------------------|------------------------------------------------|
/// | `/arch_id`     | int64             | architecture id (the benchmark's own index)    |
/// | `/score`       | float64           | the proxy's value; NaN/inf stored as is        |
/// | `/status`      | int64             | zcb::RowStatus code                            |
/// | `/message`     | fixed-size string | error message of a failed row, else empty      |
/// | attr `zcb_scores` | JSON string    | `{schema_version, key, complete, provenance}`  |
///
/// Wall-clock timings live in a sidecar file (timing_path()) on purpose: two runs of the same
/// configuration must give bit-identical score files, and timings differ from run to run.
///
/// Do all score-file I/O from one thread: the HDF5 C++ wrappers are not thread-safe
/// (toolchain.md §5); parallel workers hand their rows to one writer or write per-shard files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zcb/status.hpp"

namespace zcb {

/// Identifies one score file. Names are single path components (no '/', not "." or "..").
struct ScoreKey {
  std::string space;
  std::string task;
  std::string proxy;
  int seed = 0;         ///< base seed of the run (>= 0)
  int shard_index = 0;  ///< 0-based shard, in [0, shard_count)
  int shard_count = 1;  ///< number of shards the plan was split into (>= 1)
};

/// Field-wise equality; the score loop skips a complete file whose key equals the wanted one.
bool operator==(const ScoreKey& a, const ScoreKey& b);
bool operator!=(const ScoreKey& a, const ScoreKey& b);

/// One scored architecture. A row with status kOk has a finite score; other statuses keep the
/// proxy's value (possibly NaN) and, for failures, the error message.
struct ScoreRow {
  std::int64_t arch_id = 0;
  double score = 0.0;
  RowStatus status = RowStatus::kOk;
  std::string message;
};

/// Steady-clock durations of one architecture, in milliseconds.
struct TimingRow {
  std::int64_t arch_id = 0;
  double build_ms = 0.0;
  double score_ms = 0.0;
  /// Peak resident memory of the process that built the network and computed the proxy (its
  /// shared pass included), in MiB, measured from a reset at the start of that work; NaN where
  /// the platform cannot reset the peak (non-Linux) and in sidecars written before it existed.
  double peak_rss_mib = std::numeric_limits<double>::quiet_NaN();
};

/// The content of one score file.
struct ScoreFile {
  ScoreKey key;
  std::vector<ScoreRow> rows;  ///< any order on write; sorted by arch_id on read
  nlohmann::json provenance;   ///< proxy version, table sha256, git sha, settings hash, ...
  bool complete = false;       ///< true once every planned row of the key was written
};

/// `results_root/raw/<space>/<task>/<proxy>/seed-<seed>.h5`, or
/// `.../seed-<seed>.part-<shard_index>-of-<shard_count>.h5` when shard_count > 1.
/// Throws zcb::Error on an invalid key (empty or path-like names, bad shard numbers).
std::filesystem::path score_path(const std::filesystem::path& results_root, const ScoreKey& key);

/// The timing sidecar of a score file: `seed-0.h5` -> `seed-0.timing.h5` in the same folder.
/// Throws zcb::Error if @p score_file does not end in `.h5`.
std::filesystem::path timing_path(const std::filesystem::path& score_file);

/// Writes @p file atomically (`<path>.tmp`, then rename). The bytes depend only on the content:
/// rows are sorted by arch_id first, so equal ScoreFiles give byte-identical files.
/// Throws zcb::Error on an invalid key, a duplicate arch_id, a kOk row with a non-finite score,
/// a message containing a NUL byte, or an I/O failure; an existing file is then left untouched.
void write_score_file(const std::filesystem::path& path, const ScoreFile& file);

/// Reads a score file written by write_score_file(). Throws zcb::Error naming @p path, and
/// saying how to fix it, when the file is missing, truncated, corrupt or of another schema.
ScoreFile read_score_file(const std::filesystem::path& path);

/// Writes the timing sidecar atomically: columns `/arch_id`, `/build_ms`, `/score_ms` sorted by
/// arch_id, root attribute `zcb_timings` = `{schema_version: 1, info}`. @p info holds run
/// context (device, threads, ...). Throws zcb::Error on a duplicate arch_id or I/O failure.
void write_timing_file(const std::filesystem::path& path, const std::vector<TimingRow>& rows,
                       const nlohmann::json& info);

/// Reads a timing sidecar; rows sorted by arch_id. Errors as read_score_file().
std::vector<TimingRow> read_timing_file(const std::filesystem::path& path);

}  // namespace zcb
