/// @file complexity_check.hpp
/// @brief `zcbench check-complexity`: builds networks and compares their parameter counts
/// with the benchmark table and with the space's analytic counts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace zcb {

struct ComplexityReport {
  std::int64_t checked = 0;
  std::int64_t table_mismatches = 0;  ///< built params != table params (any reason)
  /// Of those, the table value is not a whole number: the benchmark averaged `params` over
  /// training seeds that recorded different counts, so no single network can match it.
  std::int64_t seed_mean_mismatches = 0;
  std::int64_t analytic_mismatches = 0;  ///< built params != SearchSpace::complexity params
  std::vector<std::string> examples;     ///< first mismatches, described
  double mean_build_ms = 0.0;
  double max_build_ms = 0.0;
};

/// Checks @p arch_ids (all when empty) of @p space on the table's reference task (its first
/// task, whose network the table's `params` describe).
ComplexityReport check_complexity(const std::string& space, const std::filesystem::path& table,
                                  const std::vector<std::int64_t>& arch_ids);

}  // namespace zcb
