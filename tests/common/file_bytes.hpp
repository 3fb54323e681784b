/// @file file_bytes.hpp
/// @brief A whole file as a string of bytes, for tests that compare written files exactly.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace zcb::test {

/// The bytes of @p path (empty if it cannot be read).
inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace zcb::test
