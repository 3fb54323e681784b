#include "zcb/data/tfrecord.hpp"

#include <array>
#include <fstream>

#include "zcb/error.hpp"

namespace zcb::data {
namespace {

constexpr std::uint32_t kCastagnoliReflected = 0x82F63B78u;
constexpr std::uint32_t kMaskDelta = 0xa282ead8u;
constexpr std::size_t kHeaderBytes = 12;  // uint64 length + uint32 masked CRC of the length
constexpr std::size_t kFooterBytes = 4;   // uint32 masked CRC of the data

// Slicing-by-8 tables: table[0] is the byte-wise table, table[k][b] the CRC of byte b followed
// by k zero bytes. Eight bytes per step keeps a 2 GB file to a few seconds of checksumming.
using CrcTables = std::array<std::array<std::uint32_t, 256>, 8>;

CrcTables make_tables() {
  CrcTables tables{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1u) ? kCastagnoliReflected : 0u);
    tables[0][byte] = crc;
  }
  for (std::size_t k = 1; k < tables.size(); ++k) {
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
      const std::uint32_t previous = tables[k - 1][byte];
      tables[k][byte] = (previous >> 8) ^ tables[0][previous & 0xffu];
    }
  }
  return tables;
}

const CrcTables& tables() {
  static const CrcTables instance = make_tables();
  return instance;
}

std::uint32_t mask(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

std::uint64_t load_le64(const unsigned char* bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}

std::uint32_t load_le32(const unsigned char* bytes) {
  return static_cast<std::uint32_t>(bytes[0]) | (static_cast<std::uint32_t>(bytes[1]) << 8) |
         (static_cast<std::uint32_t>(bytes[2]) << 16) |
         (static_cast<std::uint32_t>(bytes[3]) << 24);
}

void store_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xffu));
}

std::string hex32(std::uint32_t value) {
  static const char* digits = "0123456789abcdef";
  std::string text = "0x00000000";
  for (int i = 0; i < 8; ++i) text[9 - i] = digits[(value >> (4 * i)) & 0xfu];
  return text;
}

// Reads exactly `count` bytes; returns how many were read (less only at the end of the stream).
std::size_t read_some(std::istream& in, char* buffer, std::size_t count) {
  in.read(buffer, static_cast<std::streamsize>(count));
  return static_cast<std::size_t>(in.gcount());
}

}  // namespace

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) {
  const CrcTables& t = tables();
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  crc = ~crc;
  while (n >= 8) {
    const std::uint32_t low = crc ^ load_le32(p);
    const std::uint32_t high = load_le32(p + 4);
    crc = t[7][low & 0xffu] ^ t[6][(low >> 8) & 0xffu] ^ t[5][(low >> 16) & 0xffu] ^
          t[4][low >> 24] ^ t[3][high & 0xffu] ^ t[2][(high >> 8) & 0xffu] ^
          t[1][(high >> 16) & 0xffu] ^ t[0][high >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xffu];
  return ~crc;
}

std::uint32_t masked_crc32c(std::string_view bytes) { return mask(crc32c(bytes)); }

std::uint64_t read_tfrecords(std::istream& in, const std::string& source,
                             const TfRecordCallback& on_record, const TfRecordOptions& options) {
  std::uint64_t offset = 0;
  std::uint64_t records = 0;
  std::string data;
  std::array<char, kHeaderBytes> header{};
  std::array<char, kFooterBytes> footer{};
  const auto where = [&](std::uint64_t frame) {
    return source + ": TFRecord " + std::to_string(records) + " at byte offset " +
           std::to_string(frame) + ": ";
  };
  const std::string fix = "; the file is truncated or corrupt: delete it and fetch it again";
  while (true) {
    const std::size_t got = read_some(in, header.data(), header.size());
    if (got == 0) break;  // clean end of stream between records
    if (got < header.size()) {
      throw Error(where(offset) + "the stream ends inside the 12-byte record header (" +
                  std::to_string(got) + " bytes present)" + fix);
    }
    const auto* raw = reinterpret_cast<const unsigned char*>(header.data());
    const std::uint64_t length = load_le64(raw);
    const std::uint32_t length_crc = load_le32(raw + 8);
    const std::uint32_t expected_length_crc = masked_crc32c(std::string_view(header.data(), 8));
    if (length_crc != expected_length_crc) {
      throw Error(where(offset) + "length CRC mismatch (stored " + hex32(length_crc) +
                  ", computed " + hex32(expected_length_crc) + "); this is not a TFRecord file " +
                  "or the file is corrupt: delete it and fetch it again");
    }
    if (length > options.max_record_bytes) {
      throw Error(where(offset) + "record length " + std::to_string(length) +
                  " bytes exceeds the limit of " + std::to_string(options.max_record_bytes) +
                  " bytes" + fix);
    }
    data.resize(static_cast<std::size_t>(length));
    const std::size_t data_got = read_some(in, data.data(), data.size());
    if (data_got < data.size()) {
      throw Error(where(offset) + "the stream ends inside the record payload (" +
                  std::to_string(data_got) + " of " + std::to_string(length) + " bytes present)" +
                  fix);
    }
    const std::size_t footer_got = read_some(in, footer.data(), footer.size());
    if (footer_got < footer.size()) {
      throw Error(where(offset) + "the stream ends inside the data CRC (" +
                  std::to_string(footer_got) + " of 4 bytes present)" + fix);
    }
    const std::uint32_t data_crc = load_le32(reinterpret_cast<const unsigned char*>(footer.data()));
    const std::uint32_t expected_data_crc = masked_crc32c(data);
    if (data_crc != expected_data_crc) {
      throw Error(where(offset) + "data CRC mismatch (stored " + hex32(data_crc) + ", computed " +
                  hex32(expected_data_crc) + ")" + fix);
    }
    const std::uint64_t frame = offset;
    offset += kHeaderBytes + length + kFooterBytes;
    ++records;
    if (!on_record(data, frame)) break;
  }
  if (in.bad()) throw Error(source + ": read error at byte offset " + std::to_string(offset));
  return records;
}

std::uint64_t read_tfrecord_file(const std::filesystem::path& path,
                                 const TfRecordCallback& on_record,
                                 const TfRecordOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error("cannot open TFRecord file " + path.string() +
                "; check the path (fetch the benchmark first)");
  }
  return read_tfrecords(in, path.string(), on_record, options);
}

void append_tfrecord(std::string& out, std::string_view data) {
  std::string length;
  store_le(length, data.size(), 8);
  out += length;
  store_le(out, masked_crc32c(length), 4);
  out.append(data.data(), data.size());
  store_le(out, masked_crc32c(data), 4);
}

}  // namespace zcb::data
