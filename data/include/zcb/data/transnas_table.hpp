/// @file transnas_table.hpp
/// @brief Builds the TransNAS-Bench-101 tables `transnas-macro` (3,256 architectures) and
/// `transnas-micro` (4,096 architectures), seven tasks each, from the community files of their
/// manifests.
///
/// Row i of `transnas-macro` is official TNB index i (0..3255); row i of `transnas-micro` is
/// official TNB index 3256 + i, kept in `BenchmarkTable::official_index`. Every metric is the
/// best value over the training epochs (TransNAS API `get_single_metric(mode='best')`), the
/// default the valid split. `data/README.md` lists the metrics of each task.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Version of the TransNAS-Bench-101 conversion; bumped whenever the tables would change.
inline constexpr int kTransnasConverterVersion = 1;

/// Number of macro (network-level) architectures: official indexes 0..3255.
inline constexpr std::size_t kTransnasMacroSize = 3256;
/// Number of micro (cell-level) architectures: official indexes 3256..7351.
inline constexpr std::size_t kTransnasMicroSize = 4096;

/// Parses the printed TransNAS index list (one line `ArchResult(arch-index=I, arch=A, 7 tasks)`
/// per architecture, I counting 0, 1, 2, ...) into the architecture strings in index order.
/// Checks that there are 7,352 lines, that macro strings (`64-<4 to 6 digits 1-4>-basic`) come
/// first and micro strings (`64-41414-a_bc_def`, digits 0-3) after them, and that no string
/// repeats. Throws zcb::Error naming @p source and the line otherwise.
std::vector<std::string> parse_transnas_arch_list(std::string_view text, const std::string& source);

/// The seven tasks (name, shape, image source, description) without metrics, in table order.
std::vector<TaskTable> transnas_tasks_without_metrics();

/// Builds `transnas-macro` from @p files (name -> path, the `transnas-macro` manifest).
BenchmarkTable convert_transnas_macro(const std::map<std::string, std::filesystem::path>& files);

/// Builds `transnas-micro` from @p files (name -> path, the `transnas-micro` manifest).
BenchmarkTable convert_transnas_micro(const std::map<std::string, std::filesystem::path>& files);

}  // namespace zcb::data
