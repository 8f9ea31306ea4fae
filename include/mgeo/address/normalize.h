// mgeo/address/normalize.h — one written form for the ways people type an address.
//
// Contract: normalize() rewrites only how a place is written, never which place it is:
//   - full-width ASCII (０-９, Ａ-Ｚ, （）, ＃, －) to ASCII, U+3000 to a space;
//   - whitespace removed, except one space kept between two ASCII letters or digits
//     (金地SOHO A座 stays readable); dashes (－ – —) between digits to '-';
//   - '#' to 号 (3#楼 -> 3号楼, 8# -> 8号);
//   - Chinese numerals directly before 号 栋 幢 座 单元 室 楼 层 弄 组 to ASCII digits, both
//     digit by digit (三五七号 -> 357号) and positional (一百零八号 -> 108号), with a 第
//     before them dropped (第三栋 -> 3栋); numerals inside names stay (中山二路, 二期);
//   - one form per kind of building: a numbered one as N栋 (3号楼, 3幢, 3座 -> 3栋), a
//     lettered one as X座 (A栋, A幢 -> A座); N楼 alone is a floor and stays;
//   - trailing noise removed: 附近 门口 旁边 对面 周边 一带 收, and trailing punctuation.
// Everything else is kept as written (case too). Idempotent: normalize(normalize(x)) ==
// normalize(x). Input must be valid UTF-8; other input is returned unchanged (parse()
// flags it). Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mgeo::address {

std::string normalize(std::string_view text);

// The value of a run of Chinese numerals, digit by digit (三五七 = 357, 一零八 = 108) or
// positional (一百零八 = 108, 十八 = 18, 两千 = 2000); -1 when the run is neither.
// Accepts 零〇一二两三四五六七八九十百千.
int64_t chinese_numeral_value(std::u32string_view run);

}  // namespace mgeo::address
