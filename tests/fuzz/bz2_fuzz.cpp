// Fuzzes bz2_decompress (with a 16 MiB output cap): decompresses or throws zcb::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "zcb/data/bz2.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    zcb::data::bz2_decompress(std::string_view(reinterpret_cast<const char*>(data), size),
                              "fuzz.bz2", std::size_t{1} << 24);
  } catch (const zcb::Error&) {
  }
  return 0;
}
