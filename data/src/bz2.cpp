// bzip2 decompression through libbz2's streaming API (bzlib.h), with a bounded output buffer.
#include "zcb/data/bz2.hpp"

#include <bzlib.h>

#include <algorithm>
#include <limits>

#include "zcb/error.hpp"

namespace zcb::data {
namespace {

// Closes the stream on every exit path.
struct Bz2Stream {
  bz_stream stream{};
  bool open = false;
  ~Bz2Stream() {
    if (open) BZ2_bzDecompressEnd(&stream);
  }
};

const char* bz2_status_text(int status) {
  switch (status) {
    case BZ_DATA_ERROR:
      return "corrupt data (bad block CRC or structure)";
    case BZ_DATA_ERROR_MAGIC:
      return "not bzip2 data (no 'BZh' signature)";
    case BZ_MEM_ERROR:
      return "out of memory";
    case BZ_PARAM_ERROR:
      return "invalid parameter";
    default:
      return "decompression failed";
  }
}

}  // namespace

std::string bz2_decompress(std::string_view compressed, const std::string& source,
                           std::size_t max_output) {
  if (compressed.empty()) {
    throw Error(source + ": empty input is not bzip2 data; the file is damaged or truncated");
  }
  std::string out;
  std::size_t in_done = 0;
  std::size_t out_done = 0;
  constexpr std::size_t kChunk = std::size_t{1} << 30;  // bz_stream counts are 32-bit
  do {
    Bz2Stream bz;
    if (BZ2_bzDecompressInit(&bz.stream, 0, 0) != BZ_OK) {
      throw Error(source + ": cannot initialise bzip2 decompression");
    }
    bz.open = true;
    int status = BZ_OK;
    while (status == BZ_OK) {
      if (out_done == out.size()) {
        if (out.size() >= max_output) {
          throw Error(source + ": bzip2 data decompresses to more than " +
                      std::to_string(max_output) + " bytes (input offset " +
                      std::to_string(in_done) +
                      "); refusing it as a decompression bomb or the wrong file");
        }
        // Grow geometrically, starting near a typical ratio, never beyond the cap.
        const std::size_t wanted =
            std::max<std::size_t>({out.size() * 2, compressed.size() * 4, std::size_t{1} << 16});
        out.resize(std::min(wanted, max_output));
      }
      const std::size_t in_now = std::min(compressed.size() - in_done, kChunk);
      const std::size_t out_now = std::min(out.size() - out_done, kChunk);
      bz.stream.next_in = const_cast<char*>(compressed.data() + in_done);
      bz.stream.avail_in = static_cast<unsigned>(in_now);
      bz.stream.next_out = out.data() + out_done;
      bz.stream.avail_out = static_cast<unsigned>(out_now);
      status = BZ2_bzDecompress(&bz.stream);
      const std::size_t consumed = in_now - bz.stream.avail_in;
      const std::size_t produced = out_now - bz.stream.avail_out;
      in_done += consumed;
      out_done += produced;
      if (status == BZ_OK && consumed == 0 && produced == 0) {
        throw Error(source + ": bzip2 data is truncated (input ends at offset " +
                    std::to_string(in_done) + " inside a stream); download the file again");
      }
    }
    if (status != BZ_STREAM_END) {
      throw Error(source + ": bzip2 " + bz2_status_text(status) + " near input offset " +
                  std::to_string(in_done) + "; the file is damaged or not a .bz2 file");
    }
  } while (in_done < compressed.size());
  out.resize(out_done);
  out.shrink_to_fit();
  return out;
}

}  // namespace zcb::data
