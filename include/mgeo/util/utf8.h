// mgeo/util/utf8.h — strict UTF-8 decoding and encoding.
//
// Contract: pure functions, no allocation beyond the output string. Decoding rejects
// overlong forms, surrogates, code points above U+10FFFF and truncated sequences.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mgeo::utf8 {

// Decodes one code point at s[pos]. Returns its byte length (1..4) and sets *cp,
// or returns 0 if the bytes there are not valid UTF-8.
std::size_t decode(std::string_view s, std::size_t pos, char32_t* cp);

// Byte offset of the first invalid sequence, or npos if `s` is valid UTF-8.
std::size_t find_invalid(std::string_view s);

inline bool valid(std::string_view s) { return find_invalid(s) == std::string_view::npos; }

// Appends the UTF-8 encoding of `cp` (must be a valid scalar value).
void append(std::string& out, char32_t cp);

}  // namespace mgeo::utf8
