// Fuzzes the small text formats of the benchmark converters: NASLib tuple keys and the
// TransNAS-Bench-101 index list. Any input either parses or throws zcb::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "zcb/data/naslib_keys.hpp"
#include "zcb/data/transnas_table.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace zcb::data;
  const auto guarded = [](auto&& action) {
    try {
      action();
    } catch (const zcb::Error&) {
    }
  };
  guarded([&] { parse_int_tuple(text, "fuzz"); });
  guarded([&] { nb201_string_from_naslib(text, "fuzz"); });
  guarded([&] { transnas_micro_string_from_naslib(text, "fuzz"); });
  guarded([&] { transnas_macro_string_from_naslib(text, "fuzz"); });
  guarded([&] { parse_transnas_arch_list(text, "fuzz"); });
  return 0;
}
