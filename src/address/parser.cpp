// Parser: the administrative chain (longest run of names that fit one another), then the
// street-level parts.
#include "mgeo/address/parser.h"

#include <algorithm>
#include <array>

#include "chars.h"
#include "gazetteer.h"
#include "mgeo/address/normalize.h"
#include "mgeo/synth/divisions.h"
#include "mgeo/util/utf8.h"
#include "street.h"

namespace mgeo::address {

using detail::Gazetteer;
using detail::Level;
using detail::NameEntry;
using detail::Place;

namespace {

constexpr std::size_t kMaxCandidates = 16;

// One reading of the administrative prefix: a place per level (-1: none) and which
// levels were written (the others are implied by a finer one).
struct Reading {
  std::array<int32_t, detail::kLevels> at{-1, -1, -1, -1};
  uint8_t written = 0;
  uint8_t written_short = 0;  // the levels written as a short form
  bool same_places(const Reading& o) const { return at == o.at; }
};

struct Best {
  std::size_t end = 0;
  std::vector<Reading> readings;
};

// The reading `r` extended by `e`, or false when they do not fit one place.
bool extend(const Gazetteer& g, const Reading& r, const NameEntry& e, Reading& out) {
  const Place& p = g.places(e.level)[static_cast<std::size_t>(e.index)];
  std::array<int32_t, detail::kLevels> implied{p.province, p.city, p.district, -1};
  implied[e.level] = e.index;
  for (int l = 0; l < detail::kLevels; ++l) {
    if (r.at[l] >= 0 && r.at[l] != implied[l]) return false;
  }
  out = r;
  for (int l = 0; l < detail::kLevels; ++l) {
    if (implied[l] >= 0) out.at[l] = implied[l];
  }
  out.written = static_cast<uint8_t>(r.written | (1u << e.level));
  if (e.short_form) out.written_short = static_cast<uint8_t>(r.written_short | (1u << e.level));
  return true;
}

}  // namespace

struct Parser::Impl {
  Gazetteer g;

  explicit Impl(const synth::Divisions& d) : g(d) {}

  // A short form at s[pos..end) stands for a division unless the text goes on as a name.
  bool short_form_ok(std::u32string_view s, std::size_t end, bool after_parent) const {
    if (end >= s.size()) return true;
    if (g.any_match(s, end)) return true;
    return !detail::continues_name(s, end, after_parent);
  }

  // True when the same text also names a coarser place that contains e's place: 濮阳 is
  // 濮阳市 rather than its 濮阳县, 吉林 is 吉林省 rather than its 吉林市.
  // A parent already written earlier does not count (承德承德: 承德市, then its 承德县).
  bool named_parent(const Reading& r, const NameEntry& e, const NameEntry* first, const NameEntry* last) const {
    const Place& p = g.places(e.level)[static_cast<std::size_t>(e.index)];
    const int32_t parents[detail::kLevels] = {p.province, p.city, p.district, -1};
    for (const NameEntry* o = first; o != last; ++o) {
      if (o->level < e.level && o->index == parents[o->level] && r.at[o->level] < 0) return true;
    }
    return false;
  }

  void chain(std::u32string_view s, std::size_t pos, int level_min, const Reading& r, Best& best,
             std::size_t& budget) const {
    if (budget == 0) return;
    --budget;
    g.matches(s, pos, [&](std::size_t end, const NameEntry* first, const NameEntry* last) {
      for (const NameEntry* e = first; e != last; ++e) {
        if (e->level < level_min) continue;
        Reading next;
        if (!extend(g, r, *e, next)) continue;
        const bool after_parent = e->level == Level::kDistrict && r.written != 0;
        if (e->short_form && (named_parent(r, *e, first, last) || !short_form_ok(s, end, after_parent))) continue;
        chain(s, end, e->level + 1, next, best, budget);
      }
    });
    if (pos > best.end) {
      best.end = pos;
      best.readings.clear();
    }
    if (pos == best.end) {
      for (const Reading& b : best.readings) {
        if (b.same_places(r)) return;
      }
      best.readings.push_back(r);
    }
  }

  // A provincial capital (city code NN01) written by name outweighs districts that share
  // its short name elsewhere: 西安 is 西安市, not 辽源's or 牡丹江's 西安区.
  static void prefer_capital(const Gazetteer& g, std::vector<Reading>& rs) {
    auto capital = [&](const Reading& r) {
      return (r.written & (1u << Level::kCity)) &&
             g.places(Level::kCity)[static_cast<std::size_t>(r.at[Level::kCity])].code % 100 == 1;
    };
    auto district_short_only = [](const Reading& r) {
      return (r.written_short & (1u << Level::kDistrict)) && !(r.written & ((1u << Level::kCity) | 1u));
    };
    if (std::none_of(rs.begin(), rs.end(), capital)) return;
    rs.erase(std::remove_if(rs.begin(), rs.end(), district_short_only), rs.end());
  }

  void fill(const Best& best, std::size_t start, Address& a) const {
    if (best.end == start || best.readings.empty()) return;
    std::vector<Reading> rs = best.readings;
    if (rs.size() > 1) prefer_capital(g, rs);
    for (Reading& r : rs) {  // a municipality's city is the province itself
      if (r.at[Level::kProvince] >= 0 && r.at[Level::kCity] < 0 && g.municipality(r.at[Level::kProvince])) {
        r.at[Level::kCity] = g.municipal_city(r.at[Level::kProvince]);
      }
      if (r.at[Level::kCity] >= 0 && r.at[Level::kDistrict] < 0 && g.only_district(r.at[Level::kCity]) >= 0) {
        r.at[Level::kDistrict] = g.only_district(r.at[Level::kCity]);  // 东莞市 is its own district
      }
    }
    std::sort(rs.begin(), rs.end(), [](const Reading& x, const Reading& y) { return x.at < y.at; });
    rs.erase(std::unique(rs.begin(), rs.end(), [](const Reading& x, const Reading& y) { return x.same_places(y); }),
             rs.end());
    a.resolution = rs.size() == 1 ? Resolution::resolved : Resolution::ambiguous;
    std::string* names[detail::kLevels] = {&a.province, &a.city, &a.district, &a.town};
    uint64_t* codes[detail::kLevels] = {&a.province_code, &a.city_code, &a.district_code, &a.town_code};
    for (int l = 0; l < detail::kLevels; ++l) {
      const auto level = static_cast<Level>(l);
      const int32_t first = rs.front().at[l];
      bool same_place = true, same_name = first >= 0;
      for (const Reading& r : rs) {
        same_place = same_place && r.at[l] == first;
        same_name = same_name && r.at[l] >= 0 &&
                    g.places(level)[static_cast<std::size_t>(r.at[l])].name ==
                        g.places(level)[static_cast<std::size_t>(first)].name;
      }
      if (first >= 0 && (same_place || same_name)) *names[l] = g.places(level)[static_cast<std::size_t>(first)].name;
      if (first >= 0 && same_place) {
        *codes[l] = g.places(level)[static_cast<std::size_t>(first)].code;
        a.code = *codes[l];
      }
    }
    if (a.resolution == Resolution::ambiguous) {
      for (const Reading& r : rs) {
        const int32_t d = r.at[Level::kDistrict];
        if (d < 0 || a.district_candidates.size() >= kMaxCandidates) continue;
        const uint64_t code = g.places(Level::kDistrict)[static_cast<std::size_t>(d)].code;
        if (std::find(a.district_candidates.begin(), a.district_candidates.end(), code) ==
            a.district_candidates.end()) {
          a.district_candidates.push_back(code);
        }
      }
    } else {
      const Reading& r = rs.front();
      const uint8_t w = best.readings.front().written;
      if (r.at[Level::kProvince] >= 0 && !(w & 1u)) a.inferred |= kProvinceInferred;
      const bool municipal = r.at[Level::kProvince] >= 0 && g.municipality(r.at[Level::kProvince]);
      if (r.at[Level::kCity] >= 0 && !(w & 2u) && !(municipal && (w & 1u))) a.inferred |= kCityInferred;
      if (r.at[Level::kDistrict] >= 0 && !(w & 4u)) a.inferred |= kDistrictInferred;
    }
  }

  Address parse(std::string_view text) const {
    Address a;
    if (text.find('\0') != std::string_view::npos) {
      a.status = Status::nul_byte;
      return a;
    }
    std::u32string raw;
    if (!detail::decode(text, raw)) {
      a.status = Status::invalid_utf8;
      return a;
    }
    const std::u32string s = detail::normalize_code_points(raw);
    std::size_t start = 0;
    while (start < s.size() && (detail::is_separator(s[start]) || s[start] == U' ')) ++start;
    if (start == s.size()) {
      a.status = Status::empty_address;
      return a;
    }
    // A label before the address: 地址：, 收货地址:
    for (std::size_t i = start; i < s.size() && i < start + 8; ++i) {
      if (s[i] != U':' && s[i] != U'：') continue;
      if (std::u32string_view(s).substr(start, i - start).find(U"地址") != std::u32string_view::npos) start = i + 1;
      break;
    }
    for (std::u32string_view country : {std::u32string_view(U"中华人民共和国"), std::u32string_view(U"中国")}) {
      if (detail::starts_with(s, start, country) && s.size() > start + country.size()) start += country.size();
    }
    Best best;
    best.end = start;
    std::size_t budget = 256;  // readings explored; a real address needs a handful
    chain(s, start, 0, Reading{}, best, budget);
    fill(best, start, a);
    detail::parse_street(std::u32string_view(s).substr(best.end), a);
    return a;
  }
};

Parser::Parser(const synth::Divisions& divisions) : impl_(std::make_unique<Impl>(divisions)) {}
Parser::~Parser() = default;
Parser::Parser(Parser&&) noexcept = default;
Parser& Parser::operator=(Parser&&) noexcept = default;

Parser Parser::from_directory(const std::string& dir) {
  synth::DivisionsOptions options;
  options.communities = false;
  return Parser(synth::Divisions::load(dir.empty() ? synth::default_divisions_dir() : dir, options));
}

Address Parser::parse(std::string_view text) const { return impl_->parse(text); }
std::size_t Parser::names() const { return impl_->g.names(); }
std::size_t Parser::nodes() const { return impl_->g.nodes(); }

}  // namespace mgeo::address
