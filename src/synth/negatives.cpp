// not_match pairs: hard negatives that differ from a place in one thing, and easy ones.
#include <array>

#include "draw.h"

namespace mgeo::synth {
namespace {

int32_t pow10_above(int32_t n) {
  int32_t p = 10;
  while (p <= n) p *= 10;
  return p;
}

}  // namespace

int32_t Generator::Draw::nearby_number(int32_t n) {
  for (int tries = 0; tries < 32; ++tries) {
    int32_t m = n;
    switch (rng_.below(6)) {
      case 0: m = n + 1; break;
      case 1: m = n - 1; break;
      case 2: m = n + (rng_.chance(0.5) ? 2 : -2); break;
      case 3: m = n * 10 + n % 10; break;                              // 8 -> 88, 12 -> 122
      case 4: m = rng_.range(1, 9) * pow10_above(n) + n; break;        // 8 -> 18, 8 -> 58
      case 5: m = n >= 10 ? n % (pow10_above(n) / 10) : n + 10; break;  // 18 -> 8, 8 -> 18
    }
    if (m >= 1 && m != n && m < 100000) return m;
  }
  return n + 1;
}

// The same road, number and complex one district over in the same city.
bool Generator::Draw::neighbour_district(Pair& p) {
  for (int tries = 0; tries < 16; ++tries) {
    const int32_t area = random_area();
    const auto& areas = g_.city_areas_[static_cast<std::size_t>(d_.areas()[static_cast<std::size_t>(area)].city)];
    if (areas.size() < 2) continue;
    std::size_t i = 0;
    while (areas[i] != area) ++i;
    const std::size_t j = i == 0 ? 1 : i + 1 == areas.size() ? i - 1 : rng_.chance(0.5) ? i - 1 : i + 1;
    p.a = address(area);
    p.b = p.a;
    p.b.area = areas[j];
    p.b.street = p.a.street >= 0 ? random_street(p.b.area) : -1;
    return true;
  }
  return false;
}

// The same road and number (and complex) in another city, preferably of the same province.
void Generator::Draw::other_city(Pair& p) {
  p.a = address(random_area());
  const Area& here = d_.areas()[static_cast<std::size_t>(p.a.area)];
  const std::string& city_name = d_.city_of(here).name;
  const auto& cities = d_.province_of(here).cities;
  int32_t area = -1;
  for (int tries = 0; tries < 64 && area < 0; ++tries) {
    int32_t candidate = -1;
    if (tries < 8 && rng_.chance(0.7)) {
      const auto& areas = g_.city_areas_[static_cast<std::size_t>(rng_.pick(cities))];
      if (!areas.empty()) candidate = rng_.pick(areas);
    } else {
      candidate = random_area();
    }
    if (candidate >= 0 && d_.city_of(d_.areas()[static_cast<std::size_t>(candidate)]).name != city_name) {
      area = candidate;
    }
  }
  p.b = p.a;
  p.b.area = area >= 0 ? area : random_area();
  p.b.street = p.a.street >= 0 ? random_street(p.b.area) : -1;
}

void Generator::Draw::negative(Pair& p) {
  Style s1 = style(false), s2 = style(false);
  switch (p.kind) {
    case Kind::not_district:
      if (neighbour_district(p)) break;
      p.kind = Kind::not_number;
      [[fallthrough]];
    case Kind::not_number:
      p.a = address(random_area());
      p.b = p.a;
      p.b.number = nearby_number(p.a.number);
      break;
    case Kind::not_direction: {
      p.a = address(random_area());
      while (stem_has_direction(p.a.road_stem)) {
        p.a.road_stem = static_cast<int16_t>(rng_.below(static_cast<uint32_t>(road_stems().size())));
      }
      p.b = p.a;
      do {
        p.b.direction = p.a.direction >= 0 && rng_.chance(0.3) ? -1 : static_cast<int8_t>(rng_.below(5));
      } while (p.b.direction == p.a.direction);
      break;
    }
    case Kind::not_building: {
      Need need;
      need.complex = need.building = true;
      need.complex_kind = 0;
      p.a = address(random_area(), need);
      p.b = p.a;
      do {
        p.b.building = rng_.chance(0.6) ? p.a.building + (rng_.chance(0.5) ? 1 : -1) : rng_.range(1, 8);
      } while (p.b.building < 1 || p.b.building == p.a.building);
      break;
    }
    case Kind::not_city:
      other_city(p);
      s1.city = s2.city = true;  // the city is what differs: both sides name it
      break;
    case Kind::not_road:
      p.a = address(random_area());
      p.b = p.a;
      while (p.b.road_stem == p.a.road_stem) {
        p.b.road_stem = static_cast<int16_t>(rng_.below(static_cast<uint32_t>(road_stems().size())));
      }
      if (stem_has_direction(p.b.road_stem)) p.b.direction = -1;
      break;
    default:
      p.a = address(random_area());
      p.b = address(random_area());
      break;
  }
  write(p, s1, s2);
}

}  // namespace mgeo::synth
