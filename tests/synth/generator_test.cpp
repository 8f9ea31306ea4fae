#include "mgeo/synth/generator.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"
#include "synth_test_util.h"

namespace mgeo::synth {
namespace {

using test::real_divisions;

std::vector<Pair> make_range(const Generator& g, uint64_t first, uint64_t n) {
  std::vector<Pair> out;
  for (uint64_t i = first; i < first + n; ++i) out.push_back(g.make(i));
  return out;
}

const std::vector<Pair>& ten_thousand() {
  static const std::vector<Pair> pairs = make_range(Generator(real_divisions(), 1), 0, 10000);
  return pairs;
}

bool same_place_except(Address a, Address b) { return a == b; }

TEST(Generator, SameSeedSamePairsOtherSeedOtherPairs) {
  const Generator g1(real_divisions(), 7), g2(real_divisions(), 7), g3(real_divisions(), 8);
  int differ = 0;
  for (uint64_t i = 0; i < 500; ++i) {
    const Pair a = g1.make(i), b = g2.make(i), c = g3.make(i);
    ASSERT_EQ(a.addr1, b.addr1);
    ASSERT_EQ(a.addr2, b.addr2);
    ASSERT_EQ(a.label, b.label);
    differ += a.addr1 != c.addr1 || a.addr2 != c.addr2;
  }
  EXPECT_GT(differ, 490);
}

TEST(Generator, PairDependsOnlyOnSeedAndIndex) {
  const Generator g(real_divisions(), 3);
  std::vector<Pair> seen;
  generate(g, 1000, 777, 3, [&](const Pair& p) { seen.push_back(p); }, 10);
  ASSERT_EQ(seen.size(), 777u);
  for (std::size_t k = 0; k < seen.size(); ++k) {
    ASSERT_EQ(seen[k].index, 1000 + k);
    const Pair alone = g.make(1000 + k);
    ASSERT_EQ(seen[k].addr1, alone.addr1);
    ASSERT_EQ(seen[k].addr2, alone.addr2);
  }
  std::vector<std::string> one_thread;
  generate(g, 0, 2000, 1, [&](const Pair& p) { one_thread.push_back(p.addr1 + "|" + p.addr2); });
  std::vector<std::string> many;
  generate(g, 0, 2000, 4, [&](const Pair& p) { many.push_back(p.addr1 + "|" + p.addr2); }, 33);
  EXPECT_EQ(one_thread, many);
}

TEST(Generator, SinkErrorsStopTheWorkers) {
  const Generator g(real_divisions(), 3);
  int calls = 0;
  EXPECT_THROW(generate(g, 0, 100000, 2,
                        [&](const Pair&) {
                          if (++calls == 50) throw std::runtime_error("sink");
                        }),
               std::runtime_error);
  EXPECT_EQ(calls, 50);
}

TEST(Generator, LabelFractions) {
  std::array<int, 3> counts{};
  for (const Pair& p : ten_thousand()) ++counts[static_cast<int>(p.label)];
  EXPECT_NEAR(counts[0] / 1e4, 0.4, 0.02);
  EXPECT_NEAR(counts[1] / 1e4, 0.2, 0.02);
  EXPECT_NEAR(counts[2] / 1e4, 0.4, 0.02);

  const Generator custom(real_divisions(), 1, GeneratorOptions{0.1, 0.6});
  counts = {};
  for (uint64_t i = 0; i < 5000; ++i) ++counts[static_cast<int>(custom.make(i).label)];
  EXPECT_NEAR(counts[0] / 5e3, 0.1, 0.02);
  EXPECT_NEAR(counts[1] / 5e3, 0.6, 0.02);
  EXPECT_THROW(Generator(real_divisions(), 1, GeneratorOptions{0.7, 0.5}), Error);
}

TEST(Generator, EveryKindAppearsAndMatchesItsLabel) {
  std::map<Kind, int> kinds;
  for (const Pair& p : ten_thousand()) {
    ++kinds[p.kind];
    ASSERT_EQ(p.label, label_of(p.kind));
  }
  for (int k = 0; k <= static_cast<int>(Kind::not_random); ++k) {
    EXPECT_GT(kinds[static_cast<Kind>(k)], 50) << kind_name(static_cast<Kind>(k));
  }
}

TEST(Generator, AddressesAreCleanText) {
  for (const Pair& p : ten_thousand()) {
    for (const std::string& s : {p.addr1, p.addr2}) {
      ASSERT_FALSE(s.empty());
      ASSERT_TRUE(utf8::valid(s)) << s;
      ASSERT_EQ(s.find_first_of("\t\r\n,\""), std::string::npos) << s;
      ASSERT_NE(s.front(), ' ');
      ASSERT_NE(s.back(), ' ');
      ASSERT_EQ(s.find("岛礁"), std::string::npos) << s;
    }
  }
  EXPECT_EQ(pair_id(42), "p00000042");
}

TEST(Generator, ExactPairsAreOnePlaceWrittenTwoWays) {
  for (const Pair& p : ten_thousand()) {
    if (p.label != Label::exact_match) continue;
    ASSERT_EQ(p.a, p.b);
    ASSERT_NE(p.addr1, p.addr2);
  }
}

TEST(Generator, PartialPairsDifferInGranularityOrBuilding) {
  for (const Pair& p : ten_thousand()) {
    if (p.label != Label::partial_match) continue;
    ASSERT_EQ(p.a.area, p.b.area);
    ASSERT_EQ(p.a.road(), p.b.road());
    ASSERT_EQ(p.a.number, p.b.number);
    const Address& fine = p.a.building >= p.b.building && p.a.room >= p.b.room ? p.a : p.b;
    const Address& coarse = &fine == &p.a ? p.b : p.a;
    if (p.kind == Kind::partial_coarser) {
      EXPECT_GT(fine.building, 0);
      EXPECT_EQ(coarse.building, 0);
      EXPECT_EQ(coarse.room, 0);
    } else if (p.kind == Kind::partial_room) {
      EXPECT_EQ(fine.building, coarse.building);
      EXPECT_GT(fine.room, 0);
      EXPECT_EQ(coarse.room, 0);
    } else {
      EXPECT_EQ(p.a.complex, p.b.complex);
      EXPECT_FALSE(p.a.office);
      EXPECT_NE(p.a.building, p.b.building);
      EXPECT_GT(p.a.building * p.b.building, 0);
    }
  }
}

// Each hard negative differs from its twin in exactly the field its kind names.
TEST(Generator, HardNegativesDifferInOneThing) {
  const Divisions& d = real_divisions();
  int checked = 0;
  for (const Pair& p : ten_thousand()) {
    if (p.label != Label::not_match || p.kind == Kind::not_random) continue;
    Address b = p.b;
    switch (p.kind) {
      case Kind::not_district: {
        const Area& x = d.areas()[p.a.area];
        const Area& y = d.areas()[p.b.area];
        ASSERT_NE(p.a.area, p.b.area);
        ASSERT_EQ(x.city, y.city);
        for (const auto& [addr, area] : {std::pair{&p.addr1, &x}, std::pair{&p.addr2, &y}}) {
          EXPECT_NE(addr->find(p.a.road()), std::string::npos) << *addr;
          EXPECT_NE(addr->find(area->short_name), std::string::npos) << *addr;
        }
        b.area = p.a.area;
        b.street = p.a.street;
        break;
      }
      case Kind::not_number: b.number = p.a.number; ASSERT_NE(p.a.number, p.b.number); break;
      case Kind::not_direction: b.direction = p.a.direction; ASSERT_NE(p.a.road(), p.b.road()); break;
      case Kind::not_building: b.building = p.a.building; ASSERT_TRUE(p.a.office); break;
      case Kind::not_road: b.road_stem = p.a.road_stem; b.direction = p.a.direction; break;
      case Kind::not_city: {
        const City& x = d.city_of(d.areas()[p.a.area]);
        const City& y = d.city_of(d.areas()[p.b.area]);
        ASSERT_NE(x.name, y.name);
        EXPECT_NE(p.addr1.find(x.short_name), std::string::npos) << p.addr1;
        EXPECT_NE(p.addr2.find(y.short_name), std::string::npos) << p.addr2;
        b.area = p.a.area;
        b.street = p.a.street;
        break;
      }
      default: break;
    }
    ASSERT_NE(p.a, p.b) << kind_name(p.kind);
    ASSERT_TRUE(same_place_except(p.a, b)) << kind_name(p.kind) << ": " << p.addr1 << " / " << p.addr2;
    ++checked;
  }
  EXPECT_GT(checked, 2500);
}

// The surface variations the model should learn to see through do occur.
TEST(Generator, SurfaceVariationsAppear) {
  std::map<std::string, int> seen;
  const std::vector<std::pair<std::string, std::string>> probes = {
      {"fullwidth digit", "\xEF\xBC"},  // U+FF10..U+FF3F
      {"fullwidth lower", "\xEF\xBD"},  // U+FF40..
      {"space", " "},         {"号楼", "号楼"},   {"栋", "栋"},         {"幢", "幢"},
      {"座", "座"},           {"单元", "单元"},   {"八号", "八号"},     {"soho", "soho"},
      {"SOHO", "SOHO"},       {"社区", "社区"},   {"村", "村"},         {"街道", "街道"},
      {"镇", "镇"}};
  for (const Pair& p : ten_thousand()) {
    for (const auto& [name, probe] : probes) {
      seen[name] += p.addr1.find(probe) != std::string::npos || p.addr2.find(probe) != std::string::npos;
    }
  }
  for (const auto& [name, probe] : probes) EXPECT_GT(seen[name], 30) << name;
  EXPECT_GT(seen["fullwidth digit"], 1000);
}

}  // namespace
}  // namespace mgeo::synth
