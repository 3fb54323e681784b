/// @file complexity_check.hpp
/// @brief `zcbench check-complexity`: builds networks and compares their parameter counts and
/// FLOPs with what the benchmark publishes, and with the space's analytic counts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace zcb {

/// Result of checking one space. A "pair" is one (architecture, task) network: most tables
/// publish one count per architecture (their reference task), TransNAS-Bench-101 one per task.
struct ComplexityReport {
  /// Where the published params come from, e.g. "nb201 table `params` (task cifar10)" or
  /// "suite-zero-transnas-micro `params@naslib_early`, every task"; empty when nothing
  /// publishes them for this space.
  std::string params_source;
  std::int64_t pairs = 0;           ///< pairs whose analytic counts were computed
  std::int64_t built = 0;           ///< of those, networks built (pairs)
  std::int64_t params_checked = 0;  ///< pairs with a published count
  std::int64_t params_matches = 0;  ///< analytic params == published
  /// Mismatches where the published value is not a whole number: the benchmark averaged
  /// `params` over training seeds that recorded different counts, so no network can match it.
  std::int64_t seed_mean_mismatches = 0;
  std::int64_t analytic_mismatches = 0;  ///< built params != SearchSpace::complexity params
  std::int64_t flops_checked = 0;        ///< pairs with published FLOPs (table `flops`)
  std::int64_t flops_matches = 0;        ///< analytic FLOPs == published
  double flops_mean_abs_rel_diff = 0.0;  ///< mean |ours - published| / published
  double flops_max_abs_rel_diff = 0.0;
  std::vector<std::string> examples;  ///< first mismatches, described
  /// The network with the most analytic FLOPs on the reference task (the memory and time worst
  /// case at a fixed batch): table row, architecture string, FLOPs and params.
  std::int64_t largest_id = -1;
  std::string largest_task;
  std::string largest_arch;
  std::int64_t largest_flops = 0;
  std::int64_t largest_params = 0;
  /// One row per pair: `id,task,arch,analytic_params,published_params,built_params,
  /// analytic_flops,published_flops` (empty where unknown), for inspecting mismatches.
  std::vector<std::string> csv_rows;
  double mean_build_ms = 0.0;
  double max_build_ms = 0.0;

  /// True when every params mismatch is a seed mean and built == analytic everywhere. FLOPs do
  /// not decide it: spaces document their FLOPs convention and its known differences.
  bool params_all_explained() const {
    return params_checked - params_matches == seed_mean_mismatches && analytic_mismatches == 0;
  }
};

/// Checks a fixed sample of @p sample_size architectures (0 = all, sampling seed 1) of @p space
/// against the tables under @p data_root: the space's own table `params`/`flops` (its first task)
/// when they are published there, else NAS-Bench-Suite-Zero's recorded `params` per task
/// (`suite-zero-<benchmark>`, in millions rounded to 1e-6) where that table is installed. The
/// analytic counts are compared for every pair; @p build_sample of them (0 = all, seed 2) are also
/// built and their parameters counted, which proves the analytic count describes the network
/// (building is the slow part: ~0.6 s for a large NB101 network).
ComplexityReport check_complexity(const std::string& space, const std::filesystem::path& data_root,
                                  std::int64_t sample_size = 0, std::int64_t build_sample = 0);

}  // namespace zcb
