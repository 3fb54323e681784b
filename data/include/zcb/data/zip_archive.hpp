/// @file zip_archive.hpp
/// @brief A safe, read-only ZIP reader (central directory, zip64, STORED and DEFLATE).
///
/// Used for torch.save files (zip format) and any zipped benchmark table. The whole archive is
/// held in memory; nothing is extracted to disk, so member names are only checked, never used
/// as paths. Every problem throws zcb::Error naming the source, the byte offset and what to do.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

namespace zcb::data {

/// One member of a ZIP archive, as its central-directory record (zip64 fields applied) and its
/// local header describe it.
struct ZipEntry {
  std::string name;               ///< member name as stored ("archive/data.pkl")
  std::uint64_t compressed_size;  ///< bytes of stored (compressed) data
  std::uint64_t size;             ///< bytes once decompressed
  std::uint64_t offset;           ///< archive offset of the member's data (after its local header)
  int method;                     ///< 0 = STORED, 8 = DEFLATE (the only ones read() accepts)
  std::uint32_t crc32;            ///< CRC-32 of the decompressed bytes
};

/// A ZIP archive read into memory. open() / from_bytes() parse and validate the whole central
/// directory up front (entry count, names, sizes and offsets inside the file, local headers
/// agreeing with it), so later read() calls only decompress.
///
/// Limits: single-disk archives only; no encryption; STORED or DEFLATE; an entry's declared
/// size must be consistent with the file (STORED: equal to its compressed size; DEFLATE: at
/// most kMaxDeflateRatio times it, plus a small constant), so a hostile archive cannot make
/// read() allocate much more than the archive itself. Names must be relative, use '/', have no
/// "." / ".." component, no NUL or backslash, and be unique.
class ZipArchive {
 public:
  /// Largest accepted ratio of declared size to compressed size for DEFLATE (DEFLATE itself
  /// cannot exceed about 1032:1).
  static constexpr std::uint64_t kMaxDeflateRatio = 1100;

  /// Reads and parses the archive at @p path; errors name the file.
  static ZipArchive open(const std::filesystem::path& path);

  /// Parses an archive already in memory; @p source names it in error messages.
  static ZipArchive from_bytes(std::string bytes, std::string source);

  /// Members in central-directory order.
  const std::vector<ZipEntry>& entries() const { return entries_; }

  /// Whether a member is called exactly @p name.
  bool contains(const std::string& name) const;

  /// The member @p name, decompressed and CRC-checked. Throws zcb::Error if there is no such
  /// member (listing a few that exist), for an unsupported method, corrupt data, a size or CRC
  /// mismatch.
  std::string read(const std::string& name) const;

  /// The member @p entry (one of entries()), decompressed and CRC-checked (see read()).
  std::string read(const ZipEntry& entry) const;

  /// Where the archive came from (file path or the name given to from_bytes()).
  const std::string& source() const { return source_; }

 private:
  ZipArchive(std::string bytes, std::string source);
  void parse();
  const ZipEntry* find(const std::string& name) const;

  std::string bytes_;
  std::string source_;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, std::size_t> index_;  ///< name -> position in entries_
};

}  // namespace zcb::data
