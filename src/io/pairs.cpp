#include "mgeo/io/pairs.h"

#include <cstring>
#include <unordered_set>

#include "mgeo/util/utf8.h"

namespace mgeo::io {
namespace {

bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

bool has_nul(std::string_view s) { return std::memchr(s.data(), '\0', s.size()) != nullptr; }

RowStatus check_fields(std::string_view id, std::string_view addr1, std::string_view addr2,
                       const ReadOptions& opts) {
  const auto too_long = [&](std::string_view s) { return s.size() > opts.max_field_bytes; };
  if (too_long(id) || too_long(addr1) || too_long(addr2)) return RowStatus::field_too_long;
  if (has_nul(id) || has_nul(addr1) || has_nul(addr2)) return RowStatus::nul_byte;
  if (!utf8::valid(id) || !utf8::valid(addr1) || !utf8::valid(addr2)) return RowStatus::invalid_utf8;
  if (is_blank(addr1) || is_blank(addr2)) return RowStatus::empty_address;
  return RowStatus::ok;
}

// The id a flagged row keeps: printable in any output, never megabytes long.
std::string usable_id(std::string_view id, const ReadOptions& opts) {
  return id.size() > opts.max_field_bytes ? std::string() : sanitize_utf8(id);
}

}  // namespace

const char* status_name(RowStatus status) {
  switch (status) {
    case RowStatus::ok: return "ok";
    case RowStatus::malformed_row: return "malformed_row";
    case RowStatus::invalid_utf8: return "invalid_utf8";
    case RowStatus::empty_address: return "empty_address";
    case RowStatus::nul_byte: return "nul_byte";
    case RowStatus::field_too_long: return "field_too_long";
    case RowStatus::duplicate_id: return "duplicate_id";
    case RowStatus::non_finite: return "non_finite";
    case RowStatus::id_escaped: return "id_escaped";
    case RowStatus::null_value: return "null_value";
  }
  return "unknown";
}

PairRow make_row(std::string_view id, std::string_view addr1, std::string_view addr2, int64_t line,
                 const ReadOptions& opts) {
  PairRow row;
  row.line = line;
  row.status = check_fields(id, addr1, addr2, opts);
  if (row.status != RowStatus::ok) {
    row.id = usable_id(id, opts);
    return row;
  }
  row.id.assign(id);
  row.addr1.assign(addr1);
  row.addr2.assign(addr2);
  return row;
}

PairRow malformed_row(std::string_view id, int64_t line, const ReadOptions& opts) {
  PairRow row;
  row.id = usable_id(id, opts);
  row.status = RowStatus::malformed_row;
  row.line = line;
  return row;
}

bool is_blank(std::string_view s) {
  char32_t c;
  for (std::size_t i = 0; i < s.size();) {
    const auto len = utf8::decode(s, i, &c);
    if (len == 0 || !is_space(c)) return false;
    i += len;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  constexpr char32_t kReplacement = 0xFFFD;
  std::string out;
  out.reserve(s.size());
  char32_t c;
  for (std::size_t i = 0; i < s.size();) {
    const auto len = utf8::decode(s, i, &c);
    if (len == 0 || c == 0) {
      utf8::append(out, kReplacement);
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::vector<bool> find_duplicates(const std::vector<std::string>& ids) {
  std::vector<bool> dup(ids.size());
  std::unordered_set<std::string_view> seen;
  seen.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) dup[i] = !seen.insert(ids[i]).second;
  return dup;
}

}  // namespace mgeo::io
