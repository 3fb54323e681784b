// torch.save containers, after torch/serialization.py (_save / _legacy_save, _load /
// _legacy_load) and torch/_utils.py (_rebuild_tensor_v2). Read-only, torch-free.
#include "zcb/data/torch_file.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "zcb/error.hpp"

namespace zcb::data {
namespace {

constexpr int kMaxRank = 64;

struct StorageType {
  const char* name;
  TorchDtype dtype;
};
constexpr StorageType kStorageTypes[] = {
    {"torch.DoubleStorage", TorchDtype::kFloat64}, {"torch.FloatStorage", TorchDtype::kFloat32},
    {"torch.HalfStorage", TorchDtype::kFloat16},   {"torch.BFloat16Storage", TorchDtype::kBFloat16},
    {"torch.LongStorage", TorchDtype::kInt64},     {"torch.IntStorage", TorchDtype::kInt32},
    {"torch.ShortStorage", TorchDtype::kInt16},    {"torch.CharStorage", TorchDtype::kInt8},
    {"torch.ByteStorage", TorchDtype::kUInt8},     {"torch.BoolStorage", TorchDtype::kBool},
};

// A parsed persistent id: ('storage', type, key, location, numel[, view_metadata]).
struct StorageRef {
  TorchDtype dtype;
  std::string key;
  std::int64_t numel = 0;
  bool is_view = false;
  std::string view_key;
  std::int64_t view_offset = 0;
  std::int64_t view_numel = 0;
};

StorageRef parse_storage_ref(const PyValue& id, const std::string& source) {
  const auto fail = [&](const std::string& what) -> StorageRef {
    throw Error(source + ": persistent id at pickle offset " + std::to_string(id.offset()) + ": " +
                what + "; the file is not a torch.save file this reader understands");
  };
  const PyValue& tuple = id.args();
  if (tuple.kind() != PyKind::kTuple || tuple.items().size() < 5 ||
      tuple.items()[0]->kind() != PyKind::kStr || tuple.items()[0]->as_str() != "storage") {
    return fail("expected ('storage', type, key, location, numel), found " + tuple.describe());
  }
  const std::vector<const PyValue*>& items = tuple.items();
  StorageRef ref;
  if (items[1]->kind() != PyKind::kGlobal) return fail("storage type is " + items[1]->describe());
  bool known = false;
  for (const StorageType& type : kStorageTypes) {
    if (items[1]->class_name() == type.name) {
      ref.dtype = type.dtype;
      known = true;
    }
  }
  if (!known) return fail("unknown storage type " + items[1]->class_name());
  if (items[2]->kind() != PyKind::kStr || items[4]->kind() != PyKind::kInt) {
    return fail("storage key must be str and numel int");
  }
  ref.key = items[2]->as_str();
  ref.numel = items[4]->as_int();
  if (ref.numel < 0) return fail("negative storage size");
  if (items.size() >= 6 && !items[5]->is_none()) {
    const PyValue& view = *items[5];
    if (view.kind() != PyKind::kTuple || view.items().size() != 3 ||
        view.items()[0]->kind() != PyKind::kStr) {
      return fail("storage view metadata is " + view.describe());
    }
    ref.is_view = true;
    ref.view_key = view.items()[0]->as_str();
    ref.view_offset = view.items()[1]->as_int();
    ref.view_numel = view.items()[2]->as_int();
    if (ref.view_offset < 0 || ref.view_numel < 0 || ref.view_offset > ref.numel ||
        ref.view_numel > ref.numel - ref.view_offset) {
      return fail("storage view lies outside its storage");
    }
  }
  return ref;
}

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(path.string() + ": cannot open torch file (check the path)");
  const std::streamoff length = in.tellg();
  if (length < 0) throw Error(path.string() + ": cannot determine the file size");
  std::string bytes(static_cast<std::size_t>(length), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw Error(path.string() + ": read error");
  return bytes;
}

// Gathers the elements of a strided view in row-major order; calls emit(byte pointer).
template <typename Emit>
void for_each_element(const TorchTensor& tensor, Emit emit) {
  const std::size_t width = torch_dtype_size(tensor.dtype);
  const std::int64_t count = tensor.numel();
  if (count == 0) return;
  const std::size_t rank = tensor.shape.size();
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t position = tensor.storage_offset;
  for (std::int64_t n = 0; n < count; ++n) {
    emit(tensor.storage->data() + static_cast<std::size_t>(position) * width);
    for (std::size_t d = rank; d-- > 0;) {
      if (++index[d] < tensor.shape[d]) {
        position += tensor.strides[d];
        break;
      }
      position -= tensor.strides[d] * (tensor.shape[d] - 1);
      index[d] = 0;
    }
  }
}

template <typename T>
T load(const char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof value);  // files are little-endian, as this machine
  return value;
}

double half_to_double(std::uint16_t bits) {
  const int sign = bits >> 15, exponent = (bits >> 10) & 0x1F, mantissa = bits & 0x3FF;
  const double magnitude = exponent == 0    ? std::ldexp(mantissa, -24)
                           : exponent == 31 ? (mantissa ? std::numeric_limits<double>::quiet_NaN()
                                                        : std::numeric_limits<double>::infinity())
                                            : std::ldexp(mantissa + 1024.0, exponent - 25);
  return sign ? -magnitude : magnitude;
}

}  // namespace

std::size_t torch_dtype_size(TorchDtype dtype) {
  switch (dtype) {
    case TorchDtype::kFloat64:
    case TorchDtype::kInt64:
      return 8;
    case TorchDtype::kFloat32:
    case TorchDtype::kInt32:
      return 4;
    case TorchDtype::kFloat16:
    case TorchDtype::kBFloat16:
    case TorchDtype::kInt16:
      return 2;
    default:
      return 1;
  }
}

const char* torch_dtype_name(TorchDtype dtype) {
  switch (dtype) {
    case TorchDtype::kFloat64:
      return "float64";
    case TorchDtype::kFloat32:
      return "float32";
    case TorchDtype::kFloat16:
      return "float16";
    case TorchDtype::kBFloat16:
      return "bfloat16";
    case TorchDtype::kInt64:
      return "int64";
    case TorchDtype::kInt32:
      return "int32";
    case TorchDtype::kInt16:
      return "int16";
    case TorchDtype::kInt8:
      return "int8";
    case TorchDtype::kUInt8:
      return "uint8";
    case TorchDtype::kBool:
      return "bool";
  }
  return "?";
}

std::int64_t TorchTensor::numel() const {
  std::int64_t count = 1;
  for (std::int64_t extent : shape) count *= extent;
  return count;
}

std::vector<double> TorchTensor::as_doubles() const {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(numel()));
  for_each_element(*this, [&](const char* p) {
    switch (dtype) {
      case TorchDtype::kFloat64:
        out.push_back(load<double>(p));
        break;
      case TorchDtype::kFloat32:
        out.push_back(load<float>(p));
        break;
      case TorchDtype::kFloat16:
        out.push_back(half_to_double(load<std::uint16_t>(p)));
        break;
      case TorchDtype::kBFloat16: {
        const std::uint32_t bits = static_cast<std::uint32_t>(load<std::uint16_t>(p)) << 16;
        out.push_back(load<float>(reinterpret_cast<const char*>(&bits)));
        break;
      }
      case TorchDtype::kInt64:
        out.push_back(static_cast<double>(load<std::int64_t>(p)));
        break;
      case TorchDtype::kInt32:
        out.push_back(load<std::int32_t>(p));
        break;
      case TorchDtype::kInt16:
        out.push_back(load<std::int16_t>(p));
        break;
      case TorchDtype::kInt8:
        out.push_back(load<std::int8_t>(p));
        break;
      case TorchDtype::kUInt8:
        out.push_back(load<std::uint8_t>(p));
        break;
      case TorchDtype::kBool:
        out.push_back(*p != 0 ? 1.0 : 0.0);
        break;
    }
  });
  return out;
}

std::vector<std::int64_t> TorchTensor::as_int64s() const {
  if (dtype == TorchDtype::kFloat64 || dtype == TorchDtype::kFloat32 ||
      dtype == TorchDtype::kFloat16 || dtype == TorchDtype::kBFloat16) {
    throw Error(std::string("tensor of dtype ") + torch_dtype_name(dtype) +
                " read as integers; use as_doubles()");
  }
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(numel()));
  for_each_element(*this, [&](const char* p) {
    switch (dtype) {
      case TorchDtype::kInt64:
        out.push_back(load<std::int64_t>(p));
        break;
      case TorchDtype::kInt32:
        out.push_back(load<std::int32_t>(p));
        break;
      case TorchDtype::kInt16:
        out.push_back(load<std::int16_t>(p));
        break;
      case TorchDtype::kInt8:
        out.push_back(load<std::int8_t>(p));
        break;
      case TorchDtype::kUInt8:
        out.push_back(load<std::uint8_t>(p));
        break;
      default:
        out.push_back(*p != 0 ? 1 : 0);
        break;
    }
  });
  return out;
}

TorchFile TorchFile::open(const std::filesystem::path& path) {
  return from_bytes(read_whole_file(path), path.string());
}

TorchFile TorchFile::from_bytes(std::string bytes, std::string source) {
  TorchFile file;
  file.source_ = std::move(source);
  if (bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04") == 0) {
    file.load_zip(std::move(bytes));
  } else if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x80) {
    file.load_legacy(std::move(bytes));
  } else {
    throw Error(file.source_ +
                ": neither a zip torch.save file (PK signature) nor a legacy one (pickle "
                "PROTO opcode); is this really a .pt/.pth file?");
  }
  return file;
}

void TorchFile::load_zip(std::string bytes) {
  zip_.emplace(ZipArchive::from_bytes(std::move(bytes), source_));
  // torch writes "<name>/data.pkl" first; <name> is the archive name chosen at save time.
  const ZipEntry* pickle_entry = nullptr;
  for (const ZipEntry& entry : zip_->entries()) {
    const std::size_t slash = entry.name.find('/');
    if (slash != std::string::npos &&
        entry.name.compare(slash, std::string::npos, "/data.pkl") == 0) {
      pickle_entry = &entry;
      zip_prefix_ = entry.name.substr(0, slash + 1);
      break;
    }
  }
  if (pickle_entry == nullptr) {
    throw Error(source_ +
                ": zip archive has no <name>/data.pkl member, so it is not a torch.save "
                "file (or one from an unsupported torch version)");
  }
  const std::string pickle_bytes = zip_->read(*pickle_entry);
  pickle_ = unpickle(pickle_bytes, source_ + ":" + pickle_entry->name);
}

void TorchFile::load_legacy(std::string bytes) {
  std::size_t pos = 0;
  std::size_t used = 0;
  const auto next = [&](const char* what) {
    Pickle part = unpickle(std::string_view(bytes).substr(pos),
                           source_ + " (legacy " + std::string(what) + " pickle at offset " +
                               std::to_string(pos) + ")",
                           &used);
    pos += used;
    return part;
  };
  // The magic number 0x1950a86a20f9469cfc6c does not fit in int64, so compare its pickle
  // (PROTO 2, LONG1 of 10 bytes, STOP) byte for byte instead of unpickling it.
  static const std::string kMagicPickle(
      "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e", 15);
  if (bytes.compare(0, kMagicPickle.size(), kMagicPickle) != 0) {
    throw Error(source_ +
                ": no legacy torch.save magic number at offset 0; the file is not a "
                "torch file, or was written by torch < 0.4 (tar format, unsupported)");
  }
  pos = kMagicPickle.size();
  const Pickle protocol = next("protocol version");
  if (protocol.root().kind() != PyKind::kInt || protocol.root().as_int() != 1001) {
    throw Error(source_ + ": legacy torch protocol version is " + protocol.root().describe() +
                ", not 1001; re-save the file with a recent torch");
  }
  const Pickle sys_info = next("sys_info");
  const PyValue* little =
      sys_info.root().kind() == PyKind::kDict ? sys_info.root().get("little_endian") : nullptr;
  if (little == nullptr || little->kind() != PyKind::kBool || !little->as_bool()) {
    throw Error(source_ +
                ": legacy torch file is not marked little-endian; re-save it on a "
                "little-endian machine");
  }
  pickle_ = next("object");
  const Pickle keys = next("storage keys");
  if (keys.root().kind() != PyKind::kList) {
    throw Error(source_ + ": legacy storage key list is " + keys.root().describe());
  }
  // Element sizes come from the persistent ids of the object pickle.
  std::map<std::string, TorchDtype> dtype_of;
  for (const PyValue& value : pickle_.values()) {
    if (value.kind() == PyKind::kPersistentId) {
      const StorageRef ref = parse_storage_ref(value, source_);
      dtype_of[ref.key] = ref.dtype;
    }
  }
  for (const PyValue* key_value : keys.root().items()) {
    if (key_value->kind() != PyKind::kStr) {
      throw Error(source_ + ": legacy storage key is " + key_value->describe());
    }
    const std::string& key = key_value->as_str();
    const auto dtype = dtype_of.find(key);
    if (dtype == dtype_of.end()) {
      throw Error(source_ + ": legacy storage '" + key +
                  "' is not used by any tensor, so its "
                  "element size is unknown");
    }
    if (bytes.size() - pos < 8) {
      throw Error(source_ + ": offset " + std::to_string(pos) + ": file ends before storage '" +
                  key + "'; the file is truncated");
    }
    std::uint64_t numel = 0;
    for (int i = 7; i >= 0; --i)
      numel = (numel << 8) | static_cast<unsigned char>(bytes[pos + static_cast<unsigned>(i)]);
    pos += 8;
    const std::size_t width = torch_dtype_size(dtype->second);
    if (numel > (bytes.size() - pos) / width) {
      throw Error(source_ + ": offset " + std::to_string(pos - 8) + ": storage '" + key +
                  "' declares " + std::to_string(numel) + " elements, more than the " +
                  std::to_string(bytes.size() - pos) + " bytes left; the file is truncated");
    }
    legacy_storages_[key] = std::make_shared<const std::string>(bytes.substr(pos, numel * width));
    pos += numel * width;
  }
}

std::shared_ptr<const std::string> TorchFile::storage(const std::string& key, TorchDtype dtype,
                                                      std::int64_t numel) const {
  std::shared_ptr<const std::string> bytes;
  if (zip_) {
    const auto cached = zip_storages_.find(key);
    if (cached != zip_storages_.end()) {
      bytes = cached->second;
    } else {
      const std::string name = zip_prefix_ + "data/" + key;
      if (!zip_->contains(name)) {
        throw Error(source_ + ": storage '" + key + "' has no member " + name);
      }
      bytes = std::make_shared<const std::string>(zip_->read(name));
      zip_storages_[key] = bytes;
    }
  } else {
    const auto found = legacy_storages_.find(key);
    if (found == legacy_storages_.end()) {
      throw Error(source_ + ": storage '" + key + "' is not in the legacy storage list");
    }
    bytes = found->second;
  }
  const std::size_t width = torch_dtype_size(dtype);
  if (bytes->size() % width != 0 || static_cast<std::uint64_t>(numel) > bytes->size() / width) {
    throw Error(source_ + ": storage '" + key + "' has " + std::to_string(bytes->size()) +
                " bytes, fewer than its " + std::to_string(numel) + " " + torch_dtype_name(dtype) +
                " elements");
  }
  return bytes;
}

bool TorchFile::is_tensor(const PyValue& value) {
  return value.kind() == PyKind::kObject && value.class_name() == "torch._utils._rebuild_tensor_v2";
}

TorchTensor TorchFile::tensor(const PyValue& value) const {
  const auto fail = [&](const std::string& what) -> TorchTensor {
    throw Error(source_ + ": tensor at pickle offset " + std::to_string(value.offset()) + ": " +
                what);
  };
  if (!is_tensor(value)) return fail("expected a tensor, found " + value.describe());
  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks)
  const std::vector<const PyValue*>& args = value.args().items();
  if (args.size() < 4 || args[0]->kind() != PyKind::kPersistentId ||
      args[1]->kind() != PyKind::kInt || args[2]->kind() != PyKind::kTuple ||
      args[3]->kind() != PyKind::kTuple) {
    return fail("expected (storage, offset, size, stride, ...) arguments");
  }
  const StorageRef ref = parse_storage_ref(*args[0], source_);
  TorchTensor tensor;
  tensor.dtype = ref.dtype;
  tensor.storage_offset = args[1]->as_int();
  for (const PyValue* extent : args[2]->items()) tensor.shape.push_back(extent->as_int());
  for (const PyValue* stride : args[3]->items()) tensor.strides.push_back(stride->as_int());
  if (tensor.shape.size() != tensor.strides.size() || tensor.shape.size() > kMaxRank) {
    return fail("size and stride have different or absurd lengths");
  }
  std::shared_ptr<const std::string> bytes = storage(ref.key, ref.dtype, ref.numel);
  std::int64_t available = ref.numel;
  if (ref.is_view) {
    const std::size_t width = torch_dtype_size(ref.dtype);
    bytes = std::make_shared<const std::string>(
        bytes->substr(static_cast<std::size_t>(ref.view_offset) * width,
                      static_cast<std::size_t>(ref.view_numel) * width));
    available = ref.view_numel;
  }
  tensor.storage = bytes;
  // Overlapping or zero strides can make a huge view of a small storage: cap what as_doubles()
  // would allocate at a small multiple of the storage.
  std::int64_t count = 1;
  for (std::int64_t extent : tensor.shape) {
    if (extent < 0) return fail("negative size");
    if (extent != 0 && count > (16 * available + 4096) / extent) {
      return fail("view of " + std::to_string(available) +
                  " stored elements has far more "
                  "elements than its storage; refusing it");
    }
    count *= extent;
  }
  // The view must stay inside the storage: offset + sum((size-1) * stride) < numel, computed
  // without overflow; an empty tensor touches nothing.
  if (tensor.storage_offset < 0) return fail("negative storage offset");
  std::int64_t last = tensor.storage_offset;
  bool empty = false;
  for (std::size_t d = 0; d < tensor.shape.size(); ++d) {
    if (tensor.shape[d] < 0 || tensor.strides[d] < 0) return fail("negative size or stride");
    if (tensor.shape[d] == 0) empty = true;
  }
  if (!empty) {
    for (std::size_t d = 0; d < tensor.shape.size(); ++d) {
      const std::int64_t extent = tensor.shape[d] - 1;
      if (tensor.strides[d] != 0 && extent > (available - last) / tensor.strides[d]) {
        return fail("view reaches outside its storage of " + std::to_string(available) +
                    " elements");
      }
      last += extent * tensor.strides[d];
    }
    if (last >= available) {
      return fail("view reaches outside its storage of " + std::to_string(available) + " elements");
    }
  }
  return tensor;
}

}  // namespace zcb::data
