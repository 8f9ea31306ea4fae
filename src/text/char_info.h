// src/text/char_info.h — Unicode properties of a code point as HF tokenizers' BERT
// normalizer and pre-tokenizer see them.
//
// HF tokenizers 0.23 takes general categories from Unicode 8.0 tables (is_control,
// is_punctuation, Mn), NFD from Unicode 9.0 tables, White_Space and lowercase from Rust's
// std. ICU answers for its own (newer) Unicode version, so code points added after 8.0 /
// 9.0 count as unassigned / undecomposable here, and the few whose category changed
// since 8.0 are pinned. The BMP is answered from a table built once; other planes ask ICU.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mgeo::text::detail {

enum CharFlag : uint8_t {
  kRemoved = 1 << 0,       // dropped by clean_text: U+0000, U+FFFD, Cc/Cf/Co except \t \n \r
  kSpace = 1 << 1,         // White_Space: becomes ' ' under clean_text; splits words
  kPunct = 1 << 2,         // ASCII punctuation or P*: a word of its own
  kMark = 1 << 3,          // Mn: dropped by strip_accents
  kChinese = 1 << 4,       // CJK ideograph: padded with spaces by handle_chinese_chars
  kNfdInert = 1 << 5,      // NFD keeps it and reorders nothing across it
  kComplexLower = 1 << 6,  // lowercase is not one BMP code point: use full_lower()
};

struct CharInfo {
  uint8_t flags = 0;
  char32_t lower = 0;  // the lowercase code point unless kComplexLower
};

struct BmpTable {
  uint8_t flags[0x10000];
  uint16_t lower[0x10000];

  CharInfo operator[](char32_t c) const { return {flags[c], lower[c]}; }
};

const BmpTable& bmp_table();  // built on first use
CharInfo classify(char32_t c);  // straight from ICU, any plane

inline CharInfo char_info(const BmpTable& bmp, char32_t c) {
  return c < 0x10000 ? bmp[c] : classify(c);
}

// Full lowercase mapping of c (Rust char::to_lowercase) into out; returns the count (<= 3).
std::size_t full_lower(char32_t c, char32_t out[3]);

// Canonical decomposition (NFD) of UTF-16 text that holds no kNfdInert code point;
// *out is overwritten.
void nfd(const std::u16string& in, std::u16string* out);

}  // namespace mgeo::text::detail
