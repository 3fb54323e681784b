// Fuzzes the safe unpickler: any input decodes or throws zcb::Error. Every value is then
// visited once through the public accessors (memo references share values and may form
// cycles, so a walk that does not remember visited values can take exponential time).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_set>

#include "zcb/data/pickle.hpp"
#include "zcb/error.hpp"

namespace {

std::unordered_set<const zcb::data::PyValue*>* visited = nullptr;

void visit(const zcb::data::PyValue& value, int depth) {
  using zcb::data::PyKind;
  if (depth > 64 || !visited->insert(&value).second) return;
  value.describe();
  switch (value.kind()) {
    case PyKind::kList:
    case PyKind::kTuple:
    case PyKind::kSet:
      for (const zcb::data::PyValue* item : value.items()) visit(*item, depth + 1);
      break;
    case PyKind::kDict:
      for (const auto& [key, item] : value.pairs()) {
        visit(*key, depth + 1);
        visit(*item, depth + 1);
      }
      value.get("key");
      value.get(std::int64_t{1});
      break;
    case PyKind::kObject:
    case PyKind::kPersistentId:
      visit(value.args(), depth + 1);
      if (value.state() != nullptr) visit(*value.state(), depth + 1);
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const zcb::data::Pickle pickle = zcb::data::unpickle(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.pkl");
    std::unordered_set<const zcb::data::PyValue*> seen;
    visited = &seen;
    visit(pickle.root(), 0);
  } catch (const zcb::Error&) {
  }
  return 0;
}
