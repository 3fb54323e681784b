/// @file fetch.hpp
/// @brief Puts the raw files of a benchmark under the data root, each verified by sha256.
///
/// Sources are tried in this order for every required file: the file already in place; a local
/// mirror directory or a mirror base URL; the manifest's official URLs (never those marked
/// `interactive_only`). Every copy or download is written to `<name>.part`, hashed on the way,
/// and renamed into place only when size and sha256 match, so a failed, corrupt or interrupted
/// transfer never leaves a file under the final name.
///
/// HTTP(S) downloads survive the real internet: a `.part` left by a cut connection, a time-out or
/// an interrupted run is resumed with a Range request (a server that answers 200 instead of 206
/// restarts the file cleanly); transient failures (connection errors, time-outs, cuts, HTTP 408,
/// 429 and 5xx) are retried with exponential back-off; connect and stall time-outs bound every
/// transfer; a resumed file whose final sha256 is wrong is deleted and downloaded once more from
/// the start. Concurrent fetches of one benchmark (e.g. job-array tasks sharing a data root)
/// are serialised by a lock file `raw/<benchmark>/.fetch.lock`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "zcb/data/manifest.hpp"

namespace zcb::data {

/// One progress report of a copy or download (see FetchOptions::on_progress).
struct FetchProgress {
  std::string benchmark;          ///< manifest name, e.g. "nb201"
  std::string file;               ///< manifest file name
  std::string source;             ///< URL or mirror path being read
  std::int64_t bytes = 0;         ///< bytes of the file written so far, resumed part included
  std::int64_t total = -1;        ///< expected size in bytes; -1 when unknown
  std::int64_t resumed_from = 0;  ///< bytes already in `<name>.part` when this transfer began
  double seconds = 0;             ///< seconds since this transfer began
  bool done = false;              ///< last report of this transfer
  bool ok = false;                ///< with `done`: the file is complete and verified
};

/// Where files go, where they may come from, and how hard to try.
struct FetchOptions {
  std::filesystem::path data_root;  ///< raw files go to `<data_root>/raw/<benchmark>/<name>`
  /// A mirror root: a local directory, or a base URL (anything with "://", e.g. https://...).
  /// A file is looked up at `<mirror>/<mirror_path>`. Empty: no mirror.
  std::string mirror;
  bool allow_network = true;  ///< false: never download (URLs are still listed in errors)

  /// Extra attempts per URL after a transient failure (each resumes the `.part`).
  int retries = 4;
  /// Wait before the first retry; doubled before each further one, capped at retry_max_delay.
  std::chrono::milliseconds retry_base_delay{2000};
  std::chrono::milliseconds retry_max_delay{60000};
  /// Give up connecting to a host after this long.
  std::chrono::seconds connect_timeout{30};
  /// A transfer slower than low_speed_bytes_per_second for low_speed_time is a (retried)
  /// time-out: a stalled server fails in a minute instead of hanging a nightly job.
  long low_speed_bytes_per_second = 1024;
  std::chrono::seconds low_speed_time{60};

  /// Called often during every copy or download (libcurl calls at least once a second, also
  /// while stalled), and once with `done` set. Throttling is the receiver's job.
  std::function<void(const FetchProgress&)> on_progress;
  /// Called with one line for each event worth a log entry: a resume, a retry and its delay, a
  /// server that ignored a Range request, a wait for another fetch's lock.
  std::function<void(const std::string&)> on_notice;
  /// Polled during transfers and back-off waits; true stops the fetch with a zcb::Error that
  /// names the kept `.part` (the next fetch resumes it).
  std::function<bool()> should_stop;
};

/// `<data_root>/raw/<benchmark>/<name>`: where fetch_benchmark() puts a file.
std::filesystem::path raw_file_path(const std::filesystem::path& data_root,
                                    const std::string& benchmark, const std::string& name);

/// `<raw_file_path>.part`: a download in progress or an interrupted one, resumed by the next
/// fetch.
std::filesystem::path partial_file_path(const std::filesystem::path& data_root,
                                        const std::string& benchmark, const std::string& name);

/// Makes sure every required file of @p manifest is at raw_file_path() with the manifest's
/// size and sha256, copying or downloading what is missing, and returns name -> path for the
/// required files plus any optional file already in place (optional files are never
/// downloaded: they are large and need manual steps, see ManifestFile::how_to_get).
///
/// Throws zcb::Error
/// - when a file already in place has the wrong size or sha256 (the message names the file,
///   expected and actual sha256, and says to delete it and fetch again);
/// - when required files cannot be obtained: one error lists every such file with its expected
///   path, size, sha256, each attempt and why it failed (HTTP status, time-out, checksum), its
///   URLs (for `interactive_only` ones: open this URL in a browser and save the file at this
///   path), a kept partial download, and how_to_get;
/// - when FetchOptions::should_stop asks to stop (the `.part` is kept for the next run).
std::map<std::string, std::filesystem::path> fetch_benchmark(const Manifest& manifest,
                                                             const FetchOptions& options);

/// The data root from the environment variable `ZCB_DATA_ROOT`, else `./zcb-data`.
std::filesystem::path default_data_root();

/// The mirror from the environment variable `ZCB_MIRROR`, else empty (no mirror).
std::string default_mirror();

}  // namespace zcb::data
