// make_link_set: a master list of distinct places, typed queries and near misses.
#include "mgeo/synth/link_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_set>

#include "draw.h"
#include "mgeo/util/error.h"

namespace mgeo::synth {
namespace {

// Rng streams, apart from one another and from the generator's pair indices.
constexpr uint64_t kPoolStream = 0x4C494E4B00000000ULL;
constexpr uint64_t kGroupStream = 1ULL << 61;
constexpr uint64_t kMasterStream = 2ULL << 61;
constexpr uint64_t kQueryStream = 3ULL << 61;
constexpr int kMastersPerArea = 100;

bool usable_area(const Area& a) {
  return a.name.find("岛礁") == std::string::npos && a.name.find("海域") == std::string::npos;
}

// Area, road and house number: what no two masters share.
uint64_t place_key(const Address& a) {
  uint64_t h = mix64(static_cast<uint64_t>(a.area) + 1);
  h = mix64(h ^ (static_cast<uint64_t>(static_cast<uint16_t>(a.road_stem)) << 16 |
                 static_cast<uint64_t>(static_cast<uint8_t>(a.direction)) << 8 |
                 static_cast<uint64_t>(static_cast<uint8_t>(a.road_suffix))));
  return mix64(h ^ static_cast<uint64_t>(a.number));
}

// The areas masters are placed in: a seeded sample of about masters/100 usable areas.
std::vector<int32_t> area_pool(const Divisions& d, uint64_t seed, int64_t masters) {
  std::vector<int32_t> all;
  for (std::size_t i = 0; i < d.areas().size(); ++i) {
    if (usable_area(d.areas()[i])) all.push_back(static_cast<int32_t>(i));
  }
  MGEO_CHECK(!all.empty(), "no areas in the divisions");
  const std::size_t want = std::clamp<std::size_t>(static_cast<std::size_t>(masters / kMastersPerArea), 4, all.size());
  Rng rng(seed, kPoolStream);
  for (std::size_t i = 0; i < want; ++i) {  // partial Fisher-Yates
    const std::size_t j = i + rng.below(static_cast<uint32_t>(all.size() - i));
    std::swap(all[i], all[j]);
  }
  all.resize(want);
  return all;
}

// Another usable area of the same city; -1 when the city has only one.
int32_t neighbour_area(const Divisions& d, Rng& rng, int32_t area) {
  std::vector<int32_t> areas;
  for (int32_t a : d.city_of(d.areas()[static_cast<std::size_t>(area)]).areas) {
    if (a != area && usable_area(d.areas()[static_cast<std::size_t>(a)])) areas.push_back(a);
  }
  return areas.empty() ? -1 : rng.pick(areas);
}

class Builder {
 public:
  Builder(const Divisions& d, uint64_t seed) : d_(d), gen_(d, seed), seed_(seed) {}

  void masters(LinkSet& set, int64_t n) {
    const std::vector<int32_t> pool = area_pool(d_, seed_, n);
    set.masters.reserve(static_cast<std::size_t>(n));
    for (uint64_t group = 0; static_cast<int64_t>(set.masters.size()) < n; ++group) {
      Generator::Draw g(gen_, kGroupStream + group);
      const int32_t area = g.rng_.pick(pool);
      const Address road = g.address(area);
      const int size = g.rng_.range(1, 12);
      for (int j = 0; j < size && static_cast<int64_t>(set.masters.size()) < n; ++j) {
        const uint64_t index = set.masters.size();
        Generator::Draw m(gen_, kMasterStream + (group << 4) + static_cast<uint64_t>(j));
        Address a = m.address(area);
        a.street = road.street;
        a.road_stem = road.road_stem;
        a.direction = road.direction;
        a.road_suffix = road.road_suffix;
        for (int tries = 0; keys_.count(place_key(a)) != 0 && tries < 64; ++tries) a.number = m.rng_.range(1, 2999);
        if (!keys_.insert(place_key(a)).second) continue;
        set.masters.push_back({master_id(index), render(d_, a, plain_style()), a});
      }
    }
  }

  LinkQuery query(const LinkSet& set, uint64_t i, double near_fraction) {
    Generator::Draw q(gen_, kQueryStream + i);
    LinkQuery out;
    out.id = query_id(i);
    out.source = q.rng_.below(static_cast<uint32_t>(set.masters.size()));
    const LinkMaster& m = set.masters[static_cast<std::size_t>(out.source)];
    if (!q.rng_.chance(near_fraction)) {
      out.place = m.place;
      out.master = out.source;
      out.kind = Kind::exact;
      for (int tries = 0; tries < 8 && (out.address.empty() || out.address == m.address); ++tries) {
        Style s = q.style(true);
        if (m.place.building == 0) s.complex = true;  // dropping it would name a coarser place
        out.address = render(d_, out.place, s);
      }
      return out;
    }
    out.place = near_miss(q, m.place, out.kind);
    out.address = render(d_, out.place, q.style(false));
    return out;
  }

 private:
  Address near_miss(Generator::Draw& q, const Address& from, Kind& kind) {
    static constexpr std::array<double, 4> kWeights = {0.35, 0.25, 0.2, 0.2};
    double u = q.rng_.unit();
    std::size_t pick = 0;
    while (pick + 1 < kWeights.size() && u >= kWeights[pick]) u -= kWeights[pick++];
    if (pick == 3 && from.building > 0) {
      kind = Kind::not_building;
      Address b = from;
      const int32_t top = from.office ? 6 : 30;
      do {
        b.building = q.rng_.chance(0.6) ? from.building + (q.rng_.chance(0.5) ? 1 : -1) : q.rng_.range(1, top);
      } while (b.building < 1 || b.building == from.building);
      return b;
    }
    for (int tries = 0; tries < 32; ++tries) {
      Address b = from;
      if (pick == 2) {
        const int32_t area = neighbour_area(d_, q.rng_, from.area);
        if (area < 0) {
          pick = 0;
          continue;
        }
        kind = Kind::not_district;
        b.area = area;
        b.street = from.street >= 0 ? q.random_street(area) : -1;
      } else if (pick == 1) {
        kind = Kind::not_road;
        while (b.road_stem == from.road_stem) {
          b.road_stem = static_cast<int16_t>(q.rng_.below(static_cast<uint32_t>(road_stems().size())));
        }
        if (stem_has_direction(b.road_stem)) b.direction = -1;
      } else {
        kind = Kind::not_number;
        b.number = tries < 16 ? q.nearby_number(from.number) : q.rng_.range(1, 99999);
      }
      if (keys_.count(place_key(b)) == 0) return b;
    }
    kind = Kind::not_number;  // a number no master on any road of the pool carries
    Address b = from;
    do b.number = q.rng_.range(100000, 999999);
    while (keys_.count(place_key(b)) != 0);
    return b;
  }

  const Divisions& d_;
  Generator gen_;
  uint64_t seed_;
  std::unordered_set<uint64_t> keys_;
};

}  // namespace

Style plain_style() {
  Style s;  // province, city, street and complex written; full names; no spaces
  s.building_form = 1;  // 3栋, A栋
  return s;
}

std::string master_id(uint64_t index) { return fmt::format("m{:08d}", index); }
std::string query_id(uint64_t index) { return fmt::format("q{:08d}", index); }

LinkSet make_link_set(const Divisions& d, uint64_t seed, int64_t masters, int64_t queries, double near_miss_fraction) {
  MGEO_CHECK(masters >= 1 && masters < (1LL << 32), "link set: masters must be in [1, 2^32), got {}", masters);
  MGEO_CHECK(queries >= 0, "link set: queries must be >= 0, got {}", queries);
  MGEO_CHECK(near_miss_fraction >= 0 && near_miss_fraction <= 1, "link set: near-miss fraction {} outside [0, 1]",
             near_miss_fraction);
  LinkSet set;
  Builder b(d, seed);
  b.masters(set, masters);
  set.queries.reserve(static_cast<std::size_t>(queries));
  for (int64_t i = 0; i < queries; ++i) set.queries.push_back(b.query(set, static_cast<uint64_t>(i), near_miss_fraction));
  return set;
}

}  // namespace mgeo::synth
