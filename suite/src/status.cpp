#include "zcb/status.hpp"

#include <array>

#include "zcb/error.hpp"

namespace zcb {
namespace {
constexpr std::array<std::string_view, 6> kStatusNames = {
    "ok", "non_finite", "error", "out_of_memory", "crashed", "unsupported"};
}  // namespace

std::string_view to_string(RowStatus status) {
  return kStatusNames.at(static_cast<std::size_t>(status));
}

RowStatus row_status_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<RowStatus>(i);
  }
  throw Error("unknown row status '" + std::string(name) +
              "' (known: ok, non_finite, error, out_of_memory, crashed, unsupported)");
}

RowStatus row_status_from_int(int value) {
  if (value < 0 || value >= static_cast<int>(kStatusNames.size())) {
    throw Error("unknown row status code " + std::to_string(value));
  }
  return static_cast<RowStatus>(value);
}

}  // namespace zcb
