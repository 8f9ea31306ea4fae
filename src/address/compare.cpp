// compare(): division fields by code (an ambiguous district by its candidates), the
// others as normalized text.
#include "mgeo/address/compare.h"

#include <algorithm>

namespace mgeo::address {
namespace {

bool has(const std::vector<uint64_t>& codes, uint64_t code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

Match by_presence(bool a, bool b) {
  if (a && b) return Match::equal;  // refined by the caller
  return a || b ? Match::missing : Match::none;
}

Match division(const std::string& na, uint64_t ca, const std::string& nb, uint64_t cb) {
  const Match m = by_presence(!na.empty(), !nb.empty());
  if (m != Match::equal) return m;
  if (ca != 0 && cb != 0) return ca == cb ? Match::equal : Match::conflict;
  return na == nb ? Match::equal : Match::conflict;  // a name whose place is not pinned down
}

Match district(const Address& a, const Address& b) {
  const bool ha = !a.district.empty() || !a.district_candidates.empty();
  const bool hb = !b.district.empty() || !b.district_candidates.empty();
  const Match m = by_presence(ha, hb);
  if (m != Match::equal) return m;
  if (a.district_code != 0 && b.district_code != 0) {
    return a.district_code == b.district_code ? Match::equal : Match::conflict;
  }
  if (a.district_code != 0) return has(b.district_candidates, a.district_code) ? Match::equal : Match::conflict;
  if (b.district_code != 0) return has(a.district_candidates, b.district_code) ? Match::equal : Match::conflict;
  for (uint64_t c : a.district_candidates) {
    if (has(b.district_candidates, c)) return Match::equal;
  }
  return !a.district.empty() && a.district == b.district ? Match::equal : Match::conflict;
}

Match text(const std::string& a, const std::string& b) {
  const Match m = by_presence(!a.empty(), !b.empty());
  if (m != Match::equal) return m;
  return a == b ? Match::equal : Match::conflict;
}

}  // namespace

const char* match_name(Match m) {
  switch (m) {
    case Match::equal: return "equal";
    case Match::conflict: return "conflict";
    case Match::missing: return "missing";
    case Match::none: return "none";
  }
  return "?";
}

int Comparison::count(Match m) const { return static_cast<int>(std::count(fields.begin(), fields.end(), m)); }

Comparison compare(const Address& a, const Address& b) {
  Comparison c;
  for (Field f : kFields) {
    Match m;
    switch (f) {
      case Field::province: m = division(a.province, a.province_code, b.province, b.province_code); break;
      case Field::city: m = division(a.city, a.city_code, b.city, b.city_code); break;
      case Field::district: m = district(a, b); break;
      case Field::town: m = division(a.town, a.town_code, b.town, b.town_code); break;
      default: m = text(a.get(f), b.get(f)); break;
    }
    c.fields[static_cast<std::size_t>(f)] = m;
  }
  return c;
}

}  // namespace mgeo::address
