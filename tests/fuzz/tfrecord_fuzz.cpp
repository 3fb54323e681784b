// Fuzzes the TFRecord reader: any byte stream either yields records or throws zcb::Error;
// nothing else may escape, crash, hang or allocate more than the record limit.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "zcb/data/tfrecord.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  zcb::data::TfRecordOptions options;
  options.max_record_bytes = 1 << 20;
  try {
    zcb::data::read_tfrecords(
        in, "fuzz.tfrecord",
        [](std::string_view record, std::uint64_t offset) {
          // Touch the payload so a bad view would be caught by the sanitizers.
          volatile std::size_t sum = offset;
          for (const char c : record) sum = sum + static_cast<unsigned char>(c);
          return true;
        },
        options);
  } catch (const zcb::Error&) {
  }
  return 0;
}
