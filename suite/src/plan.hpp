/// @file plan.hpp
/// @brief Which architectures a run scores. Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config.hpp"
#include "zcb/data/table.hpp"

namespace zcb {

/// The fixed random sample of @p spec from ids 0..total-1, sorted ascending (all ids when
/// spec.size is 0 or at least total). Same ids on every platform for the same seed.
std::vector<std::int64_t> sample_arch_ids(std::int64_t total, const SampleSpec& spec);

/// One space of a config resolved against its benchmark table.
struct SpacePlan {
  data::BenchmarkTable table;
  std::string table_sha256;
  std::vector<std::int64_t> archs;  ///< the fixed sample
  std::vector<std::string> tasks;   ///< the config's, or every task of the table
};

/// Reads the space's table from @p data_root and resolves the sample and tasks; a missing
/// table or an unknown task is a zcb::Error saying what to run or listing the known names.
SpacePlan plan_space(const SpaceRun& run, const std::filesystem::path& data_root);

}  // namespace zcb
