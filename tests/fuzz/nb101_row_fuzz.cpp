// Fuzzes the NB101 official row parser (JSON list, base64, protobuf) and the graph checks that
// the converter applies to a row (spec, pruning, hash, arch string round trip): any input
// either passes or throws zcb::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "zcb/data/nb101.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const zcb::data::Nb101Row row = zcb::data::parse_nb101_row(text, "fuzz");
    const zcb::data::Nb101Spec spec = zcb::data::nb101_spec_of_row(row, "fuzz");
    const auto pruned = zcb::data::prune_nb101(spec);
    if (pruned && zcb::data::is_nb101_in_domain(*pruned)) {
      const std::string arch = zcb::data::nb101_arch_string(*pruned);
      const zcb::data::Nb101Spec back = zcb::data::parse_nb101_arch_string(arch, "fuzz");
      if (!(back == *pruned)) std::abort();
      if (zcb::data::nb101_hash(back) != zcb::data::nb101_hash(*pruned)) std::abort();
    }
  } catch (const zcb::Error&) {
  }
  // The arch-string parser sees the raw input too.
  try {
    const zcb::data::Nb101Spec spec = zcb::data::parse_nb101_arch_string(text, "fuzz");
    if (zcb::data::nb101_arch_string(spec) != text) std::abort();
  } catch (const zcb::Error&) {
  }
  return 0;
}
