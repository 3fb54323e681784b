// Fuzzes the Python-flavoured JSON reader (NaN / Infinity tokens) used by the NDS converter:
// any input either parses or throws zcb::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "zcb/data/python_json.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    zcb::data::parse_python_json(text, "fuzz.json");
  } catch (const zcb::Error&) {
  }
  return 0;
}
