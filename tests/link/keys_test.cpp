#include "mgeo/link/keys.h"

#include <gtest/gtest.h>

namespace mgeo::link {
namespace {

TEST(Keys, EmptyPartsGiveNoKey) {
  EXPECT_EQ(road_number_key(kDistrictRoadNumber, 0, "文三路", "8"), 0u);
  EXPECT_EQ(road_number_key(kDistrictRoadNumber, 330106, "", "8"), 0u);
  EXPECT_EQ(road_number_key(kDistrictRoadNumber, 330106, "文三路", ""), 0u);
  EXPECT_EQ(poi_key(0, "万科花园"), 0u);
  EXPECT_EQ(poi_key(330106, ""), 0u);
  address::Address a;
  a.district_code = 330106;
  a.city_code = 330100;
  a.road = "文三路";
  for (Pass p : {kDistrictRoadNumber, kCityRoadNumber, kDistrictPoi}) EXPECT_EQ(address_key(p, a), 0u) << int(p);
  a.number = "8";
  EXPECT_NE(address_key(kDistrictRoadNumber, a), 0u);
  EXPECT_NE(address_key(kCityRoadNumber, a), 0u);
  EXPECT_EQ(address_key(kDistrictPoi, a), 0u);
}

TEST(Keys, KeysTellPartsAndPassesApart) {
  const uint64_t k = road_number_key(kDistrictRoadNumber, 330106, "文三路", "8");
  EXPECT_EQ(k, road_number_key(kDistrictRoadNumber, 330106, "文三路", "8"));
  EXPECT_NE(k, road_number_key(kDistrictRoadNumber, 330106, "文三路", "88"));
  EXPECT_NE(k, road_number_key(kDistrictRoadNumber, 330106, "文二路", "8"));
  EXPECT_NE(k, road_number_key(kDistrictRoadNumber, 330105, "文三路", "8"));
  EXPECT_NE(k, road_number_key(kCityRoadNumber, 330106, "文三路", "8"));
  // The road and the number are hashed apart: 文三路1 + 8 is not 文三路 + 18.
  EXPECT_NE(road_number_key(kDistrictRoadNumber, 1, "a1", "8"), road_number_key(kDistrictRoadNumber, 1, "a", "18"));
}

TEST(Ngrams, BigramsAreDistinctSortedAndLowerCased) {
  const std::vector<uint64_t> g = ngrams("AbAb", 2);  // ab, ba (ab twice)
  ASSERT_EQ(g.size(), 2u);
  EXPECT_TRUE(g[0] < g[1]);
  EXPECT_EQ(ngrams("abab", 2), g);
  const uint64_t ab = (uint64_t{'a'} << 21) | 'b';
  EXPECT_NE(std::find(g.begin(), g.end(), ab), g.end());
}

TEST(Ngrams, ChineseCodePointsAndShortTexts) {
  EXPECT_EQ(ngrams("文三路8号", 2).size(), 4u);
  EXPECT_EQ(ngrams("文三路8号", 3).size(), 3u);
  EXPECT_EQ(ngrams("路", 2), (std::vector<uint64_t>{U'路'}));
  EXPECT_TRUE(ngrams("", 2).empty());
  EXPECT_TRUE(ngrams("\xff\xfe", 2).empty());  // invalid UTF-8
  EXPECT_TRUE(ngrams("文\xe4", 2).empty());
  EXPECT_NE(ngrams("文三", 2), ngrams("文二", 2));
}

TEST(Keys, PassNames) {
  EXPECT_STREQ(pass_name(0), "district_road_number");
  EXPECT_STREQ(pass_name(3), "lexical");
  EXPECT_STREQ(pass_name(4), "?");
}

}  // namespace
}  // namespace mgeo::link
