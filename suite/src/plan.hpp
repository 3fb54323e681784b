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

/// The shard, in [0, @p shard_count), that scores the architecture at @p position (0-based, in
/// ascending id order) of the sample of (@p space, @p task, @p seed): positions are dealt round
/// robin, starting at an offset hashed from the three names, so every shard gets an equal share
/// (within one) of each (space, task) and the split of one (space, task) does not depend on the
/// rest of the config. Throws zcb::Error unless shard_count >= 1.
int shard_of(const std::string& space, const std::string& task, int seed, std::int64_t position,
             int shard_count);

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
