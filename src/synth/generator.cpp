#include "mgeo/synth/generator.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "draw.h"
#include "mgeo/util/error.h"

namespace mgeo::synth {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <std::size_t N>
std::size_t weighted(Rng& rng, const std::array<double, N>& w) {
  double total = 0;
  for (double x : w) total += x;
  double u = rng.unit() * total;
  for (std::size_t i = 0; i + 1 < N; ++i) {
    if (u < w[i]) return i;
    u -= w[i];
  }
  return N - 1;
}

constexpr std::array<double, 5> kSuffixWeights = {0.62, 0.14, 0.1, 0.06, 0.08};  // 路 街 大道 巷 道

}  // namespace

const char* label_name(Label label) {
  switch (label) {
    case Label::exact_match: return "exact_match";
    case Label::partial_match: return "partial_match";
    case Label::not_match: return "not_match";
  }
  return "?";
}

const char* kind_name(Kind kind) {
  static constexpr std::array<const char*, 11> kNames = {
      "exact",        "partial_coarser", "partial_room", "partial_sibling", "not_district", "not_number",
      "not_direction", "not_building",   "not_city",     "not_road",        "not_random"};
  return kNames[static_cast<std::size_t>(kind)];
}

Label label_of(Kind kind) {
  if (kind == Kind::exact) return Label::exact_match;
  return kind <= Kind::partial_sibling ? Label::partial_match : Label::not_match;
}

std::string pair_id(uint64_t index) { return fmt::format("p{:08d}", index); }

Generator::Generator(const Divisions& d, uint64_t seed, GeneratorOptions options)
    : d_(d), seed_(seed), options_(options) {
  MGEO_CHECK(options.exact >= 0 && options.partial >= 0 && options.exact + options.partial <= 1.0 + 1e-9,
             "bad label fractions: exact {} partial {} (each >= 0, sum <= 1)", options.exact, options.partial);
  city_areas_.resize(d.cities().size());
  streets_.resize(d.areas().size());
  for (std::size_t i = 0; i < d.areas().size(); ++i) {
    const Area& area = d.areas()[i];
    if (area.name.find("岛礁") == std::string::npos && area.name.find("海域") == std::string::npos) {
      areas_.push_back(static_cast<int32_t>(i));
      city_areas_[static_cast<std::size_t>(area.city)].push_back(static_cast<int32_t>(i));
    }
    for (int32_t s : d.areas()[i].streets) {
      const std::string& name = d.streets()[static_cast<std::size_t>(s)].name;
      if (ends_with(name, "街道") || ends_with(name, "镇") || ends_with(name, "乡")) streets_[i].push_back(s);
    }
  }
  MGEO_CHECK(!areas_.empty(), "no areas in the divisions");
}

Pair Generator::make(uint64_t index) const { return Draw(*this, index).make(index); }

Pair Generator::Draw::make(uint64_t index) {
  Pair p;
  p.index = index;
  p.kind = pick_kind();
  switch (label_of(p.kind)) {
    case Label::exact_match: exact(p); break;
    case Label::partial_match: partial(p); break;
    case Label::not_match: negative(p); break;
  }
  p.label = label_of(p.kind);
  if (rng_.chance(0.5)) {  // neither side is always the finer or the first-drawn one
    std::swap(p.a, p.b);
    std::swap(p.addr1, p.addr2);
  }
  return p;
}

Kind Generator::Draw::pick_kind() {
  const double u = rng_.unit();
  if (u < g_.options_.exact) return Kind::exact;
  if (u < g_.options_.exact + g_.options_.partial) {
    static constexpr std::array<double, 3> w = {0.45, 0.25, 0.3};
    return static_cast<Kind>(static_cast<std::size_t>(Kind::partial_coarser) + weighted(rng_, w));
  }
  static constexpr std::array<double, 7> w = {0.2, 0.2, 0.15, 0.1, 0.1, 0.05, 0.2};
  return static_cast<Kind>(static_cast<std::size_t>(Kind::not_district) + weighted(rng_, w));
}

int32_t Generator::Draw::random_area() { return rng_.pick(g_.areas_); }

int32_t Generator::Draw::random_street(int32_t area) {
  const auto& s = g_.streets_[static_cast<std::size_t>(area)];
  return s.empty() ? -1 : rng_.pick(s);
}

Address Generator::Draw::address(int32_t area, const Need& need) {
  Address a;
  a.area = area;
  a.street = rng_.chance(0.5) ? random_street(area) : -1;
  a.road_stem = static_cast<int16_t>(rng_.below(static_cast<uint32_t>(road_stems().size())));
  if (!stem_has_direction(a.road_stem) && rng_.chance(0.3)) a.direction = static_cast<int8_t>(rng_.below(5));
  a.road_suffix = static_cast<int8_t>(weighted(rng_, kSuffixWeights));
  const double u = rng_.unit();
  a.number = u < 0.55 ? rng_.range(1, 99) : u < 0.85 ? rng_.range(100, 499) : rng_.range(500, 2999);
  if (need.complex || rng_.chance(0.65)) {
    static constexpr std::array<double, 3> w = {0.4, 0.4, 0.2};
    add_complex(a, need.complex_kind >= 0 ? need.complex_kind : static_cast<int>(weighted(rng_, w)));
    if (need.building || rng_.chance(0.7)) a.building = a.office ? rng_.range(1, 6) : rng_.range(1, 30);
  } else if (need.building || rng_.chance(0.1)) {
    a.building = rng_.range(1, 12);
  }
  if (a.building > 0 && (need.room || rng_.chance(0.5))) add_room(a);
  return a;
}

void Generator::Draw::add_complex(Address& a, int kind) {
  const auto& communities = d_.areas()[static_cast<std::size_t>(a.area)].communities;
  if (kind == 2 && !communities.empty()) {
    a.complex = rng_.pick(communities);
    return;
  }
  a.office = kind == 0;
  a.complex = std::string(rng_.pick(complex_prefixes()));
  a.complex += rng_.pick(a.office ? office_suffixes() : home_suffixes());
}

void Generator::Draw::add_room(Address& a) {
  if (a.office) {
    a.room = rng_.range(1, 40) * 100 + rng_.range(1, 20);
    return;
  }
  a.unit = rng_.chance(0.75) ? rng_.range(1, 6) : 0;
  a.room = rng_.range(1, 33) * 100 + rng_.range(1, 4);
}

Style Generator::Draw::style(bool exact_side) {
  Style s;
  s.province = !rng_.chance(0.3);
  s.city = s.province ? !rng_.chance(0.15) : true;
  s.street = !rng_.chance(0.35);
  s.complex = exact_side ? !rng_.chance(0.1) : true;  // matters only with a building
  s.short_names = rng_.chance(0.3);
  s.spaces = rng_.chance(0.12);
  s.fullwidth = rng_.chance(0.1);
  s.lowercase = rng_.chance(0.2);
  s.chinese_numerals = rng_.chance(0.12);
  s.building_form = static_cast<uint8_t>(rng_.below(4));
  s.room_suffix = !rng_.chance(0.25);
  return s;
}

void Generator::Draw::write(Pair& p, Style s1, Style s2) {
  // Dropping a complex name is a same-place variation only when a building pins the place.
  if (p.a.building == 0) s1.complex = true;
  if (p.b.building == 0) s2.complex = true;
  p.addr1 = render(d_, p.a, s1);
  p.addr2 = render(d_, p.b, s2);
}

void Generator::Draw::exact(Pair& p) {
  p.a = address(random_area());
  p.b = p.a;
  const Style s1 = style(true);
  Style s2 = style(true);
  write(p, s1, s2);
  for (int tries = 0; p.addr1 == p.addr2 && tries < 8; ++tries) write(p, s1, s2 = style(true));
  if (p.addr1 == p.addr2) {
    s2.spaces = !s2.spaces;
    write(p, s1, s2);
  }
}

void Generator::Draw::partial(Pair& p) {
  Need need;
  need.complex = true;
  need.building = true;
  if (p.kind == Kind::partial_room) need.room = true;
  if (p.kind == Kind::partial_sibling) need.complex_kind = rng_.chance(0.7) ? 1 : 2;
  p.a = address(random_area(), need);
  p.b = p.a;
  if (p.kind == Kind::partial_coarser) {
    p.b.building = p.b.unit = p.b.room = 0;
    if (rng_.chance(0.3)) p.b.complex.clear();  // down to road and number
  } else if (p.kind == Kind::partial_room) {
    p.b.unit = p.b.room = 0;
  } else {
    p.a.unit = p.a.room = p.b.unit = p.b.room = 0;
    do {
      p.b.building = rng_.chance(0.5) ? p.a.building + rng_.range(-3, 3) : rng_.range(1, 30);
    } while (p.b.building < 1 || p.b.building == p.a.building);
  }
  write(p, style(false), style(false));
}

}  // namespace mgeo::synth
