// Fuzzes the CSV parser and the strict number parsers: any input either parses or throws
// zcb::Error; nothing else may escape, crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "zcb/data/csv.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const zcb::data::CsvTable table = zcb::data::parse_csv(text, "fuzz.csv");
    for (const auto& row : table.rows) {
      for (const auto& field : row) {
        try {
          zcb::data::parse_double(field, "fuzz");
        } catch (const zcb::Error&) {
        }
      }
    }
  } catch (const zcb::Error&) {
  }
  return 0;
}
