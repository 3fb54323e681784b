// Fuzzes the torch.save reader (zip and legacy): any input loads or throws zcb::Error, and every
// tensor in it materialises or throws zcb::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "zcb/data/torch_file.hpp"
#include "zcb/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const zcb::data::TorchFile file = zcb::data::TorchFile::from_bytes(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.pt");
    // Tensors are inert objects anywhere in the tree; PyValue order is creation order, so a
    // scan of the root's direct children and the root covers the usual state-dict layouts.
    const zcb::data::PyValue& root = file.root();
    auto try_tensor = [&](const zcb::data::PyValue& value) {
      if (!zcb::data::TorchFile::is_tensor(value)) return;
      try {
        const zcb::data::TorchTensor tensor = file.tensor(value);
        tensor.as_doubles();
        tensor.as_int64s();
      } catch (const zcb::Error&) {
      }
    };
    try_tensor(root);
    if (root.kind() == zcb::data::PyKind::kDict) {
      for (const auto& [key, value] : root.pairs()) try_tensor(*value);
    } else if (root.kind() == zcb::data::PyKind::kList ||
               root.kind() == zcb::data::PyKind::kTuple) {
      for (const zcb::data::PyValue* value : root.items()) try_tensor(*value);
    }
  } catch (const zcb::Error&) {
  }
  return 0;
}
