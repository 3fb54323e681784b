// ZIP reading after PKWARE's APPNOTE.TXT (6.3.x): end of central directory record, zip64 end
// record and locator, central file headers with the zip64 extended-information extra field
// (0x0001), and local file headers. Only what reading a well-formed single-disk archive needs.
#include "zcb/data/zip_archive.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "zcb/error.hpp"

namespace zcb::data {
namespace {

constexpr std::uint32_t kEndOfCentralDirSig = 0x06054b50;
constexpr std::uint32_t kZip64EndSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::size_t kEndOfCentralDirSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kZip64EndSize = 56;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr int kStored = 0;
constexpr int kDeflate = 8;
// Constant slack for the DEFLATE ratio check: tiny members (an empty-ish file compressed to a
// couple of bytes) legitimately exceed any ratio.
constexpr std::uint64_t kDeflateSlack = 4096;

std::string hex_offset(std::uint64_t offset) {
  std::ostringstream out;
  out << offset << " (0x" << std::hex << offset << ")";
  return out.str();
}

// Bounds-checked little-endian reads over the archive bytes.
class Reader {
 public:
  Reader(const std::string& bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  [[noreturn]] void fail(std::uint64_t offset, const std::string& what) const {
    throw Error(source_ + ": offset " + hex_offset(offset) + ": " + what +
                "; the ZIP archive is corrupt or truncated (download it again)");
  }

  void need(std::uint64_t offset, std::uint64_t count, const char* what) const {
    if (offset > bytes_.size() || count > bytes_.size() - offset) {
      fail(offset, std::string(what) + " runs past the end of the file (" +
                       std::to_string(bytes_.size()) + " bytes)");
    }
  }

  std::uint64_t le(std::uint64_t offset, int width) const {
    need(offset, static_cast<std::uint64_t>(width), "field");
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) {
      value = (value << 8) | static_cast<unsigned char>(bytes_[offset + static_cast<unsigned>(i)]);
    }
    return value;
  }
  std::uint16_t u16(std::uint64_t offset) const {
    return static_cast<std::uint16_t>(le(offset, 2));
  }
  std::uint32_t u32(std::uint64_t offset) const {
    return static_cast<std::uint32_t>(le(offset, 4));
  }
  std::uint64_t u64(std::uint64_t offset) const { return le(offset, 8); }

  std::string text(std::uint64_t offset, std::uint64_t count) const {
    need(offset, count, "name");
    return bytes_.substr(offset, count);
  }

  std::uint64_t size() const { return bytes_.size(); }

 private:
  const std::string& bytes_;
  const std::string& source_;
};

// Names are never used as paths here, but a reader that accepts "../x" or "/etc/x" invites a
// caller to; refuse them so archive names are always plain relative member names.
std::string bad_name_reason(const std::string& name) {
  if (name.empty()) return "empty member name";
  if (name.find('\0') != std::string::npos) return "member name contains a NUL byte";
  if (name.find('\\') != std::string::npos) return "member name contains a backslash";
  if (name.front() == '/') return "absolute member name";
  if (name.size() >= 2 && name[1] == ':') return "member name with a drive letter";
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(start, end - start);
    if (part == "..") return "member name with a '..' component";
    if (part == ".") return "member name with a '.' component";
    if (part.empty() && end != name.size()) return "member name with an empty component";
    start = end + 1;
  }
  return "";
}

}  // namespace

ZipArchive::ZipArchive(std::string bytes, std::string source)
    : bytes_(std::move(bytes)), source_(std::move(source)) {}

ZipArchive ZipArchive::open(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(path.string() + ": cannot open ZIP archive (check the path)");
  const std::streamoff length = in.tellg();
  if (length < 0) throw Error(path.string() + ": cannot determine the file size");
  std::string bytes(static_cast<std::size_t>(length), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw Error(path.string() + ": read error");
  return from_bytes(std::move(bytes), path.string());
}

ZipArchive ZipArchive::from_bytes(std::string bytes, std::string source) {
  ZipArchive archive(std::move(bytes), std::move(source));
  archive.parse();
  return archive;
}

void ZipArchive::parse() {
  const Reader in(bytes_, source_);
  const std::uint64_t file_size = in.size();
  if (file_size < kEndOfCentralDirSize) {
    in.fail(0, "file of " + std::to_string(file_size) +
                   " bytes is too short for a ZIP end-of-central-directory record");
  }
  // The end record sits at the very end, followed only by its comment (at most 65535 bytes).
  // Scan backwards and accept the first record whose comment length reaches the end exactly.
  std::uint64_t eocd = 0;
  bool found = false;
  const std::uint64_t lowest =
      file_size - kEndOfCentralDirSize > 0xFFFF ? file_size - kEndOfCentralDirSize - 0xFFFF : 0;
  for (std::uint64_t pos = file_size - kEndOfCentralDirSize + 1; pos-- > lowest;) {
    if (in.u32(pos) == kEndOfCentralDirSig &&
        pos + kEndOfCentralDirSize + in.u16(pos + 20) == file_size) {
      eocd = pos;
      found = true;
      break;
    }
  }
  if (!found) {
    in.fail(file_size, "no end-of-central-directory record; this is not a ZIP archive");
  }
  std::uint64_t disk = in.u16(eocd + 4);
  std::uint64_t cd_disk = in.u16(eocd + 6);
  std::uint64_t entries_on_disk = in.u16(eocd + 8);
  std::uint64_t entry_count = in.u16(eocd + 10);
  std::uint64_t cd_size = in.u32(eocd + 12);
  std::uint64_t cd_offset = in.u32(eocd + 16);
  std::uint64_t cd_limit = eocd;  // the central directory must end before this

  const bool wants_zip64 = entries_on_disk == 0xFFFF || entry_count == 0xFFFF ||
                           cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF;
  if (eocd >= kZip64LocatorSize && in.u32(eocd - kZip64LocatorSize) == kZip64LocatorSig) {
    const std::uint64_t locator = eocd - kZip64LocatorSize;
    const std::uint64_t zip64_end = in.u64(locator + 8);
    if (in.u32(locator + 16) != 1 || in.u32(locator + 4) != 0) {
      in.fail(locator, "multi-disk (split) ZIP archive; join the parts into one file");
    }
    if (zip64_end > locator || locator - zip64_end < kZip64EndSize) {
      in.fail(locator, "zip64 locator points at offset " + hex_offset(zip64_end) +
                           ", not before the locator");
    }
    if (in.u32(zip64_end) != kZip64EndSig) {
      in.fail(zip64_end, "missing zip64 end-of-central-directory signature");
    }
    disk = in.u32(zip64_end + 16);
    cd_disk = in.u32(zip64_end + 20);
    entries_on_disk = in.u64(zip64_end + 24);
    entry_count = in.u64(zip64_end + 32);
    cd_size = in.u64(zip64_end + 40);
    cd_offset = in.u64(zip64_end + 48);
    cd_limit = zip64_end;
  } else if (wants_zip64) {
    in.fail(eocd, "end record asks for zip64 fields but there is no zip64 locator");
  }
  if (disk != 0 || cd_disk != 0 || entries_on_disk != entry_count) {
    in.fail(eocd, "multi-disk (split) ZIP archive; join the parts into one file");
  }
  if (cd_offset > cd_limit || cd_size > cd_limit - cd_offset) {
    in.fail(eocd, "central directory (offset " + hex_offset(cd_offset) + ", " +
                      std::to_string(cd_size) + " bytes) does not fit before the end record");
  }
  // Every central header is at least 46 bytes: bounds the count before anything is reserved.
  if (entry_count > cd_size / kCentralHeaderSize) {
    in.fail(eocd, "declares " + std::to_string(entry_count) +
                      " entries but its central directory has only " + std::to_string(cd_size) +
                      " bytes");
  }

  entries_.reserve(static_cast<std::size_t>(entry_count));
  std::uint64_t pos = cd_offset;
  const std::uint64_t cd_end = cd_offset + cd_size;
  for (std::uint64_t i = 0; i < entry_count; ++i) {
    if (cd_end - pos < kCentralHeaderSize || in.u32(pos) != kCentralHeaderSig) {
      in.fail(pos, "expected central directory header " + std::to_string(i + 1) + " of " +
                       std::to_string(entry_count));
    }
    const std::uint16_t flags = in.u16(pos + 8);
    ZipEntry entry;
    entry.method = in.u16(pos + 10);
    entry.crc32 = in.u32(pos + 16);
    entry.compressed_size = in.u32(pos + 20);
    entry.size = in.u32(pos + 24);
    const std::uint64_t name_length = in.u16(pos + 28);
    const std::uint64_t extra_length = in.u16(pos + 30);
    const std::uint64_t comment_length = in.u16(pos + 32);
    std::uint64_t start_disk = in.u16(pos + 34);
    std::uint64_t local_offset = in.u32(pos + 42);
    const std::uint64_t record_size =
        kCentralHeaderSize + name_length + extra_length + comment_length;
    if (record_size > cd_end - pos) {
      in.fail(pos, "central directory header runs past the end of the central directory");
    }
    entry.name = in.text(pos + kCentralHeaderSize, name_length);

    // zip64 extra field: 8-byte values replace, in this order, exactly those 32-bit fields
    // that hold 0xFFFFFFFF (0xFFFF for the disk number).
    std::uint64_t extra = pos + kCentralHeaderSize + name_length;
    const std::uint64_t extra_end = extra + extra_length;
    while (extra_end - extra >= 4) {
      const std::uint16_t id = in.u16(extra);
      const std::uint64_t length = in.u16(extra + 2);
      if (length > extra_end - extra - 4) in.fail(extra, "extra field runs past its record");
      if (id == kZip64ExtraId) {
        std::uint64_t field = extra + 4;
        const std::uint64_t field_end = field + length;
        auto take64 = [&](std::uint64_t& value) {
          if (field_end - field < 8) in.fail(field, "zip64 extra field too short");
          value = in.u64(field);
          field += 8;
        };
        if (entry.size == 0xFFFFFFFF) take64(entry.size);
        if (entry.compressed_size == 0xFFFFFFFF) take64(entry.compressed_size);
        if (local_offset == 0xFFFFFFFF) take64(local_offset);
        if (start_disk == 0xFFFF) {
          if (field_end - field < 4) in.fail(field, "zip64 extra field too short");
          start_disk = in.u32(field);
        }
      }
      extra += 4 + length;
    }
    const std::uint64_t header = pos;
    auto fail_entry = [&](const std::string& what) {
      in.fail(header, "member '" + entry.name + "': " + what);
    };
    if (start_disk != 0) fail_entry("lives on another disk of a split archive");
    if (const std::string reason = bad_name_reason(entry.name); !reason.empty()) {
      fail_entry(reason + "; refusing the archive");
    }
    if ((flags & 0x1) != 0) fail_entry("is encrypted, which is not supported");
    if (entry.method == kStored && entry.size != entry.compressed_size) {
      fail_entry("STORED but its size " + std::to_string(entry.size) +
                 " differs from its stored size " + std::to_string(entry.compressed_size));
    }
    if (entry.method == kDeflate &&
        (entry.size - std::min(entry.size, kDeflateSlack)) / kMaxDeflateRatio >
            entry.compressed_size) {
      fail_entry("declares " + std::to_string(entry.size) + " bytes from " +
                 std::to_string(entry.compressed_size) +
                 " compressed bytes, beyond what DEFLATE can produce");
    }

    // The local header repeats name and sizes; its own name/extra lengths fix where data starts.
    if (local_offset > cd_offset || cd_offset - local_offset < kLocalHeaderSize ||
        in.u32(local_offset) != kLocalHeaderSig) {
      fail_entry("no local file header at offset " + hex_offset(local_offset));
    }
    const std::uint64_t local_name_length = in.u16(local_offset + 26);
    const std::uint64_t local_extra_length = in.u16(local_offset + 28);
    if (in.text(local_offset + kLocalHeaderSize, local_name_length) != entry.name) {
      fail_entry("local header at offset " + hex_offset(local_offset) + " names another member");
    }
    entry.offset = local_offset + kLocalHeaderSize + local_name_length + local_extra_length;
    if (entry.offset > cd_offset || entry.compressed_size > cd_offset - entry.offset) {
      fail_entry("data (" + std::to_string(entry.compressed_size) + " bytes at offset " +
                 hex_offset(entry.offset) + ") overlaps the central directory or the file end");
    }
    if (!index_.emplace(entry.name, entries_.size()).second) {
      fail_entry("appears twice in the central directory; refusing the ambiguous archive");
    }
    entries_.push_back(std::move(entry));
    pos += record_size;
  }
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

bool ZipArchive::contains(const std::string& name) const { return find(name) != nullptr; }

std::string ZipArchive::read(const std::string& name) const {
  const ZipEntry* entry = find(name);
  if (entry == nullptr) {
    std::string known;
    for (std::size_t i = 0; i < entries_.size() && i < 8; ++i) {
      known += (i ? ", " : "") + entries_[i].name;
    }
    if (entries_.size() > 8) known += ", ...";
    throw Error(source_ + ": no member '" + name + "' in the ZIP archive (it has " +
                std::to_string(entries_.size()) + ": " + known + ")");
  }
  return read(*entry);
}

std::string ZipArchive::read(const ZipEntry& entry) const {
  const std::string where =
      source_ + ": member '" + entry.name + "' (data at offset " + hex_offset(entry.offset) + ")";
  std::string out;
  if (entry.method == kStored) {
    out = bytes_.substr(entry.offset, entry.compressed_size);
  } else if (entry.method == kDeflate) {
    out.resize(entry.size);
    z_stream stream{};
    // Negative window bits: raw DEFLATE, as ZIP stores it (no zlib header).
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) throw Error(where + ": inflateInit2 failed");
    std::uint64_t in_left = entry.compressed_size;
    std::uint64_t out_done = 0;
    const unsigned char* next_in =
        reinterpret_cast<const unsigned char*>(bytes_.data()) + entry.offset;
    int status = Z_OK;
    // uInt is 32 bits: feed at most 1 GiB per call so multi-GiB members work.
    constexpr std::uint64_t kChunk = 1u << 30;
    while (status == Z_OK) {
      const std::uint64_t in_now = std::min(in_left, kChunk);
      const std::uint64_t out_now = std::min<std::uint64_t>(out.size() - out_done, kChunk);
      stream.next_in = const_cast<unsigned char*>(next_in);
      stream.avail_in = static_cast<uInt>(in_now);
      stream.next_out = reinterpret_cast<unsigned char*>(out.data()) + out_done;
      stream.avail_out = static_cast<uInt>(out_now);
      status = inflate(&stream, Z_NO_FLUSH);
      const std::uint64_t consumed = in_now - stream.avail_in;
      const std::uint64_t produced = out_now - stream.avail_out;
      next_in += consumed;
      in_left -= consumed;
      out_done += produced;
      if (status == Z_BUF_ERROR && (in_left == 0 || out_done == out.size())) break;
      if (status == Z_OK && consumed == 0 && produced == 0) break;
    }
    inflateEnd(&stream);
    if (status != Z_STREAM_END) {
      if (status == Z_DATA_ERROR || status == Z_NEED_DICT || status == Z_MEM_ERROR) {
        throw Error(where + ": corrupt DEFLATE data" +
                    (stream.msg ? std::string(" (") + stream.msg + ")" : std::string()) +
                    "; the archive is damaged (download it again)");
      }
      throw Error(where + ": DEFLATE data does not end within its declared " +
                  std::to_string(entry.compressed_size) + " compressed / " +
                  std::to_string(entry.size) +
                  " decompressed bytes; the archive is damaged (download it again)");
    }
    if (out_done != entry.size) {
      throw Error(where + ": decompresses to " + std::to_string(out_done) +
                  " bytes, not the declared " + std::to_string(entry.size) +
                  "; the archive is damaged (download it again)");
    }
  } else {
    throw Error(where + ": compression method " + std::to_string(entry.method) +
                " is not supported (only STORED = 0 and DEFLATE = 8); recompress the archive "
                "with plain zip");
  }
  // zlib's crc32 takes uInt lengths: feed in chunks.
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::size_t done = 0; done < out.size();) {
    const std::size_t now = std::min<std::size_t>(out.size() - done, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + done), static_cast<uInt>(now));
    done += now;
  }
  if (static_cast<std::uint32_t>(crc) != entry.crc32) {
    throw Error(where + ": CRC-32 mismatch (stored " + std::to_string(entry.crc32) + ", computed " +
                std::to_string(static_cast<std::uint32_t>(crc)) +
                "); the archive is damaged (download it again)");
  }
  return out;
}

}  // namespace zcb::data
