/// @file pickle.hpp
/// @brief A safe reader for Python pickles (protocols 2 to 5) that never executes anything.
///
/// The reader is a pickle virtual machine (CPython Lib/pickle.py, opcode list in
/// Lib/pickletools.py) that builds plain values only. GLOBAL / STACK_GLOBAL names are checked
/// against a fixed allow-list; every other name is an error naming module.name and the byte
/// offset. Allowed names are never called: REDUCE / NEWOBJ / BUILD on them either compute the
/// value directly (OrderedDict, set, frozenset, _codecs.encode, numpy scalars) or keep the call
/// as an inert PyKind::kObject for a later stage to interpret (torch tensors, numpy dtypes).
///
/// Allow-list: collections.OrderedDict, builtins.set / frozenset (and Python 2 __builtin__),
/// _codecs.encode, numpy.dtype, numpy.core.multiarray.scalar (numpy._core too),
/// torch._utils._rebuild_tensor_v2, torch.<T>Storage for the ten standard element types.
///
/// Limits: every value comes from at least one opcode byte, so values, memo entries and stack
/// depth are all bounded by the input size; strings are bounded by the bytes left. Values are
/// owned by the Pickle (an arena), so memo aliasing and even cyclic references are safe to hold;
/// code that walks a whole tree must remember the values it has visited (a list that holds
/// itself 30 times makes a naive walk exponential).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace zcb::data {

/// What a PyValue holds.
enum class PyKind {
  kNone,
  kBool,
  kInt,  ///< fits in int64 (larger LONG1/LONG4 values are rejected)
  kFloat,
  kStr,  ///< UTF-8 text (BINUNICODE and friends) or a Python 2 str (BINSTRING)
  kBytes,
  kList,
  kTuple,
  kDict,         ///< dict or OrderedDict: insertion-ordered pairs
  kSet,          ///< set or frozenset (insertion order)
  kGlobal,       ///< an allowed class/function reference, e.g. "torch.FloatStorage"
  kObject,       ///< an inert call of an allowed global: class_name(), args(), state()
  kPersistentId  ///< PERSID / BINPERSID: the id value is args() (torch storages)
};

/// Name of a kind for error messages ("dict", "str", ...).
const char* py_kind_name(PyKind kind);

/// One Python value. Containers point at other values of the same Pickle.
class PyValue {
 public:
  PyKind kind() const { return kind_; }
  /// Byte offset of the opcode that created the value (for error messages).
  std::uint64_t offset() const { return offset_; }
  bool is_none() const { return kind_ == PyKind::kNone; }

  /// Typed access; each throws zcb::Error naming the expected and the actual kind.
  bool as_bool() const;
  std::int64_t as_int() const;  ///< int or bool
  double as_double() const;     ///< float, int or bool (as Python's float() would)
  const std::string& as_str() const;
  const std::string& as_bytes() const;

  /// Elements of a list, tuple or set (throws for other kinds).
  const std::vector<const PyValue*>& items() const;
  /// Key/value pairs of a dict in insertion order (throws for other kinds).
  const std::vector<std::pair<const PyValue*, const PyValue*>>& pairs() const;
  /// Value for a str key of a dict, or nullptr (O(1)).
  const PyValue* get(std::string_view key) const;
  /// Value for an int key of a dict, or nullptr (O(1)).
  const PyValue* get(std::int64_t key) const;
  /// Like get() but throws zcb::Error listing a few keys the dict has.
  const PyValue& at(std::string_view key) const;

  /// kGlobal / kObject: "module.name" of the global or of the callable.
  const std::string& class_name() const;
  /// kObject: the argument tuple; kPersistentId: the persistent id.
  const PyValue& args() const;
  /// kObject / kDict: the BUILD state, or nullptr if none.
  const PyValue* state() const { return state_; }

  /// Short description for messages: "dict of 3", "str 'abc'", "float 1.5".
  std::string describe() const;

 private:
  friend class Unpickler;
  PyKind kind_ = PyKind::kNone;
  std::uint64_t offset_ = 0;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double float_ = 0;
  std::string text_;
  std::vector<const PyValue*> items_;
  std::vector<std::pair<const PyValue*, const PyValue*>> pairs_;
  // Dict keys and set elements compare as Python does (1 == 1.0 == True); a key's hash is
  // computed once, when first needed, so a long str used as a key in many dicts costs its
  // length once, not once per dict.
  struct KeyHash {
    std::size_t operator()(const PyValue* value) const { return value->key_hash(); }
  };
  struct KeyEqual {
    bool operator()(const PyValue* a, const PyValue* b) const { return keys_equal(*a, *b); }
  };
  bool hashable() const;         // None, bool, int, float, str, bytes, global, tuple of those
  std::size_t key_hash() const;  // only for hashable() values
  static bool keys_equal(const PyValue& a, const PyValue& b);
  std::uint8_t tuple_depth_ = 0;  // tuples: 1 + deepest tuple element (capped at 255)
  bool tuple_hashable_ = false;   // tuples: every element hashable and depth <= 32
  mutable bool hash_done_ = false;
  mutable std::size_t hash_ = 0;
  // dict/set only: key -> position (a pointer keeps the other kinds small).
  std::unique_ptr<std::unordered_map<const PyValue*, std::size_t, KeyHash, KeyEqual>> key_index_;
  const PyValue* args_ = nullptr;
  const PyValue* state_ = nullptr;
};

/// A decoded pickle: owns every value; root() is what `pickle.loads` would return.
class Pickle {
 public:
  const PyValue& root() const { return *root_; }
  /// Every value created, in creation order (e.g. to find all persistent ids).
  const std::deque<PyValue>& values() const { return *arena_; }

 private:
  friend class Unpickler;
  std::unique_ptr<std::deque<PyValue>> arena_ = std::make_unique<std::deque<PyValue>>();
  const PyValue* root_ = nullptr;
};

/// Decodes one pickle from the start of @p bytes (protocols 2 to 5; the binary opcodes of
/// protocols 0/1 that such pickles use are accepted too, protocol-0 text opcodes other than
/// GLOBAL and PERSID are not). Throws zcb::Error "<source>: pickle offset N (opcode X): what"
/// for unknown or forbidden opcodes, globals outside the allow-list, stack/memo misuse,
/// truncation, integers beyond int64, unhashable dict keys and out-of-band buffers.
/// @param consumed if not null, receives the offset just after STOP (legacy torch files hold
///        several pickles back to back).
Pickle unpickle(std::string_view bytes, const std::string& source, std::size_t* consumed = nullptr);

}  // namespace zcb::data
