/// @file nb101_table.hpp
/// @brief Builds the NAS-Bench-101 table (task cifar10) from the official TFRecord file when it
/// is present, otherwise from the community subsets of the `nb101` manifest.
///
/// NB101 has no integer architecture index: rows are numbered in source order, each row
/// carries the official module hash as its arch key (`BenchmarkTable::arch_keys`, name
/// "nb101_module_hash") and the canonical arch string of nb101_arch_string(). Metric names say
/// what they are (split, epochs, repeats); `data/README.md` ("NB101 table") has the details.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Version of the NB101 conversion; bumped whenever the table it produces would change.
inline constexpr int kNb101ConverterVersion = 1;

/// File names of the `nb101` manifest.
inline constexpr const char* kNb101Only108File = "nasbench_only108.tfrecord";
inline constexpr const char* kNb101FullFile = "nasbench_full.tfrecord";
inline constexpr const char* kNb101GennasFile = "nasbench1_2500.json";
inline constexpr const char* kNb101SuiteZeroFile = "zc_nasbench101.json";

/// What a TFRecord conversion read (for logs, tests and the memory/time estimate).
struct Nb101TfRecordSummary {
  std::uint64_t records = 0;            ///< rows in the file (all budgets)
  std::uint64_t records_108 = 0;        ///< rows with epochs == 108 (the ones used)
  std::uint64_t payload_bytes = 0;      ///< sum of row lengths
  std::uint64_t modules = 0;            ///< distinct module hashes with 108-epoch rows
  std::uint64_t not_three_repeats = 0;  ///< modules with other than 3 repeats at 108 epochs
};

/// Builds the table from @p files (file name -> path, as returned by fetch_benchmark() for the
/// `nb101` manifest): from `nasbench_only108.tfrecord` if given, else `nasbench_full.tfrecord`
/// if given, else from `nasbench1_2500.json` and `zc_nasbench101.json` (both required then).
/// Throws zcb::Error for a missing file and for any malformed or inconsistent input (naming
/// the file, the record / entry and what to do).
BenchmarkTable convert_nb101(const std::map<std::string, std::filesystem::path>& files);

/// The official-file conversion alone: streams @p path (one record in memory at a time), keeps
/// the 108-epoch rows, checks every module hash against the graph it comes with, and averages
/// the final (evaluation_data[2]) test and validation accuracy over the repeats. Fills
/// @p summary when given.
BenchmarkTable nb101_table_from_tfrecord(const std::filesystem::path& path,
                                         Nb101TfRecordSummary* summary = nullptr);

}  // namespace zcb::data
