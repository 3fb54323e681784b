// Fuzzes the torch.save reader (zip and legacy): any input loads or throws zcb::Error, and every
// tensor in the object tree materialises or throws zcb::Error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "zcb/data/torch_file.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using zcb::data::PyKind;
  using zcb::data::PyValue;
  try {
    const zcb::data::TorchFile file = zcb::data::TorchFile::from_bytes(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.pt");
    // Walk the tree once per value (memo references share values and may form cycles).
    std::unordered_set<const PyValue*> seen;
    std::vector<const PyValue*> todo = {&file.root()};
    while (!todo.empty()) {
      const PyValue* value = todo.back();
      todo.pop_back();
      if (!seen.insert(value).second) continue;
      if (zcb::data::TorchFile::is_tensor(*value)) {
        try {
          const zcb::data::TorchTensor tensor = file.tensor(*value);
          tensor.as_doubles();
          tensor.as_int64s();
        } catch (const zcb::Error&) {
        }
      }
      switch (value->kind()) {
        case PyKind::kList:
        case PyKind::kTuple:
        case PyKind::kSet:
          for (const PyValue* item : value->items()) todo.push_back(item);
          break;
        case PyKind::kDict:
          for (const auto& [key, item] : value->pairs()) todo.push_back(item);
          break;
        case PyKind::kObject:
          todo.push_back(&value->args());
          break;
        default:
          break;
      }
    }
  } catch (const zcb::Error&) {
  }
  return 0;
}
