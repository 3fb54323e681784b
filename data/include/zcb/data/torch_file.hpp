/// @file torch_file.hpp
/// @brief Reads files written by `torch.save` without LibTorch or Python.
///
/// Both containers of torch/serialization.py are read:
/// - zip (torch >= 1.6): `<prefix>/data.pkl` is the object pickle, each storage is the member
///   `<prefix>/data/<key>`; the prefix is the folder of data.pkl (usually "archive").
/// - legacy: five things back to back: a pickled magic number (0x1950a86a20f9469cfc6c), a
///   pickled protocol version (1001), a pickled sys_info dict (must say little-endian), the
///   object pickle, a pickled list of storage keys, then per key an int64 element count and the
///   raw little-endian elements.
/// The object pickle goes through the safe unpickler (pickle.hpp); tensors stay inert
/// `torch._utils._rebuild_tensor_v2` objects until tensor() turns one into a TorchTensor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zcb/data/pickle.hpp"
#include "zcb/data/zip_archive.hpp"

namespace zcb::data {

/// Element types of torch storages that can be read.
enum class TorchDtype {
  kFloat64,
  kFloat32,
  kFloat16,
  kBFloat16,
  kInt64,
  kInt32,
  kInt16,
  kInt8,
  kUInt8,
  kBool
};

/// Bytes per element of @p dtype.
std::size_t torch_dtype_size(TorchDtype dtype);
/// "float32", "int64", ... (torch's names without the "torch." prefix).
const char* torch_dtype_name(TorchDtype dtype);

/// One tensor: a strided view of a storage, as torch keeps it.
struct TorchTensor {
  TorchDtype dtype;
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> strides;  ///< in elements
  std::int64_t storage_offset = 0;    ///< in elements
  /// The whole storage (little-endian elements), shared by all views of it.
  std::shared_ptr<const std::string> storage;

  /// Number of elements (product of shape; 1 for a scalar).
  std::int64_t numel() const;
  /// Elements in row-major (C) order, converted to double (int64 beyond 2^53 loses precision).
  std::vector<double> as_doubles() const;
  /// Elements in row-major order as int64; throws zcb::Error for floating-point dtypes.
  std::vector<std::int64_t> as_int64s() const;
};

/// A loaded torch.save file: the object tree and its storages.
class TorchFile {
 public:
  /// Reads @p path (zip or legacy format, detected from the first bytes).
  static TorchFile open(const std::filesystem::path& path);
  /// Same for bytes in memory; @p source names them in errors.
  static TorchFile from_bytes(std::string bytes, std::string source);

  /// What torch.load would return (tensors as kObject values, see is_tensor()).
  const PyValue& root() const { return pickle_.root(); }
  /// Whether @p value is a tensor (a torch._utils._rebuild_tensor_v2 object).
  static bool is_tensor(const PyValue& value);
  /// The tensor @p value; throws zcb::Error (naming the file) for anything else, an unknown
  /// storage key or dtype, or a view that reaches outside its storage.
  TorchTensor tensor(const PyValue& value) const;
  /// Whether the file is the zip container (false: legacy).
  bool is_zip() const { return zip_.has_value(); }
  const std::string& source() const { return source_; }

 private:
  TorchFile() = default;
  void load_zip(std::string bytes);
  void load_legacy(std::string bytes);
  std::shared_ptr<const std::string> storage(const std::string& key, TorchDtype dtype,
                                             std::int64_t numel) const;

  std::string source_;
  Pickle pickle_;
  std::optional<ZipArchive> zip_;
  std::string zip_prefix_;  ///< "archive/" or whatever the file uses
  /// Legacy format: storages by key, read when the file is loaded.
  std::map<std::string, std::shared_ptr<const std::string>> legacy_storages_;
  /// Zip format: storages already read (tensors sharing a storage share the bytes).
  mutable std::map<std::string, std::shared_ptr<const std::string>> zip_storages_;
};

}  // namespace zcb::data
