#include "zip_fixture.hpp"

#include <zlib.h>

#include <stdexcept>

namespace zcb::data::testing {
namespace {

void put(std::string& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

}  // namespace

std::string raw_deflate(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, data.size()) + 16, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string build_zip(const std::vector<ZipFixtureMember>& members,
                      const ZipFixtureOptions& options) {
  std::string out = options.prefix;
  std::string central;
  for (const ZipFixtureMember& member : members) {
    const std::string stored = member.deflate ? raw_deflate(member.data) : member.data;
    const auto crc =
        static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(member.data.data()),
                                         static_cast<uInt>(member.data.size())));
    const std::uint64_t local_offset = out.size();
    const int method = member.deflate ? 8 : 0;
    std::string zip64_extra;
    if (options.zip64) {
      put(zip64_extra, 0x0001, 2);
      put(zip64_extra, 24, 2);
      put(zip64_extra, member.data.size(), 8);
      put(zip64_extra, stored.size(), 8);
      put(zip64_extra, local_offset, 8);
    }
    // Local header.
    put(out, 0x04034b50, 4);
    put(out, options.zip64 ? 45 : 20, 2);
    put(out, 0, 2);
    put(out, method, 2);
    put(out, 0, 4);  // time, date
    put(out, crc, 4);
    put(out, options.zip64 ? 0xFFFFFFFF : stored.size(), 4);
    put(out, options.zip64 ? 0xFFFFFFFF : member.data.size(), 4);
    put(out, member.name.size(), 2);
    put(out, 0, 2);
    out += member.name;
    out += stored;
    // Central header.
    put(central, 0x02014b50, 4);
    put(central, 45, 2);
    put(central, options.zip64 ? 45 : 20, 2);
    put(central, 0, 2);
    put(central, method, 2);
    put(central, 0, 4);
    put(central, crc, 4);
    put(central, options.zip64 ? 0xFFFFFFFF : stored.size(), 4);
    put(central, options.zip64 ? 0xFFFFFFFF : member.data.size(), 4);
    put(central, member.name.size(), 2);
    put(central, zip64_extra.size(), 2);
    put(central, 0, 2);  // comment
    put(central, 0, 2);  // disk
    put(central, 0, 2);  // internal attributes
    put(central, 0, 4);  // external attributes
    put(central, options.zip64 ? 0xFFFFFFFF : local_offset, 4);
    central += member.name;
    central += zip64_extra;
  }
  const std::uint64_t cd_offset = out.size();
  out += central;
  if (options.zip64) {
    const std::uint64_t zip64_end = out.size();
    put(out, 0x06064b50, 4);
    put(out, 44, 8);
    put(out, 45, 2);
    put(out, 45, 2);
    put(out, 0, 4);
    put(out, 0, 4);
    put(out, members.size(), 8);
    put(out, members.size(), 8);
    put(out, central.size(), 8);
    put(out, cd_offset, 8);
    put(out, 0x07064b50, 4);
    put(out, 0, 4);
    put(out, zip64_end, 8);
    put(out, 1, 4);
  }
  put(out, 0x06054b50, 4);
  put(out, 0, 2);
  put(out, 0, 2);
  put(out, options.zip64 ? 0xFFFF : members.size(), 2);
  put(out, options.zip64 ? 0xFFFF : members.size(), 2);
  put(out, options.zip64 ? 0xFFFFFFFF : central.size(), 4);
  put(out, options.zip64 ? 0xFFFFFFFF : cd_offset, 4);
  put(out, options.comment.size(), 2);
  out += options.comment;
  return out;
}

}  // namespace zcb::data::testing
