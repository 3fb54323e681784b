/// @file base64.hpp
/// @brief Strict RFC 4648 base64 (standard alphabet, `=` padding), as Python's
/// `base64.b64encode` writes it; the NAS-Bench-101 TFRecord rows carry their protobuf metrics
/// this way.
#pragma once

#include <string>
#include <string_view>

namespace zcb::data {

/// Decodes @p text. The length must be a multiple of 4 and padding may only close the text
/// (at most two `=`), every other character must be in `A-Z a-z 0-9 + /`, and the unused low
/// bits of the last symbol must be zero (so every byte string has exactly one encoding).
/// Throws zcb::Error naming @p what and the offending character offset otherwise.
std::string base64_decode(std::string_view text, const std::string& what);

/// Encodes @p bytes (with padding).
std::string base64_encode(std::string_view bytes);

}  // namespace zcb::data
