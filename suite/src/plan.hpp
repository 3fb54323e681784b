/// @file plan.hpp
/// @brief Which architectures a run scores. Torch-free.
#pragma once

#include <cstdint>
#include <vector>

#include "config.hpp"

namespace zcb {

/// The fixed random sample of @p spec from ids 0..total-1, sorted ascending (all ids when
/// spec.size is 0 or at least total). Same ids on every platform for the same seed.
std::vector<std::int64_t> sample_arch_ids(std::int64_t total, const SampleSpec& spec);

}  // namespace zcb
