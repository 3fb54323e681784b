/// @file bz2.hpp
/// @brief bzip2 decompression (libbz2) with an output cap, for NATS-Bench `*.pickle.pbz2`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zcb::data {

/// Default cap on the decompressed size: far above any NATS-Bench pickle (the largest, a
/// `meta.pickle.pbz2`, is a few MB), far below what would hurt the machine.
inline constexpr std::size_t kDefaultBz2OutputCap = std::size_t{1} << 30;

/// Decompresses a whole .bz2 file held in memory. Concatenated streams (as pbzip2 and Python's
/// bz2 module write them) are decompressed one after the other. Throws zcb::Error naming
/// @p source and the input offset for data that is not bzip2, corrupt or truncated, and once
/// the output would exceed @p max_output bytes (a decompression bomb or the wrong file).
std::string bz2_decompress(std::string_view compressed, const std::string& source,
                           std::size_t max_output = kDefaultBz2OutputCap);

}  // namespace zcb::data
