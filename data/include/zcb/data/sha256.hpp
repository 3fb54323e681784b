/// @file sha256.hpp
/// @brief SHA-256 (FIPS 180-4), our own implementation: the fetcher verifies every raw file with
/// it and table provenance records it.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace zcb::data {

/// Incremental SHA-256. Feed bytes with update() in any number of pieces, then call hex_digest()
/// once; the digest equals sha256_hex() of the concatenated pieces.
class Sha256 {
 public:
  Sha256();

  /// Appends @p bytes to the message. Must not be called after hex_digest().
  void update(std::string_view bytes);

  /// Finishes the message and returns the digest as 64 lower-case hex characters. The object
  /// cannot be updated afterwards; calling hex_digest() again returns the same digest.
  std::string hex_digest();

 private:
  void compress(const unsigned char* block);

  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
  std::string digest_;  // set by hex_digest()
};

/// SHA-256 of @p bytes as 64 lower-case hex characters.
std::string sha256_hex(std::string_view bytes);

/// SHA-256 of the file at @p path, read in blocks (constant memory). Throws zcb::Error naming the
/// file when it is missing or cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace zcb::data
