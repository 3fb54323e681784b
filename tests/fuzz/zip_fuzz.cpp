// Fuzzes the ZIP reader: any input either opens (and every member reads or throws zcb::Error)
// or throws zcb::Error; nothing else may escape, crash, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string>

#include "zcb/data/zip_archive.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const zcb::data::ZipArchive zip = zcb::data::ZipArchive::from_bytes(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.zip");
    for (const zcb::data::ZipEntry& entry : zip.entries()) {
      try {
        zip.read(entry);
      } catch (const zcb::Error&) {
      }
    }
  } catch (const zcb::Error&) {
  }
  return 0;
}
