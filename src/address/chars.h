// Code-point helpers shared by normalize and the parser (internal to src/address).
#pragma once

#include <string>
#include <string_view>

#include "mgeo/util/utf8.h"

namespace mgeo::address::detail {

// `text` as code points into `out`; false (out unspecified) when it is not valid UTF-8
// (the rules of mgeo/util/utf8.h: no overlong forms, surrogates or truncated sequences).
inline bool decode(std::string_view text, std::u32string& out) {
  out.clear();
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char b0 = p[i];
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    if ((b0 & 0xF0) == 0xE0 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      const char32_t c = (char32_t(b0 & 0x0F) << 12) | (char32_t(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
      if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return false;
      out.push_back(c);
      i += 3;
      continue;
    }
    char32_t c = 0;
    const std::size_t len = utf8::decode(text, i, &c);  // 2- and 4-byte forms, and errors
    if (len == 0) return false;
    out.push_back(c);
    i += len;
  }
  return true;
}

// `text` as code points; the caller has checked it is valid UTF-8.
inline std::u32string decode(std::string_view text) {
  std::u32string out;
  decode(text, out);
  return out;
}

// normalize() over code points (normalize.cpp), for callers that already decoded.
std::u32string normalize_code_points(std::u32string_view s);

inline std::string encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x800 && c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      utf8::append(out, c);
    }
  }
  return out;
}

inline void append_upper(std::string& out, std::u32string_view s) {
  std::u32string up(s);
  for (char32_t& c : up) c = (c >= U'a' && c <= U'z') ? c - 32 : c;
  out += encode(up);
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
