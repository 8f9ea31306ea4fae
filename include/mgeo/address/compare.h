// mgeo/address/compare.h — two parsed addresses compared part by part.
//
// Contract: compare(a, b) gives, for every Field, one of
//   equal     both have it and it is the same (province/city/district/town as division
//             codes, so 杭州 and 杭州市 are equal; an ambiguous district is equal to any
//             district among its candidates);
//   conflict  both have it and it differs (388 vs 383, 中山二路 vs 中山三路, 天河区 vs 越秀区);
//   missing   exactly one side has it (a dropped district);
//   none      neither side has it.
// Text fields compare exactly (they are already normalized by parse()). Pure, thread-safe.
#pragma once

#include <array>
#include <string>

#include "mgeo/address/address.h"

namespace mgeo::address {

enum class Match : uint8_t { equal, conflict, missing, none };
const char* match_name(Match m);  // "equal", "conflict", "missing", "none"

struct Comparison {
  std::array<Match, kFieldCount> fields{};
  Match operator[](Field f) const { return fields[static_cast<std::size_t>(f)]; }
  int count(Match m) const;  // how many fields are `m`
};

Comparison compare(const Address& a, const Address& b);

}  // namespace mgeo::address
