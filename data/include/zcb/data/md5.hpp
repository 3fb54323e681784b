/// @file md5.hpp
/// @brief MD5 (RFC 1321), our own implementation. Only for compatibility: NAS-Bench-101 keys
/// its architectures by an MD5-based graph hash (`nasbench/lib/graph_util.py` hash_module).
/// Never use it for integrity checks (fetch uses SHA-256).
#pragma once

#include <string>
#include <string_view>

namespace zcb::data {

/// MD5 of @p bytes as 32 lower-case hex characters (Python's `hashlib.md5(b).hexdigest()`).
std::string md5_hex(std::string_view bytes);

}  // namespace zcb::data
