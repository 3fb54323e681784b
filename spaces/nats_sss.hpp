/// @file nats_sss.hpp
/// @brief NATS-Bench size search space (SSS): the official architecture index <-> channel
/// string "C1:C2:C3:C4:C5" (torch-free; the network itself is in nats_sss.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace zcb {

/// Number of SSS architectures: 8 channel choices at each of 5 positions.
inline constexpr std::int64_t kNatsSssSize = 32768;

/// The channel string of official index @p index (0 .. 32767), the order of `meta_archs` in
/// the NATS-sss-v1_0-50262 files: mixed radix, the last position varying fastest, choices
/// 8, 16, ..., 64 (index 0 = "8:8:8:8:8", 11 = "8:8:8:16:32", 284 = "8:8:40:32:40").
/// Throws zcb::Error for an index outside the space.
std::string nats_sss_arch_string(std::int64_t index);

/// The official index of a channel string; throws zcb::Error naming the problem when
/// @p arch is not five of 8, 16, ..., 64 joined by ':'.
std::int64_t nats_sss_index(const std::string& arch);

}  // namespace zcb
