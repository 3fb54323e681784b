/// @file seeds.hpp
/// @brief Seeds split by purpose, never by order (DESIGN.md "Seeds").
///
/// Each random draw in zcbench takes its seed from what it is for and the keys that identify
/// it, so results never depend on run order, sharding, or which other proxies ran.
#pragma once

#include <cstdint>
#include <string_view>

namespace zcb {

/// What a seed is used for. The numeric values enter the hash: never renumber.
enum class SeedPurpose : std::uint8_t {
  kWeights = 1,    ///< network initialisation: (base, space, arch)
  kData = 2,       ///< which images form the data batch: (base, task)
  kProxy = 3,      ///< a proxy's own random draws: (base, proxy)
  kBootstrap = 4,  ///< bootstrap resampling: (base, space, task)
};

/// 64-bit FNV-1a of the bytes of @p text, then a splitmix64 finaliser. Stable across
/// platforms and compilers; committed test vectors pin it.
std::uint64_t stable_hash(std::string_view text);

/// Keys that identify a random draw. Fields not used by a purpose are ignored, so e.g. the
/// weight seed of an architecture is the same for every proxy and task.
struct SeedKey {
  std::uint64_t base = 0;
  std::string_view space;
  std::string_view task;
  std::string_view proxy;
  std::int64_t arch_id = 0;
};

/// The seed for @p purpose. Returned values fit in 63 bits (torch::manual_seed takes uint64,
/// HDF5 attributes and JSON store them as signed 64-bit integers without loss).
std::uint64_t seed_for(SeedPurpose purpose, const SeedKey& key);

}  // namespace zcb
