// Code-point helpers shared by normalize and the parser (internal to src/address).
#pragma once

#include <string>
#include <string_view>

#include "mgeo/util/utf8.h"

namespace mgeo::address::detail {

// `text` as code points; the caller has checked it is valid UTF-8.
inline std::u32string decode(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8::decode(text, i, &cp);
    if (len == 0) break;  // not reached for valid input
    out.push_back(cp);
    i += len;
  }
  return out;
}

inline std::string encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) utf8::append(out, c);
  return out;
}

inline void append_upper(std::string& out, std::u32string_view s) {
  for (char32_t c : s) utf8::append(out, (c >= U'a' && c <= U'z') ? c - 32 : c);
}

constexpr bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
constexpr bool is_letter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
constexpr bool is_alnum(char32_t c) { return is_digit(c) || is_letter(c); }

constexpr bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\v' || c == U'\f' ||
         c == 0xA0 || c == 0x3000 || c == 0x200B || c == 0xFEFF;
}

// 零〇一二两三四五六七八九十百千
constexpr bool is_cn_numeral(char32_t c) {
  switch (c) {
    case U'零': case U'〇': case U'一': case U'二': case U'两': case U'三': case U'四':
    case U'五': case U'六': case U'七': case U'八': case U'九': case U'十': case U'百': case U'千':
      return true;
    default:
      return false;
  }
}

constexpr bool is_direction(char32_t c) {
  return c == U'东' || c == U'西' || c == U'南' || c == U'北' || c == U'中';
}

// Punctuation that separates parts or trails an address.
constexpr bool is_separator(char32_t c) {
  switch (c) {
    case U',': case U'.': case U';': case U':': case U'!': case U'?': case U'/': case U'\\':
    case U'|': case U'_': case U'~': case U'*': case U'\'': case U'"': case U'`':
    case U'，': case U'。': case U'；': case U'：': case U'、': case U'！': case U'？': case U'…':
    case U'“': case U'”': case U'‘': case U'’': case U'·':
      return true;
    default:
      return false;
  }
}

inline bool starts_with(std::u32string_view s, std::size_t pos, std::u32string_view prefix) {
  return s.size() >= pos + prefix.size() && s.compare(pos, prefix.size(), prefix) == 0;
}

inline bool ends_with(std::u32string_view s, std::u32string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace mgeo::address::detail
