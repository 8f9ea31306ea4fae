// mgeo/link/keys.h — the blocking keys and character n-grams of one address.
//
// Contract: pure functions, thread-safe. A key is a 64-bit hash of a pass tag and the
// parts it is made of; 0 means "no key" and is returned whenever a part is empty or a
// division code is 0, so an address that does not say its road, number, poi or district
// is never put into (or looked up in) a block. N-grams are whole code points packed into
// one 64-bit value (21 bits each), so two n-grams are equal exactly when their characters
// are; ASCII letters are lower-cased first.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "mgeo/address/address.h"

namespace mgeo::link {

// The passes of BlockIndex::candidates, as bits of Candidate::found_by.
enum Pass : uint8_t {
  kDistrictRoadNumber = 1,  // district code + road + number
  kCityRoadNumber = 2,      // city code + road + number (the district dropped or unread)
  kDistrictPoi = 4,         // district code + poi
  kLexical = 8,             // character n-gram top-k
};
inline constexpr int kPassCount = 4;
const char* pass_name(int bit_index);  // 0 -> "district_road_number", ..., 3 -> "lexical"

// 64-bit FNV-1a of the bytes, finished by mix64.
uint64_t hash_text(std::string_view s);

uint64_t road_number_key(Pass pass, uint64_t division_code, std::string_view road, std::string_view number);
uint64_t poi_key(uint64_t district_code, std::string_view poi);

// The key of `pass` for a parsed address (0 when it has none); for kDistrictRoadNumber
// and kDistrictPoi with an ambiguous district, use road_number_key/poi_key per candidate.
uint64_t address_key(Pass pass, const address::Address& a);

// The distinct n-grams (n = 2 or 3) of `normalized` text, sorted; a text shorter than n
// code points gives its whole self as one gram. Invalid UTF-8 gives none.
std::vector<uint64_t> ngrams(std::string_view normalized, int n);

}  // namespace mgeo::link
