#include <ATen/ops/empty.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "checked.h"
#include "mgeo/model/checkpoint.h"
#include "mgeo/util/error.h"
#include "mgeo/util/json_brief.h"
#include "mgeo/util/regular_file.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors data is little-endian");

namespace mgeo::model {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxHeaderBytes = uint64_t{100} << 20;

// One header entry, checked against the data section.
struct Entry {
  c10::ScalarType dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;  // byte offsets into the data section
};

class Header {
 public:
  Header(const std::string& path, uint64_t data_size) : path_(path), data_size_(data_size) {}

  Entry entry(const std::string& key, const json& e) const {
    MGEO_CHECK(e.is_object(), "{}: tensor '{}': header entry is not an object", path_, key);
    Entry out;
    out.dtype = dtype(key, e);
    for (const auto& d : array(key, e, "shape")) out.shape.push_back(unsigned_int(key, d, "shape"));
    const auto& offsets = array(key, e, "data_offsets");
    MGEO_CHECK(offsets.size() == 2, "{}: tensor '{}': data_offsets must be [begin, end]", path_, key);
    out.begin = unsigned_int(key, offsets[0], "data_offsets");
    out.end = unsigned_int(key, offsets[1], "data_offsets");
    MGEO_CHECK(out.begin <= out.end && out.end <= data_size_,
               "{}: tensor '{}': data_offsets [{}, {}] lie outside the {}-byte data section", path_, key, out.begin,
               out.end, data_size_);
    const auto numel = detail::checked_numel(out.shape);
    const auto elem = static_cast<uint64_t>(c10::elementSize(out.dtype));
    MGEO_CHECK(numel && static_cast<uint64_t>(*numel) == (out.end - out.begin) / elem &&
                   (out.end - out.begin) % elem == 0,
               "{}: tensor '{}': shape {} of {} needs a different byte count than data_offsets [{}, {}]", path_, key,
               out.shape, c10::toString(out.dtype), out.begin, out.end);
    return out;
  }

 private:
  c10::ScalarType dtype(const std::string& key, const json& e) const {
    static const std::pair<const char*, c10::ScalarType> kTypes[] = {
        {"F64", c10::kDouble}, {"F32", c10::kFloat}, {"F16", c10::kHalf}, {"BF16", c10::kBFloat16},
        {"I64", c10::kLong},   {"I32", c10::kInt},   {"I16", c10::kShort}, {"I8", c10::kChar},
        {"U8", c10::kByte},    {"BOOL", c10::kBool}};
    const auto it = e.find("dtype");
    MGEO_CHECK(it != e.end() && it->is_string(), "{}: tensor '{}': missing dtype", path_, key);
    for (const auto& [name, type] : kTypes)
      if (*it == name) return type;
    fail("{}: tensor '{}': dtype {} is not supported", path_, key, json_brief(*it));
  }

  const json& array(const std::string& key, const json& e, const char* field) const {
    const auto it = e.find(field);
    MGEO_CHECK(it != e.end() && it->is_array(), "{}: tensor '{}': missing array '{}'", path_, key, field);
    return *it;
  }

  uint64_t unsigned_int(const std::string& key, const json& v, const char* field) const {
    MGEO_CHECK(v.is_number_unsigned() && v.get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()),
               "{}: tensor '{}': '{}' holds {}, not a size", path_, key, field, json_brief(v));
    return v.get<uint64_t>();
  }

  const std::string& path_;
  uint64_t data_size_;
};

uint64_t read_u64(std::ifstream& in) {
  unsigned char b[8] = {};
  in.read(reinterpret_cast<char*>(b), sizeof b);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

// The first key an object of the header repeats, with the key of that object ("" at the
// top level). nlohmann::json keeps the last of repeated keys without a word; a repeated
// tensor key would make the file mean two things.
struct RepeatedKey {
  std::string key, parent;
};

json parse_header(const std::string& text, std::optional<RepeatedKey>& repeated) {
  std::vector<std::pair<std::string, std::set<std::string>>> open;  // objects being parsed
  std::string last_key;
  const json::parser_callback_t note_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      open.emplace_back(last_key, std::set<std::string>{});
    } else if (event == json::parse_event_t::object_end) {
      if (!open.empty()) open.pop_back();
    } else if (event == json::parse_event_t::key) {
      last_key = parsed.get<std::string>();
      if (!open.empty() && !open.back().second.insert(last_key).second && !repeated)
        repeated = RepeatedKey{last_key, open.back().first};
    }
    return true;
  };
  return json::parse(text, note_keys);
}

json read_header(std::ifstream& in, uint64_t length, const std::string& path) {
  std::string text(length, '\0');
  in.read(text.data(), static_cast<std::streamsize>(length));
  MGEO_CHECK(in, "{}: cannot read the {}-byte header", path, length);
  std::optional<RepeatedKey> repeated;
  json j;
  try {
    j = parse_header(text, repeated);
  } catch (const json::exception& e) {
    fail("{}: the safetensors header is not valid JSON: {}", path, e.what());
  }
  MGEO_CHECK(j.is_object(), "{}: the safetensors header is not a JSON object", path);
  if (repeated && repeated->parent.empty())
    fail("{}: the safetensors header repeats tensor key '{}'", path, repeated->key);
  if (repeated) fail("{}: the safetensors header repeats key '{}' inside '{}'", path, repeated->key, repeated->parent);
  return j;
}

// As safetensors' own validation: taken in data_offsets order, the tensors tile the data
// section, the first starting at byte 0, each where the one before ends, the last at its
// end. So no two tensors overlap or share bytes and no byte belongs to none.
void check_tiling(const std::vector<std::pair<std::string, Entry>>& entries, uint64_t data_size,
                  const std::string& path) {
  std::vector<const std::pair<std::string, Entry>*> order;
  for (const auto& e : entries) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return std::pair(a->second.begin, a->second.end) < std::pair(b->second.begin, b->second.end);
  });
  uint64_t covered = 0;
  const std::pair<std::string, Entry>* prev = nullptr;
  for (const auto* cur : order) {
    const auto& [key, e] = *cur;
    if (e.begin < covered) {
      const auto& p = prev->second;
      fail("{}: tensor '{}': data_offsets [{}, {}] {} tensor '{}' [{}, {}] (tensors must not share bytes)", path, key,
           e.begin, e.end, e.begin == p.begin && e.end == p.end ? "repeat those of" : "overlap", prev->first,
           p.begin, p.end);
    }
    MGEO_CHECK(e.begin == covered,
               "{}: tensor '{}': data_offsets [{}, {}] leave bytes [{}, {}) of the data section to no tensor "
               "(tensors must follow one another from byte 0)",
               path, key, e.begin, e.end, covered, e.begin);
    covered = e.end;
    prev = cur;
  }
  if (covered == data_size) return;
  const auto last = prev ? fmt::format(" (the last, '{}', ends at {})", prev->first, covered) : std::string();
  fail("{}: bytes [{}, {}) of the {}-byte data section belong to no tensor{}", path, covered, data_size, data_size,
       last);
}

}  // namespace

TensorMap read_safetensors(const std::string& path) {
  require_regular_file(path, "checkpoint");
  std::ifstream in(path, std::ios::binary);
  MGEO_CHECK(in, "cannot open checkpoint {}", path);
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  MGEO_CHECK(!ec && size >= 8, "{}: too short for a safetensors file", path);
  const uint64_t header_len = read_u64(in);
  MGEO_CHECK(header_len <= kMaxHeaderBytes && header_len <= size - 8,
             "{}: header length {} is impossible for a {}-byte file (limit {} bytes)", path, header_len, size,
             kMaxHeaderBytes);
  const json header = read_header(in, header_len, path);
  const uint64_t data_begin = 8 + header_len;
  const Header checker(path, size - data_begin);
  std::vector<std::pair<std::string, Entry>> entries;
  for (const auto& [key, value] : header.items())
    if (key != "__metadata__") entries.emplace_back(key, checker.entry(key, value));
  check_tiling(entries, size - data_begin, path);
  TensorMap out;
  for (const auto& [key, e] : entries) {
    auto t = at::empty(e.shape, at::TensorOptions().dtype(e.dtype));
    in.seekg(static_cast<std::streamoff>(data_begin + e.begin));
    in.read(static_cast<char*>(t.data_ptr()), static_cast<std::streamsize>(e.end - e.begin));
    MGEO_CHECK(in, "{}: tensor '{}': read failed", path, key);
    out.emplace(key, std::move(t));
  }
  return out;
}

}  // namespace mgeo::model
