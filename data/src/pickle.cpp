// A pickle virtual machine that only builds values. Opcodes and their arguments follow
// CPython's Lib/pickletools.py (the `opcodes` table) and the `load_*` methods of
// Lib/pickle.py's _Unpickler; nothing from them is executed: find_class is replaced by the
// allow-list below and REDUCE/NEWOBJ/BUILD never call anything.
#include "zcb/data/pickle.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>

#include "zcb/error.hpp"

namespace zcb::data {

const char* py_kind_name(PyKind kind) {
  switch (kind) {
    case PyKind::kNone:
      return "None";
    case PyKind::kBool:
      return "bool";
    case PyKind::kInt:
      return "int";
    case PyKind::kFloat:
      return "float";
    case PyKind::kStr:
      return "str";
    case PyKind::kBytes:
      return "bytes";
    case PyKind::kList:
      return "list";
    case PyKind::kTuple:
      return "tuple";
    case PyKind::kDict:
      return "dict";
    case PyKind::kSet:
      return "set";
    case PyKind::kGlobal:
      return "global";
    case PyKind::kObject:
      return "object";
    case PyKind::kPersistentId:
      return "persistent id";
  }
  return "?";
}

namespace {

[[noreturn]] void wrong_kind(const PyValue& value, const char* wanted) {
  throw Error(std::string("pickle value at offset ") + std::to_string(value.offset()) +
              ": expected " + wanted + ", found " + value.describe());
}

// Tuples nested deeper than this are not accepted as keys (keeps hashing and comparison
// recursion shallow; real pickles use flat tuples such as ('cifar10', 777)).
constexpr int kMaxKeyTupleDepth = 32;

// A float equal to an int64 (Python: hash(2.0) == hash(2), 2.0 == 2).
bool integral_double(double number, std::int64_t& out) {
  if (!(std::fabs(number) < 9.2e18) || std::nearbyint(number) != number) return false;
  out = static_cast<std::int64_t>(number);
  return true;
}

}  // namespace

bool PyValue::as_bool() const {
  if (kind_ != PyKind::kBool) wrong_kind(*this, "bool");
  return bool_;
}

std::int64_t PyValue::as_int() const {
  if (kind_ == PyKind::kBool) return bool_ ? 1 : 0;
  if (kind_ != PyKind::kInt) wrong_kind(*this, "int");
  return int_;
}

double PyValue::as_double() const {
  if (kind_ == PyKind::kFloat) return float_;
  if (kind_ == PyKind::kInt || kind_ == PyKind::kBool) return static_cast<double>(as_int());
  wrong_kind(*this, "float or int");
}

const std::string& PyValue::as_str() const {
  if (kind_ != PyKind::kStr) wrong_kind(*this, "str");
  return text_;
}

const std::string& PyValue::as_bytes() const {
  if (kind_ != PyKind::kBytes) wrong_kind(*this, "bytes");
  return text_;
}

const std::vector<const PyValue*>& PyValue::items() const {
  if (kind_ != PyKind::kList && kind_ != PyKind::kTuple && kind_ != PyKind::kSet) {
    wrong_kind(*this, "list, tuple or set");
  }
  return items_;
}

const std::vector<std::pair<const PyValue*, const PyValue*>>& PyValue::pairs() const {
  if (kind_ != PyKind::kDict) wrong_kind(*this, "dict");
  return pairs_;
}

bool PyValue::hashable() const {
  switch (kind_) {
    case PyKind::kNone:
    case PyKind::kBool:
    case PyKind::kInt:
    case PyKind::kFloat:
    case PyKind::kStr:
    case PyKind::kBytes:
    case PyKind::kGlobal:
      return true;
    case PyKind::kTuple:
      return tuple_hashable_;  // fixed when the tuple is made (its elements never change)
    default:
      return false;
  }
}

std::size_t PyValue::key_hash() const {
  if (hash_done_) return hash_;
  std::size_t hash = static_cast<std::size_t>(kind_) * 0x9E3779B97F4A7C15ull;
  std::int64_t integral = 0;
  switch (kind_) {
    case PyKind::kNone:
      break;
    case PyKind::kBool:
    case PyKind::kInt:
      hash = std::hash<std::int64_t>()(as_int());
      break;
    case PyKind::kFloat:
      hash = integral_double(float_, integral) ? std::hash<std::int64_t>()(integral)
                                               : std::hash<double>()(float_);
      break;
    case PyKind::kStr:
    case PyKind::kBytes:
    case PyKind::kGlobal:
      hash ^= std::hash<std::string>()(text_);
      break;
    default:  // tuple
      for (const PyValue* item : items_) {
        hash = (hash ^ item->key_hash()) * 0x100000001B3ull + 0x9E3779B9;
      }
  }
  hash_ = hash;
  hash_done_ = true;
  return hash_;
}

bool PyValue::keys_equal(const PyValue& a, const PyValue& b) {
  if (&a == &b) return true;
  const auto numeric = [](PyKind kind) {
    return kind == PyKind::kBool || kind == PyKind::kInt || kind == PyKind::kFloat;
  };
  if (numeric(a.kind_) && numeric(b.kind_)) {
    if (a.kind_ == PyKind::kFloat && b.kind_ == PyKind::kFloat) return a.float_ == b.float_;
    if (a.kind_ != PyKind::kFloat && b.kind_ != PyKind::kFloat) return a.as_int() == b.as_int();
    const PyValue& real = a.kind_ == PyKind::kFloat ? a : b;
    const PyValue& whole = a.kind_ == PyKind::kFloat ? b : a;
    std::int64_t integral = 0;
    return integral_double(real.float_, integral) && integral == whole.as_int();
  }
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case PyKind::kNone:
      return true;
    case PyKind::kStr:
    case PyKind::kBytes:
    case PyKind::kGlobal:
      return a.text_ == b.text_;
    case PyKind::kTuple:
      if (a.items_.size() != b.items_.size()) return false;
      for (std::size_t i = 0; i < a.items_.size(); ++i) {
        if (!keys_equal(*a.items_[i], *b.items_[i])) return false;
      }
      return true;
    default:
      return false;
  }
}

const PyValue* PyValue::get(std::string_view key) const {
  if (kind_ != PyKind::kDict) wrong_kind(*this, "dict");
  PyValue probe;
  probe.kind_ = PyKind::kStr;
  probe.text_.assign(key);
  const auto it = key_index_->find(&probe);
  return it == key_index_->end() ? nullptr : pairs_[it->second].second;
}

const PyValue* PyValue::get(std::int64_t key) const {
  if (kind_ != PyKind::kDict) wrong_kind(*this, "dict");
  PyValue probe;
  probe.kind_ = PyKind::kInt;
  probe.int_ = key;
  const auto it = key_index_->find(&probe);
  return it == key_index_->end() ? nullptr : pairs_[it->second].second;
}

const PyValue& PyValue::at(std::string_view key) const {
  if (const PyValue* value = get(key)) return *value;
  std::string known;
  for (std::size_t i = 0; i < pairs_.size() && i < 10; ++i) {
    known += (i ? ", " : "") + pairs_[i].first->describe();
  }
  if (pairs_.size() > 10) known += ", ...";
  throw Error("pickle dict at offset " + std::to_string(offset_) + " has no key '" +
              std::string(key) + "' (it has " + std::to_string(pairs_.size()) + " keys: " + known +
              ")");
}

const std::string& PyValue::class_name() const {
  if (kind_ != PyKind::kGlobal && kind_ != PyKind::kObject) wrong_kind(*this, "global or object");
  return text_;
}

const PyValue& PyValue::args() const {
  if (kind_ != PyKind::kObject && kind_ != PyKind::kPersistentId) {
    wrong_kind(*this, "object or persistent id");
  }
  return *args_;
}

std::string PyValue::describe() const {
  std::ostringstream out;
  out << py_kind_name(kind_);
  switch (kind_) {
    case PyKind::kBool:
      out << (bool_ ? " True" : " False");
      break;
    case PyKind::kInt:
      out << " " << int_;
      break;
    case PyKind::kFloat:
      out << " " << float_;
      break;
    case PyKind::kStr:
    case PyKind::kBytes:
      out << " '" << text_.substr(0, 40) << (text_.size() > 40 ? "...'" : "'");
      break;
    case PyKind::kList:
    case PyKind::kTuple:
    case PyKind::kSet:
      out << " of " << items_.size();
      break;
    case PyKind::kDict:
      out << " of " << pairs_.size();
      break;
    case PyKind::kGlobal:
    case PyKind::kObject:
      out << " " << text_;
      break;
    default:
      break;
  }
  return out.str();
}

// ---------------------------------------------------------------------------------------------

class Unpickler {
 public:
  Unpickler(std::string_view bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  Pickle run(std::size_t* consumed);

 private:
  [[noreturn]] void fail(const std::string& what) const {
    std::ostringstream out;
    out << source_ << ": pickle offset " << op_offset_ << " (opcode 0x" << std::hex
        << static_cast<int>(op_) << std::dec << "): " << what;
    throw Error(out.str());
  }

  // Input.
  std::string_view take(std::uint64_t count) {
    if (count > bytes_.size() - pos_) {
      fail("needs " + std::to_string(count) + " bytes but only " +
           std::to_string(bytes_.size() - pos_) + " remain; the pickle is truncated");
    }
    const std::string_view out = bytes_.substr(pos_, count);
    pos_ += count;
    return out;
  }
  std::uint64_t uint_le(int width) {
    const std::string_view raw = take(static_cast<std::uint64_t>(width));
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(raw[i]);
    return value;
  }
  std::string_view line() {
    const std::size_t end = bytes_.find('\n', pos_);
    if (end == std::string_view::npos) fail("text argument has no terminating newline");
    const std::string_view out = bytes_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }

  // Values.
  PyValue* make(PyKind kind) {
    PyValue& value = result_.arena_->emplace_back();
    value.kind_ = kind;
    value.offset_ = op_offset_;
    if (kind == PyKind::kDict || kind == PyKind::kSet) {
      value.key_index_ = std::make_unique<
          std::unordered_map<const PyValue*, std::size_t, PyValue::KeyHash, PyValue::KeyEqual>>();
    }
    return &value;
  }
  PyValue* make_int(std::int64_t number) {
    PyValue* value = make(PyKind::kInt);
    value->int_ = number;
    return value;
  }
  PyValue* make_text(PyKind kind, std::string_view text) {
    PyValue* value = make(kind);
    value->text_.assign(text);
    return value;
  }

  // Stack.
  void push(PyValue* value) { stack_.push_back(value); }
  PyValue* pop() {
    if (stack_.size() <= stack_floor()) fail("pops from an empty stack (or past a MARK)");
    PyValue* value = stack_.back();
    stack_.pop_back();
    return value;
  }
  PyValue* top() {
    if (stack_.size() <= stack_floor()) fail("needs a value on the stack");
    return stack_.back();
  }
  std::size_t stack_floor() const { return marks_.empty() ? 0 : marks_.back(); }
  // Pops everything above the last MARK (and the MARK).
  std::vector<PyValue*> pop_mark() {
    if (marks_.empty()) fail("no MARK on the stack");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    charge(stack_.size() - mark);
    std::vector<PyValue*> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
    stack_.resize(mark);
    return items;
  }

  // Memo.
  void memo_put(std::uint64_t index) { memo_[index] = top(); }
  void memo_get(std::uint64_t index) {
    const auto it = memo_.find(index);
    if (it == memo_.end()) fail("memo key " + std::to_string(index) + " was never stored");
    push(it->second);
  }

  // Containers.
  void dict_set(PyValue* dict, PyValue* key, PyValue* value) {
    if (dict->kind_ != PyKind::kDict) fail("SETITEM(S) on " + dict->describe() + ", not a dict");
    if (!key->hashable()) fail("dict key " + key->describe() + " is not hashable");
    charge(1);
    const auto [it, fresh] = dict->key_index_->emplace(key, dict->pairs_.size());
    if (fresh) {
      dict->pairs_.emplace_back(key, value);
    } else {
      dict->pairs_[it->second].second = value;  // Python: a repeated key replaces the value
    }
  }
  void set_add(PyValue* set, PyValue* item) {
    if (!item->hashable()) fail("set element " + item->describe() + " is not hashable");
    charge(1);
    if (set->key_index_->emplace(item, set->items_.size()).second) set->items_.push_back(item);
  }
  // Container work is bounded by the input size: a few memo references can otherwise rebuild
  // a huge list as a set or OrderedDict again and again (a pickle bomb).
  void charge(std::size_t elements) {
    work_ += elements;
    if (work_ > work_budget_) {
      fail("the pickle builds more than " + std::to_string(work_budget_) +
           " container elements from " + std::to_string(bytes_.size()) +
           " bytes; refusing it as a pickle bomb");
    }
  }
  void list_extend(PyValue* list, const std::vector<PyValue*>& items) {
    if (list->kind_ != PyKind::kList) fail("APPEND(S) on " + list->describe() + ", not a list");
    charge(items.size());
    list->items_.insert(list->items_.end(), items.begin(), items.end());
  }
  PyValue* make_tuple(const std::vector<PyValue*>& items) {
    charge(items.size());
    PyValue* tuple = make(PyKind::kTuple);
    tuple->items_.assign(items.begin(), items.end());
    int depth = 0;
    bool hashable = true;
    for (const PyValue* item : items) {
      depth = std::max<int>(depth, item->tuple_depth_);
      hashable = hashable && item->hashable();
    }
    tuple->tuple_depth_ = static_cast<std::uint8_t>(std::min(depth + 1, 255));
    tuple->tuple_hashable_ = hashable && tuple->tuple_depth_ <= kMaxKeyTupleDepth;
    return tuple;
  }

  PyValue* find_class(const std::string& module, const std::string& name);
  PyValue* call(PyValue* callable, PyValue* args);
  PyValue* numpy_scalar(const PyValue& args);

  std::string_view bytes_;
  const std::string& source_;
  std::size_t pos_ = 0;
  std::size_t op_offset_ = 0;
  unsigned char op_ = 0;
  Pickle result_;
  std::vector<PyValue*> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, PyValue*> memo_;
  std::size_t work_ = 0;
  std::size_t work_budget_ = 4 * bytes_.size() + 65536;
};

namespace {

// The allow-list: names a pickle may reference. Nothing here is ever called.
bool allowed_global(const std::string& name) {
  static const char* const kAllowed[] = {
      "collections.OrderedDict",
      "builtins.set",
      "builtins.frozenset",
      "__builtin__.set",
      "__builtin__.frozenset",
      "_codecs.encode",
      "numpy.dtype",
      "numpy.core.multiarray.scalar",
      "numpy._core.multiarray.scalar",
      "torch._utils._rebuild_tensor_v2",
      "torch.DoubleStorage",
      "torch.FloatStorage",
      "torch.HalfStorage",
      "torch.BFloat16Storage",
      "torch.LongStorage",
      "torch.IntStorage",
      "torch.ShortStorage",
      "torch.CharStorage",
      "torch.ByteStorage",
      "torch.BoolStorage",
  };
  for (const char* allowed : kAllowed) {
    if (name == allowed) return true;
  }
  return false;
}

bool is_set_class(const std::string& name) {
  return name == "builtins.set" || name == "builtins.frozenset" || name == "__builtin__.set" ||
         name == "__builtin__.frozenset";
}

// UTF-8 text -> bytes with each code point as one byte (what _codecs.encode(s, 'latin1') does
// for protocol-2 bytes objects). Returns false for a code point above 255 or broken UTF-8.
bool utf8_to_latin1(const std::string& text, std::string& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(byte));
    } else if ((byte & 0xE0) == 0xC0 && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      const unsigned code =
          ((byte & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      if (code > 0xFF) return false;
      out.push_back(static_cast<char>(code));
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

PyValue* Unpickler::find_class(const std::string& module, const std::string& name) {
  const std::string full = module + "." + name;
  if (!allowed_global(full)) {
    fail("refusing global '" + full +
         "': only plain data, OrderedDict, set, numpy scalars and torch tensors are read "
         "(never executed); convert the file to plain data or extend the allow-list in "
         "data/src/pickle.cpp after review");
  }
  return make_text(PyKind::kGlobal, full);
}

PyValue* Unpickler::numpy_scalar(const PyValue& args) {
  // numpy.core.multiarray.scalar(dtype, raw_bytes): dtype is an inert numpy.dtype object made
  // from ('f8', False, True) whose BUILD state tuple holds the byte order at position 1.
  if (args.items().size() != 2) fail("numpy scalar() expects (dtype, bytes)");
  const PyValue& dtype = *args.items()[0];
  const PyValue& raw = *args.items()[1];
  if (dtype.kind() != PyKind::kObject || dtype.class_name() != "numpy.dtype" ||
      dtype.args().items().empty() || dtype.args().items()[0]->kind() != PyKind::kStr ||
      raw.kind() != PyKind::kBytes) {
    fail("numpy scalar() expects (numpy.dtype, bytes), got " + dtype.describe() + " and " +
         raw.describe());
  }
  const std::string& code = dtype.args().items()[0]->as_str();
  char order = '<';
  if (const PyValue* state = dtype.state()) {
    if (state->kind() == PyKind::kTuple && state->items().size() > 1 &&
        state->items()[1]->kind() == PyKind::kStr && state->items()[1]->as_str().size() == 1) {
      order = state->items()[1]->as_str()[0];
    }
  }
  if (code.size() != 2 || std::string("fiub").find(code[0]) == std::string::npos ||
      std::string("1248").find(code[1]) == std::string::npos ||
      (code[0] == 'f' && code[1] == '1')) {
    fail("numpy scalar of dtype '" + code + "' is not supported (only f2/f4/f8, i*, u*, b1)");
  }
  const std::size_t width = static_cast<std::size_t>(code[1] - '0');
  if (raw.as_bytes().size() != width) {  // checked before copying: raw may be huge
    fail("numpy scalar of dtype '" + code + "' holds " + std::to_string(raw.as_bytes().size()) +
         " bytes, not " + std::to_string(width));
  }
  std::string data = raw.as_bytes();
  if (order == '>') std::reverse(data.begin(), data.end());
  std::uint64_t bits = 0;
  for (std::size_t i = width; i-- > 0;) bits = (bits << 8) | static_cast<unsigned char>(data[i]);
  if (code[0] == 'f') {
    PyValue* value = make(PyKind::kFloat);
    if (width == 8) {
      std::memcpy(&value->float_, &bits, 8);
    } else if (width == 4) {
      float single = 0;
      const auto low = static_cast<std::uint32_t>(bits);
      std::memcpy(&single, &low, 4);
      value->float_ = single;
    } else {  // IEEE half
      const unsigned sign = (bits >> 15) & 1, exponent = (bits >> 10) & 0x1F,
                     mantissa = bits & 0x3FF;
      double magnitude = exponent == 0 ? std::ldexp(mantissa, -24)
                         : exponent == 31
                             ? (mantissa ? NAN : INFINITY)
                             : std::ldexp(mantissa + 1024.0, static_cast<int>(exponent) - 25);
      value->float_ = sign ? -magnitude : magnitude;
    }
    return value;
  }
  if (code[0] == 'b') {
    PyValue* value = make(PyKind::kBool);
    value->bool_ = bits != 0;
    return value;
  }
  if (code[0] == 'u') {
    if (width == 8 && bits > static_cast<std::uint64_t>(INT64_MAX)) {
      fail("numpy uint64 scalar " + std::to_string(bits) + " does not fit in int64");
    }
    return make_int(static_cast<std::int64_t>(bits));
  }
  const unsigned shift = static_cast<unsigned>(64 - 8 * width);  // sign-extend
  return make_int(static_cast<std::int64_t>(bits << shift) >> shift);
}

PyValue* Unpickler::call(PyValue* callable, PyValue* args) {
  if (callable->kind_ != PyKind::kGlobal) {
    fail("call of " + callable->describe() + ": only allowed globals can be called");
  }
  if (args->kind_ != PyKind::kTuple)
    fail("call arguments are " + args->describe() + ", not a tuple");
  const std::string& name = callable->text_;
  const std::vector<const PyValue*>& items = args->items_;
  if (name == "collections.OrderedDict") {
    PyValue* dict = make(PyKind::kDict);
    if (items.size() > 1) fail("OrderedDict() takes at most one argument");
    if (items.size() == 1) {
      const PyValue& source = *items[0];
      if (source.kind() != PyKind::kList && source.kind() != PyKind::kTuple) {
        fail("OrderedDict() argument must be a list of pairs, got " + source.describe());
      }
      for (const PyValue* pair : source.items()) {
        if ((pair->kind() != PyKind::kTuple && pair->kind() != PyKind::kList) ||
            pair->items().size() != 2) {
          fail("OrderedDict() item is not a pair: " + pair->describe());
        }
        dict_set(dict, const_cast<PyValue*>(pair->items()[0]),
                 const_cast<PyValue*>(pair->items()[1]));
      }
    }
    return dict;
  }
  if (is_set_class(name)) {
    PyValue* set = make(PyKind::kSet);
    if (items.size() > 1) fail(name + "() takes at most one argument");
    if (items.size() == 1) {
      const PyValue& source = *items[0];
      if (source.kind() != PyKind::kList && source.kind() != PyKind::kTuple &&
          source.kind() != PyKind::kSet) {
        fail(name + "() argument must be a list, tuple or set, got " + source.describe());
      }
      for (const PyValue* item : source.items()) set_add(set, const_cast<PyValue*>(item));
    }
    return set;
  }
  if (name == "_codecs.encode") {
    // Protocol 2 writes bytes as _codecs.encode(text, 'latin1').
    if (items.size() != 2 || items[0]->kind() != PyKind::kStr || items[1]->kind() != PyKind::kStr ||
        (items[1]->as_str() != "latin1" && items[1]->as_str() != "latin-1")) {
      fail("_codecs.encode is only read as encode(str, 'latin1')");
    }
    charge(items[0]->as_str().size());  // a memoized text could be re-encoded many times
    PyValue* bytes = make(PyKind::kBytes);
    if (!utf8_to_latin1(items[0]->as_str(), bytes->text_)) {
      fail("_codecs.encode text is not latin-1");
    }
    return bytes;
  }
  if (name == "numpy.core.multiarray.scalar" || name == "numpy._core.multiarray.scalar") {
    return numpy_scalar(*args);
  }
  if (name == "numpy.dtype" || name == "torch._utils._rebuild_tensor_v2") {
    PyValue* object = make_text(PyKind::kObject, name);
    object->args_ = args;
    return object;
  }
  fail("'" + name + "' cannot be called (it is only allowed as a reference)");
}

Pickle Unpickler::run(std::size_t* consumed) {
  int protocol = -1;
  for (;;) {
    op_offset_ = pos_;
    if (pos_ >= bytes_.size()) {
      op_ = 0;
      fail("input ends before the STOP opcode; the pickle is truncated");
    }
    op_ = static_cast<unsigned char>(bytes_[pos_++]);
    switch (op_) {
      case 0x80: {  // PROTO
        protocol = static_cast<int>(uint_le(1));
        if (protocol < 2 || protocol > 5) {
          fail("pickle protocol " + std::to_string(protocol) + " (only 2 to 5 are read)");
        }
        break;
      }
      case 0x95: {  // FRAME: a length prefix only; the data that follows is ordinary opcodes
        const std::uint64_t length = uint_le(8);
        if (length > bytes_.size() - pos_)
          fail("FRAME of " + std::to_string(length) + " bytes runs past the end");
        break;
      }
      case '.': {  // STOP
        PyValue* root = pop();
        if (!marks_.empty()) fail("STOP with an open MARK");
        result_.root_ = root;
        if (consumed) *consumed = pos_;
        return std::move(result_);
      }
      case 'N':
        push(make(PyKind::kNone));
        break;
      case 0x88:
      case 0x89: {
        PyValue* value = make(PyKind::kBool);
        value->bool_ = op_ == 0x88;
        push(value);
        break;
      }
      case 'J':
        push(make_int(static_cast<std::int32_t>(uint_le(4))));
        break;
      case 'K':
        push(make_int(static_cast<std::int64_t>(uint_le(1))));
        break;
      case 'M':
        push(make_int(static_cast<std::int64_t>(uint_le(2))));
        break;
      case 0x8a:
      case 0x8b: {  // LONG1 / LONG4: little-endian two's complement
        const std::uint64_t length = op_ == 0x8a ? uint_le(1) : uint_le(4);
        std::string_view raw = take(length);
        // Drop sign-extension bytes that do not change the value.
        while (raw.size() > 8) {
          const auto last = static_cast<unsigned char>(raw.back());
          const auto prev = static_cast<unsigned char>(raw[raw.size() - 2]);
          if ((last == 0x00 && prev < 0x80) || (last == 0xFF && prev >= 0x80)) {
            raw.remove_suffix(1);
          } else {
            break;
          }
        }
        if (raw.size() > 8)
          fail("integer of " + std::to_string(length) + " bytes does not fit in int64");
        std::uint64_t bits = 0;
        for (std::size_t i = raw.size(); i-- > 0;)
          bits = (bits << 8) | static_cast<unsigned char>(raw[i]);
        if (!raw.empty() && raw.size() < 8 && (static_cast<unsigned char>(raw.back()) & 0x80)) {
          bits |= ~std::uint64_t{0} << (8 * raw.size());  // negative: sign-extend
        } else if (raw.size() == 8 && !(static_cast<unsigned char>(raw.back()) & 0x80) &&
                   bits > static_cast<std::uint64_t>(INT64_MAX)) {
          fail("integer does not fit in int64");
        }
        push(make_int(static_cast<std::int64_t>(bits)));
        break;
      }
      case 'G': {  // BINFLOAT: big-endian IEEE double
        const std::string_view raw = take(8);
        std::uint64_t bits = 0;
        for (char byte : raw) bits = (bits << 8) | static_cast<unsigned char>(byte);
        PyValue* value = make(PyKind::kFloat);
        std::memcpy(&value->float_, &bits, 8);
        push(value);
        break;
      }
      case 'X':
        push(make_text(PyKind::kStr, take(uint_le(4))));
        break;
      case 0x8c:
        push(make_text(PyKind::kStr, take(uint_le(1))));
        break;
      case 0x8d:
        push(make_text(PyKind::kStr, take(uint_le(8))));
        break;
      case 'T':
        push(make_text(PyKind::kStr, take(uint_le(4))));
        break;  // Python 2 str
      case 'U':
        push(make_text(PyKind::kStr, take(uint_le(1))));
        break;
      case 'B':
        push(make_text(PyKind::kBytes, take(uint_le(4))));
        break;
      case 'C':
        push(make_text(PyKind::kBytes, take(uint_le(1))));
        break;
      case 0x8e:
      case 0x96:
        push(make_text(PyKind::kBytes, take(uint_le(8))));
        break;  // BINBYTES8, BYTEARRAY8
      case ')':
        push(make_tuple({}));
        break;
      case 0x85:
      case 0x86:
      case 0x87: {  // TUPLE1..3
        const std::size_t count = op_ - 0x84u;
        if (stack_.size() < stack_floor() + count)
          fail("TUPLE" + std::to_string(count) + " needs " + std::to_string(count) + " values");
        std::vector<PyValue*> items(stack_.end() - static_cast<std::ptrdiff_t>(count),
                                    stack_.end());
        stack_.resize(stack_.size() - count);
        push(make_tuple(items));
        break;
      }
      case 't':
        push(make_tuple(pop_mark()));
        break;
      case ']':
        push(make(PyKind::kList));
        break;
      case 'l': {
        PyValue* list = make(PyKind::kList);
        list_extend(list, pop_mark());
        push(list);
        break;
      }
      case 'a': {
        PyValue* item = pop();
        list_extend(top(), {item});
        break;
      }
      case 'e': {
        std::vector<PyValue*> items = pop_mark();
        list_extend(top(), items);
        break;
      }
      case '}':
        push(make(PyKind::kDict));
        break;
      case 'd': {
        const std::vector<PyValue*> items = pop_mark();
        if (items.size() % 2 != 0) fail("DICT with an odd number of values");
        PyValue* dict = make(PyKind::kDict);
        for (std::size_t i = 0; i < items.size(); i += 2) dict_set(dict, items[i], items[i + 1]);
        push(dict);
        break;
      }
      case 's': {
        PyValue* value = pop();
        PyValue* key = pop();
        dict_set(top(), key, value);
        break;
      }
      case 'u': {
        const std::vector<PyValue*> items = pop_mark();
        if (items.size() % 2 != 0) fail("SETITEMS with an odd number of values");
        PyValue* dict = top();
        for (std::size_t i = 0; i < items.size(); i += 2) dict_set(dict, items[i], items[i + 1]);
        break;
      }
      case 0x8f:
        push(make(PyKind::kSet));
        break;
      case 0x90: {  // ADDITEMS
        const std::vector<PyValue*> items = pop_mark();
        PyValue* set = top();
        if (set->kind_ != PyKind::kSet) fail("ADDITEMS on " + set->describe() + ", not a set");
        for (PyValue* item : items) set_add(set, item);
        break;
      }
      case 0x91: {  // FROZENSET
        const std::vector<PyValue*> items = pop_mark();
        PyValue* set = make(PyKind::kSet);
        for (PyValue* item : items) set_add(set, item);
        push(set);
        break;
      }
      case '0':
        pop();
        break;
      case '1':
        pop_mark();
        break;
      case '2':
        push(top());
        break;
      case '(':
        marks_.push_back(stack_.size());
        break;
      case 'h':
        memo_get(uint_le(1));
        break;
      case 'j':
        memo_get(uint_le(4));
        break;
      case 'q':
        memo_put(uint_le(1));
        break;
      case 'r':
        memo_put(uint_le(4));
        break;
      case 0x94:
        memo_put(memo_.size());
        break;
      case 'c': {  // GLOBAL "module\nname\n"
        const std::string module(line());
        const std::string name(line());
        push(find_class(module, name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        PyValue* name = pop();
        PyValue* module = pop();
        if (module->kind_ != PyKind::kStr || name->kind_ != PyKind::kStr) {
          fail("STACK_GLOBAL needs two str values");
        }
        push(find_class(module->text_, name->text_));
        break;
      }
      case 'R': {  // REDUCE
        PyValue* args = pop();
        PyValue* callable = pop();
        push(call(callable, args));
        break;
      }
      case 0x81: {  // NEWOBJ: cls.__new__(cls, *args), read like a call
        PyValue* args = pop();
        PyValue* cls = pop();
        push(call(cls, args));
        break;
      }
      case 0x92: {  // NEWOBJ_EX
        PyValue* kwargs = pop();
        PyValue* args = pop();
        PyValue* cls = pop();
        if (kwargs->kind_ != PyKind::kDict || !kwargs->pairs_.empty()) {
          fail("NEWOBJ_EX with keyword arguments is not supported");
        }
        push(call(cls, args));
        break;
      }
      case 'b': {  // BUILD: keep the state; nothing is set by calling __setstate__
        PyValue* state = pop();
        PyValue* object = top();
        if (object->kind_ != PyKind::kObject && object->kind_ != PyKind::kDict) {
          fail("BUILD on " + object->describe() + " (only objects and dicts take a state)");
        }
        if (object->state_ != nullptr) fail("BUILD twice on one object");
        object->state_ = state;
        break;
      }
      case 'Q': {  // BINPERSID
        PyValue* id = make(PyKind::kPersistentId);
        id->args_ = pop();
        push(id);
        break;
      }
      case 'P': {  // PERSID "id\n"
        PyValue* id = make(PyKind::kPersistentId);
        id->args_ = make_text(PyKind::kStr, line());
        push(id);
        break;
      }
      case 0x82:
      case 0x83:
      case 0x84:
        fail("extension registry codes (EXT1/2/4) are not supported");
      case 0x97:
      case 0x98:
        fail("out-of-band buffers (protocol 5 NEXT_BUFFER) are not supported");
      case 'I':
      case 'L':
      case 'F':
      case 'S':
      case 'V':
      case 'g':
      case 'p':
      case 'i':
      case 'o':
        fail("protocol-0/1 text opcode '" + std::string(1, static_cast<char>(op_)) +
             "' is not supported; re-save the file with pickle protocol 2 or later");
      default:
        fail("unknown opcode; this is not a pickle or it is corrupt");
    }
    (void)protocol;
  }
}

Pickle unpickle(std::string_view bytes, const std::string& source, std::size_t* consumed) {
  return Unpickler(bytes, source).run(consumed);
}

}  // namespace zcb::data
