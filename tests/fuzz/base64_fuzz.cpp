// Fuzzes the strict base64 decoder: any text either decodes or throws zcb::Error, and what
// decodes re-encodes to exactly the same text (one encoding per byte string).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "zcb/data/base64.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const std::string bytes = zcb::data::base64_decode(text, "fuzz");
    if (zcb::data::base64_encode(bytes) != text) std::abort();
  } catch (const zcb::Error&) {
  }
  return 0;
}
