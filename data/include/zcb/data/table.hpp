/// @file table.hpp
/// @brief The benchmark table: one row per architecture (official index order), ground-truth
/// columns per task, and its HDF5 file `<data_root>/tables/<benchmark>.h5`.
///
/// File layout (schema version 1; `data/README.md` has the full description):
/// - `/archs/string` (fixed-length strings), `/archs/params`, `/archs/flops` (float64, NaN when
///   unknown), optionally `/archs/key` (fixed-length strings, e.g. NB101 module hashes);
/// - `/tasks/<task>/<metric>` (float64), one column per ground-truth metric;
/// - root attribute `zcb_table`: JSON `{schema_version, benchmark, converter_version,
///   provenance, tasks: {<task>: {description, num_classes, channels, height, width,
///   image_source, default_metric, metrics: {<metric>: description}}}}`, tasks and metrics in
///   table order.
/// Every column has one value per architecture. Optional `/archs/official_index` (int64): the
/// benchmark's global id of each row when it is not the row number (TransNAS-Bench-101 micro).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zcb/task.hpp"

namespace zcb::data {

/// Version of the file layout above. Bumped when a reader of the old layout would misread the
/// new one; read_table() rejects other versions.
inline constexpr int kTableSchemaVersion = 1;

/// Ground truth of one task.
struct TaskTable {
  /// Name, shape, image source and default metric. `info.metrics` lists the keys of `metrics`
  /// in table order (the default metric first by convention).
  TaskInfo info;
  std::map<std::string, std::vector<double>> metrics;      ///< metric -> one value per arch
  std::map<std::string, std::string> metric_descriptions;  ///< metric -> split, epochs, seeds...
  /// What the task is and anything a reader must know (e.g. which images proxies see).
  std::string description;

  /// The column @p name; throws zcb::Error listing the task's metrics if absent.
  const std::vector<double>& metric(const std::string& name) const;
};

/// A whole benchmark: architectures in the benchmark's official index order.
struct BenchmarkTable {
  std::string benchmark;                  ///< e.g. "nb201"
  std::vector<std::string> arch_strings;  ///< row i = official architecture index i
  std::vector<double> params;             ///< parameter counts; NaN if unknown
  std::vector<double> flops;              ///< FLOPs; NaN if unknown
  std::vector<TaskTable> tasks;
  /// Optional second key of each architecture, for benchmarks whose own key is not an index
  /// (NB101: the official module hash). Empty, or one entry per architecture; stored as
  /// `/archs/key` with its name in the header (`arch_key`).
  std::vector<std::string> arch_keys;
  std::string arch_key_name;  ///< what arch_keys hold, e.g. "nb101_module_hash"
  /// `{sources: [{name, sha256}], converter_version, notes}` (more keys allowed).
  nlohmann::json provenance;
  /// The benchmark's own global id of each row when it differs from the row number (one value
  /// per row, `/archs/official_index`); empty when row i is official index i.
  std::vector<std::int64_t> official_index;

  /// Number of architectures.
  std::size_t size() const;

  /// The task called @p name; throws zcb::Error listing the known tasks if absent.
  const TaskTable& task(const std::string& name) const;

  /// Row of the architecture string @p arch, or -1 if absent. Linear scan: build a map once
  /// when looking up many strings.
  std::int64_t index_of(const std::string& arch) const;

  /// Row whose arch key is @p key, or -1 if absent (or the table has no keys). Linear scan.
  std::int64_t index_of_key(const std::string& key) const;
};

/// Checks @p table (column lengths, names, metric lists, default metrics, provenance with a
/// `converter_version`) and writes it to @p path atomically (via `<path>.tmp`). Equal tables
/// give byte-identical files. Throws zcb::Error, leaving no file behind, on an invalid table
/// or a write failure.
void write_table(const BenchmarkTable& table, const std::filesystem::path& path);

/// Reads a table written by write_table(). Throws zcb::Error naming @p path when the file is
/// missing, truncated, corrupt, of another schema version, or inconsistent (a column of the
/// wrong length, metrics that differ from the header); the message says to convert again.
BenchmarkTable read_table(const std::filesystem::path& path);

/// `<data_root>/tables/<benchmark>.h5`.
std::filesystem::path table_path(const std::filesystem::path& data_root,
                                 const std::string& benchmark);

}  // namespace zcb::data
