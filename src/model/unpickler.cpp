#include "unpickler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <variant>

#include "mgeo/util/error.h"

namespace mgeo::model::detail {
namespace {

constexpr int kMaxDepth = 32;     // a state dict nests four deep
constexpr size_t kMaxLine = 256;  // GLOBAL's module and name lines
constexpr size_t kMaxDims = 16;
constexpr size_t kMaxStorageKey = 64;

enum class Callable { kOrderedDict, kRebuildTensor, kRebuildParameter, kStorageType };

struct Global {
  Callable fn;
  c10::ScalarType dtype = c10::ScalarType::Undefined;  // storage types only
};

struct None {};
struct Mark {};
using Str = std::shared_ptr<const std::string>;

struct StorageRef {
  Str key;
  c10::ScalarType dtype;
  int64_t numel;
};

struct Container;
using ContainerPtr = std::shared_ptr<Container>;
using TensorPtr = std::shared_ptr<const TensorRef>;
// Copies are O(1): strings, containers and tensors are shared, as Python objects are.
using Value = std::variant<None, Mark, bool, int64_t, double, Str, Global, StorageRef, TensorPtr, ContainerPtr>;

struct Container {
  enum class Kind { kList, kTuple, kDict };
  explicit Container(Kind k) : kind(k) {}
  Kind kind;
  std::vector<Value> items;  // a dict holds key, value, key, value, ...
  bool sealed = false;       // nested inside another value: immutable from then on
  int depth = 1;
};

const char* kind_name(Container::Kind k) {
  switch (k) {
    case Container::Kind::kList: return "list";
    case Container::Kind::kTuple: return "tuple";
    case Container::Kind::kDict: return "dict";
  }
  return "?";
}

std::optional<Global> resolve_global(const std::string& module, const std::string& name) {
  static const std::pair<const char*, c10::ScalarType> kStorages[] = {
      {"FloatStorage", c10::kFloat},   {"HalfStorage", c10::kHalf},   {"BFloat16Storage", c10::kBFloat16},
      {"DoubleStorage", c10::kDouble}, {"LongStorage", c10::kLong},   {"IntStorage", c10::kInt},
      {"ShortStorage", c10::kShort},   {"CharStorage", c10::kChar},   {"ByteStorage", c10::kByte},
      {"BoolStorage", c10::kBool}};
  if (module == "collections" && name == "OrderedDict") return Global{Callable::kOrderedDict};
  if (module == "torch._utils" && name == "_rebuild_tensor_v2") return Global{Callable::kRebuildTensor};
  if (module == "torch._utils" && name == "_rebuild_parameter") return Global{Callable::kRebuildParameter};
  if (module == "torch")
    for (const auto& [storage, dtype] : kStorages)
      if (name == storage) return Global{Callable::kStorageType, dtype};
  return std::nullopt;
}

bool valid_storage_key(const std::string& key) {
  return !key.empty() && key.size() <= kMaxStorageKey &&
         std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

class Unpickler {
 public:
  Unpickler(std::string_view data, const std::string& origin) : data_(data), origin_(origin) {}

  Value run() {
    for (;;) {
      op_pos_ = pos_;
      const auto op = static_cast<uint8_t>(take(1)[0]);
      if (op == '.') return pop();  // STOP
      step(op);
    }
  }

  template <class... Args>
  [[noreturn]] void error(fmt::format_string<Args...> f, Args&&... args) const {
    fail("{}: pickle offset {}: {}", origin_, op_pos_, fmt::format(f, std::forward<Args>(args)...));
  }

 private:
  void step(uint8_t op);

  // --- input ---
  std::string_view take(uint64_t n) {
    if (n > data_.size() - pos_) error("truncated: {} more bytes wanted, {} left", n, data_.size() - pos_);
    const auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint64_t little_endian(int n) {
    const auto s = take(n);
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[i]);
    return v;
  }
  std::string line() {
    const auto end = data_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > kMaxLine) error("GLOBAL line missing or too long");
    std::string s(data_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }
  int64_t long1() {
    const auto n = static_cast<int>(little_endian(1));
    if (n > 8) error("LONG1 integer of {} bytes does not fit 64 bits", n);
    if (n == 0) return 0;
    uint64_t v = little_endian(n);
    if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);  // sign-extend
    return static_cast<int64_t>(v);
  }
  double binfloat() {
    uint64_t bits = 0;
    for (char c : take(8)) bits = (bits << 8) | static_cast<uint8_t>(c);  // big-endian
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  Value string(uint64_t n) { return std::make_shared<const std::string>(take(n)); }

  // --- stack and memo ---
  void push(Value v) { stack_.push_back(std::move(v)); }
  Value pop() {
    if (stack_.empty()) error("stack underflow");
    if (std::holds_alternative<Mark>(stack_.back())) error("a value was expected, found MARK");
    Value v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  std::vector<Value> pop_n(size_t n) {
    std::vector<Value> items(n);
    for (size_t i = n; i-- > 0;) items[i] = pop();
    return items;
  }
  std::vector<Value> pop_to_mark() {
    auto it = std::find_if(stack_.rbegin(), stack_.rend(), [](const Value& v) { return std::holds_alternative<Mark>(v); });
    if (it == stack_.rend()) error("no MARK on the stack");
    const auto mark = std::next(it).base();
    std::vector<Value> items(std::make_move_iterator(mark + 1), std::make_move_iterator(stack_.end()));
    stack_.erase(mark, stack_.end());
    return items;
  }
  Container& top(Container::Kind kind) {
    if (stack_.empty()) error("stack underflow");
    const auto* c = std::get_if<ContainerPtr>(&stack_.back());
    if (!c || (*c)->kind != kind) error("a {} was expected on the stack", kind_name(kind));
    return **c;
  }
  void memo_put(uint64_t index) {
    if (stack_.empty() || std::holds_alternative<Mark>(stack_.back())) error("nothing to memoize");
    memo_[index] = stack_.back();
  }
  Value memo_get(uint64_t index) {
    const auto it = memo_.find(index);
    if (it == memo_.end()) error("memo index {} was never stored", index);
    return it->second;
  }

  // --- containers ---
  void insert(Container& c, std::vector<Value> items) {
    if (c.sealed) error("a {} is modified after being nested", kind_name(c.kind));
    for (auto& v : items) {
      if (auto* child = std::get_if<ContainerPtr>(&v)) {
        (*child)->sealed = true;
        c.depth = std::max(c.depth, (*child)->depth + 1);
      }
    }
    if (c.sealed || c.depth > kMaxDepth) error("containers nest too deeply or into themselves");
    std::move(items.begin(), items.end(), std::back_inserter(c.items));
  }
  ContainerPtr container(Container::Kind kind, std::vector<Value> items = {}) {
    auto c = std::make_shared<Container>(kind);
    insert(*c, std::move(items));
    c->sealed = kind == Container::Kind::kTuple;
    return c;
  }

  // --- typed access ---
  template <class T>
  const T& as(const Value& v, const char* what) {
    const auto* p = std::get_if<T>(&v);
    if (!p) error("{} has the wrong type", what);
    return *p;
  }
  const Container& tuple(const Value& v, const char* what) {
    const auto& c = *as<ContainerPtr>(v, what);
    if (c.kind != Container::Kind::kTuple) error("{} must be a tuple", what);
    return c;
  }
  std::vector<int64_t> int_tuple(const Value& v, const char* what) {
    const auto& t = tuple(v, what);
    if (t.items.size() > kMaxDims) error("{} has {} dimensions (at most {})", what, t.items.size(), kMaxDims);
    std::vector<int64_t> out;
    for (const auto& item : t.items) out.push_back(as<int64_t>(item, what));
    return out;
  }

  // --- globals, calls ---
  Value global(const std::string& module, const std::string& name) {
    const auto g = resolve_global(module, name);
    if (!g) error("forbidden global '{}.{}': a state dict needs only OrderedDict, tensors and storages", module, name);
    return *g;
  }
  Value persistent_load(const Value& pid);
  Value reduce(const Value& fn, const Value& args);
  Value rebuild_tensor(const Container& args);
  void build();

  std::string_view data_;
  const std::string& origin_;
  size_t pos_ = 0;
  size_t op_pos_ = 0;
  std::vector<Value> stack_;
  std::unordered_map<uint64_t, Value> memo_;
};

void Unpickler::step(uint8_t op) {
  using K = Container::Kind;
  switch (op) {
    case 0x80: {  // PROTO
      const auto proto = little_endian(1);
      if (proto > 5) error("pickle protocol {} is not supported", proto);
      break;
    }
    case 0x95: take(8); break;  // FRAME: frames are inline, their length is only a hint
    case 'c': {                 // GLOBAL
      const auto module = line();
      const auto name = line();
      push(global(module, name));
      break;
    }
    case 0x93: {  // STACK_GLOBAL
      const auto name = pop(), module = pop();
      push(global(*as<Str>(module, "STACK_GLOBAL module"), *as<Str>(name, "STACK_GLOBAL name")));
      break;
    }
    case 'Q': push(persistent_load(pop())); break;  // BINPERSID
    case 'R': {                                      // REDUCE
      const auto args = pop(), fn = pop();
      push(reduce(fn, args));
      break;
    }
    case 'b': build(); break;
    case '}': push(container(K::kDict)); break;
    case ']': push(container(K::kList)); break;
    case ')': push(container(K::kTuple)); break;
    case '(': push(Mark{}); break;
    case 't': push(container(K::kTuple, pop_to_mark())); break;
    case 0x85: case 0x86: case 0x87: push(container(K::kTuple, pop_n(op - 0x84))); break;  // TUPLE1-3
    case 's': insert(top(K::kDict), pop_n(2)); break;                                      // SETITEM
    case 'u': {                                                                              // SETITEMS
      auto items = pop_to_mark();
      if (items.size() % 2) error("SETITEMS with an odd number of values");
      insert(top(K::kDict), std::move(items));
      break;
    }
    case 'a': insert(top(K::kList), pop_n(1)); break;       // APPEND
    case 'e': insert(top(K::kList), pop_to_mark()); break;  // APPENDS
    case 'J': push(static_cast<int64_t>(static_cast<int32_t>(little_endian(4)))); break;  // BININT
    case 'K': push(static_cast<int64_t>(little_endian(1))); break;                        // BININT1
    case 'M': push(static_cast<int64_t>(little_endian(2))); break;                        // BININT2
    case 0x8a: push(long1()); break;
    case 'X': push(string(little_endian(4))); break;   // BINUNICODE
    case 0x8c: push(string(little_endian(1))); break;  // SHORT_BINUNICODE
    case 0x8d: push(string(little_endian(8))); break;  // BINUNICODE8
    case 0x88: push(true); break;
    case 0x89: push(false); break;
    case 'N': push(None{}); break;
    case 'G': push(binfloat()); break;
    case 'q': memo_put(little_endian(1)); break;  // BINPUT
    case 'r': memo_put(little_endian(4)); break;  // LONG_BINPUT
    case 0x94: memo_put(memo_.size()); break;     // MEMOIZE
    case 'h': push(memo_get(little_endian(1))); break;
    case 'j': push(memo_get(little_endian(4))); break;
    default: error("unsupported pickle opcode 0x{:02x}", op);
  }
}

// ('storage', torch.<T>Storage, key, location, numel) -> the storage record it names.
Value Unpickler::persistent_load(const Value& pid) {
  const auto& t = tuple(pid, "persistent id");
  if (t.items.size() != 5 || *as<Str>(t.items[0], "persistent id tag") != "storage")
    error("persistent id is not ('storage', type, key, location, numel)");
  const auto& type = as<Global>(t.items[1], "persistent id storage type");
  if (type.fn != Callable::kStorageType) error("persistent id names no storage type");
  const auto& key = as<Str>(t.items[2], "persistent id key");
  if (!valid_storage_key(*key)) error("storage key '{}' is not a record name", *key);
  const int64_t numel = as<int64_t>(t.items[4], "persistent id numel");
  if (numel < 0) error("storage '{}' has {} elements", *key, numel);
  return StorageRef{key, type.dtype, numel};
}

Value Unpickler::reduce(const Value& fn, const Value& args) {
  const auto& g = as<Global>(fn, "REDUCE callable");
  const auto& a = tuple(args, "REDUCE arguments");
  switch (g.fn) {
    case Callable::kOrderedDict:
      if (!a.items.empty()) error("OrderedDict() with arguments");
      return container(Container::Kind::kDict);
    case Callable::kRebuildTensor: return rebuild_tensor(a);
    case Callable::kRebuildParameter:
      if (a.items.size() != 3) error("_rebuild_parameter takes 3 arguments, got {}", a.items.size());
      return as<TensorPtr>(a.items[0], "_rebuild_parameter data");
    case Callable::kStorageType: break;
  }
  error("a storage type is called");
}

// _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]).
Value Unpickler::rebuild_tensor(const Container& a) {
  if (a.items.size() != 6 && a.items.size() != 7)
    error("_rebuild_tensor_v2 takes 6 or 7 arguments, got {}", a.items.size());
  const auto& storage = as<StorageRef>(a.items[0], "tensor storage");
  auto ref = std::make_shared<TensorRef>();
  ref->storage = *storage.key;
  ref->dtype = storage.dtype;
  ref->storage_numel = storage.numel;
  ref->offset = as<int64_t>(a.items[1], "tensor storage offset");
  ref->sizes = int_tuple(a.items[2], "tensor size");
  ref->strides = int_tuple(a.items[3], "tensor stride");
  if (ref->sizes.size() != ref->strides.size()) error("tensor size and stride differ in length");
  return TensorPtr(std::move(ref));
}

// BUILD sets attributes (a state dict's _metadata): only dicts take it, and it is dropped.
void Unpickler::build() {
  pop();
  top(Container::Kind::kDict);
}

// Tensor-valued entries of `dict`, by string key.
TensorRefs tensor_entries(const Container& dict) {
  TensorRefs out;
  for (size_t i = 0; i + 1 < dict.items.size(); i += 2) {
    const auto* key = std::get_if<Str>(&dict.items[i]);
    const auto* tensor = std::get_if<TensorPtr>(&dict.items[i + 1]);
    if (key && tensor) out.emplace_back(**key, **tensor);
  }
  return out;
}

const Container* dict_entry(const Container& dict, const std::string& name) {
  for (size_t i = 0; i + 1 < dict.items.size(); i += 2) {
    const auto* key = std::get_if<Str>(&dict.items[i]);
    const auto* value = std::get_if<ContainerPtr>(&dict.items[i + 1]);
    if (key && **key == name && value && (*value)->kind == Container::Kind::kDict) return value->get();
  }
  return nullptr;
}

}  // namespace

TensorRefs unpickle_state_dict(std::string_view pickle, const std::string& origin) {
  const Value root = Unpickler(pickle, origin).run();
  const auto* dict = std::get_if<ContainerPtr>(&root);
  MGEO_CHECK(dict && (*dict)->kind == Container::Kind::kDict, "{}: the pickled object is not a dict", origin);
  auto refs = tensor_entries(**dict);
  for (const char* nested : {"state_dict", "model"}) {
    if (!refs.empty()) break;
    if (const auto* inner = dict_entry(**dict, nested)) refs = tensor_entries(*inner);
  }
  MGEO_CHECK(!refs.empty(), "{}: no tensors at the top level or under 'state_dict' or 'model'", origin);
  return refs;
}

}  // namespace mgeo::model::detail
