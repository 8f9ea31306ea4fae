#include "mgeo/synth/link_set.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "synth_test_util.h"

namespace mgeo::synth {
namespace {

using Place = std::tuple<int32_t, int16_t, int8_t, int8_t, int32_t>;  // area, road, number
Place place_of(const Address& a) { return {a.area, a.road_stem, a.direction, a.road_suffix, a.number}; }

const LinkSet& small_set() {
  static const LinkSet s = make_link_set(test::real_divisions(), 5, 2000, 600);
  return s;
}

TEST(LinkSet, Deterministic) {
  const LinkSet a = make_link_set(test::real_divisions(), 5, 300, 100);
  const LinkSet b = make_link_set(test::real_divisions(), 5, 300, 100);
  const LinkSet c = make_link_set(test::real_divisions(), 6, 300, 100);
  ASSERT_EQ(a.masters.size(), 300u);
  ASSERT_EQ(a.queries.size(), 100u);
  int differ = 0;
  for (std::size_t i = 0; i < a.masters.size(); ++i) {
    EXPECT_EQ(a.masters[i].id, b.masters[i].id);
    EXPECT_EQ(a.masters[i].address, b.masters[i].address);
    differ += a.masters[i].address != c.masters[i].address;
  }
  for (std::size_t i = 0; i < a.queries.size(); ++i) {
    EXPECT_EQ(a.queries[i].address, b.queries[i].address);
    EXPECT_EQ(a.queries[i].master, b.queries[i].master);
  }
  EXPECT_GT(differ, 250);
  EXPECT_EQ(a.masters[42].id, "m00000042");
  EXPECT_EQ(a.queries[7].id, "q00000007");
}

TEST(LinkSet, MastersAreDistinctPlacesSharingRoads) {
  std::set<Place> places;
  std::map<std::tuple<int32_t, int16_t, int8_t, int8_t>, int> per_road;
  std::set<int32_t> areas;
  for (const LinkMaster& m : small_set().masters) {
    EXPECT_TRUE(places.insert(place_of(m.place)).second) << m.address;
    ++per_road[{m.place.area, m.place.road_stem, m.place.direction, m.place.road_suffix}];
    areas.insert(m.place.area);
    EXPECT_EQ(m.address, render(test::real_divisions(), m.place, plain_style()));
  }
  int shared = 0;
  for (const auto& [road, n] : per_road) shared += n >= 3 ? n : 0;
  EXPECT_GT(shared, 1000) << "most masters sit on a road with at least two others";
  EXPECT_LE(areas.size(), 40u);
}

TEST(LinkSet, TruthIsConsistent) {
  const LinkSet& s = small_set();
  int near = 0;
  std::map<Kind, int> kinds;
  for (const LinkQuery& q : s.queries) {
    ASSERT_GE(q.source, 0);
    ASSERT_LT(q.source, static_cast<int64_t>(s.masters.size()));
    ++kinds[q.kind];
    if (q.master >= 0) {
      EXPECT_EQ(q.kind, Kind::exact);
      EXPECT_EQ(q.master, q.source);
      EXPECT_TRUE(q.place == s.masters[static_cast<std::size_t>(q.master)].place);
    } else {
      ++near;
      EXPECT_TRUE(q.kind == Kind::not_number || q.kind == Kind::not_road || q.kind == Kind::not_district ||
                  q.kind == Kind::not_building) << kind_name(q.kind);
    }
    EXPECT_FALSE(q.address.empty());
  }
  EXPECT_GT(near, 120);  // 30% of 600, give or take
  EXPECT_LT(near, 240);
  for (Kind k : {Kind::not_number, Kind::not_road, Kind::not_district, Kind::not_building}) {
    EXPECT_GT(kinds[k], 5) << kind_name(k);
  }
}

TEST(LinkSet, NearMissesNameNoMasterPlace) {
  const LinkSet& s = small_set();
  std::map<Place, const LinkMaster*> by_place;
  for (const LinkMaster& m : s.masters) by_place[place_of(m.place)] = &m;
  for (const LinkQuery& q : s.queries) {
    if (q.master >= 0) continue;
    const auto it = by_place.find(place_of(q.place));
    if (q.kind == Kind::not_building) {
      ASSERT_NE(it, by_place.end());
      EXPECT_NE(it->second->place.building, q.place.building) << q.address;
    } else {
      EXPECT_EQ(it, by_place.end()) << q.address << " names " << it->second->address;
    }
    for (const LinkMaster& m : s.masters) EXPECT_FALSE(m.place == q.place);
  }
}

TEST(LinkSet, RejectsBadArguments) {
  EXPECT_THROW(make_link_set(test::real_divisions(), 1, 0, 10), std::exception);
  EXPECT_THROW(make_link_set(test::real_divisions(), 1, 10, -1), std::exception);
  EXPECT_THROW(make_link_set(test::real_divisions(), 1, 10, 10, 1.5), std::exception);
  EXPECT_TRUE(make_link_set(test::real_divisions(), 1, 10, 0).queries.empty());
}

}  // namespace
}  // namespace mgeo::synth
