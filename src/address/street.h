// The part of an address after its divisions: road, number, poi, building, unit, floor,
// room (internal to src/address).
//
// Contract: parse_street reads normalized text that follows the administrative prefix
// and sets the street-level fields of `a` that it finds; pure, never throws.
#pragma once

#include <string_view>

#include "mgeo/address/address.h"

namespace mgeo::address::detail {

void parse_street(std::u32string_view rest, Address& a);

// True when s[pos...] continues a name rather than starting a new part: an optional
// direction and ordinal and then a road suffix (南京|西路, 中山|五路, 长安|街), or a word
// that ends place names (中山|大学, 朝阳|门, 新城|花园). `after_parent`: the name before
// pos is a district whose city or province was written before it.
bool continues_name(std::u32string_view s, std::size_t pos, bool after_parent = false);

}  // namespace mgeo::address::detail
