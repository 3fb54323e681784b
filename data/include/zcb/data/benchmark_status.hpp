/// @file benchmark_status.hpp
/// @brief What `zcbench list benchmarks` shows: for every manifest, whether its table is
/// installed (path, sha256, rows) and which raw files are present, partly downloaded or missing,
/// with how to get each missing one. Reads only file sizes and the table; never downloads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "zcb/data/manifest.hpp"

namespace zcb::data {

/// One raw file of a manifest on disk.
struct RawFileStatus {
  enum class State {
    kPresent,    ///< at its path with the manifest's size (fetch checks the sha256)
    kWrongSize,  ///< at its path with another size: corrupt or another version
    kMissing,    ///< not at its path
  };
  ManifestFile file;
  std::filesystem::path path;  ///< raw_file_path()
  State state = State::kMissing;
  std::int64_t size = -1;           ///< size on disk when present or of the wrong size
  std::int64_t partial_bytes = -1;  ///< size of `<name>.part` (a resumable download); -1: none
};

/// The converted table of a benchmark.
struct TableStatus {
  bool has_converter = false;  ///< false: raw files only (e.g. image sets), no table
  std::filesystem::path path;  ///< table_path()
  bool installed = false;      ///< the file exists
  std::string sha256;          ///< of the file, when installed
  std::int64_t rows = -1;      ///< architectures, when readable
  std::string problem;         ///< why an installed table cannot be read; empty if fine
};

/// Everything known about one benchmark on disk.
struct BenchmarkStatus {
  std::string benchmark;
  std::string description;
  TableStatus table;
  std::vector<RawFileStatus> files;  ///< manifest order

  /// Every required raw file is present with the right size.
  bool raw_complete() const;

  /// Whether `zcbench convert` can build the table without a manual step: the benchmark has a
  /// converter, and its manifest lists a required file (fetch gets required files, or fails
  /// with a clear error) or every one of its optional files is present. False for a benchmark
  /// whose only source is an optional official file that fetch never downloads and that is
  /// missing (NDS data.zip, a NATS-Bench folder): a convert of every benchmark skips those.
  bool convertible() const;

  /// Why convertible() is false, on one line (each missing file, its path and how to get it);
  /// empty when it is true.
  std::string not_convertible_reason() const;
};

/// Status of @p manifest under @p data_root; @p has_converter says whether a table is expected.
BenchmarkStatus benchmark_status(const Manifest& manifest, const std::filesystem::path& data_root,
                                 bool has_converter);

/// Status of every embedded manifest (manifest_names() order).
std::vector<BenchmarkStatus> all_benchmark_status(const std::filesystem::path& data_root);

/// How to get @p file when it is missing, on one line: a browser download with the URL, size,
/// sha256 and target path for `interactive_only` files; `zcbench fetch` with the URL or mirror
/// path when fetch can get it; else the manifest's how_to_get.
std::string how_to_get_line(const std::string& benchmark, const RawFileStatus& status);

/// Human-readable report of @p status (several lines, each ending in '\n').
std::string format_benchmark_status(const BenchmarkStatus& status);

}  // namespace zcb::data
