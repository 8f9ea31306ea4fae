#include "mgeo/synth/address.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "mgeo/synth/rng.h"
#include "synth_test_util.h"

namespace mgeo::synth {
namespace {

using test::find_area;
using test::real_divisions;

int16_t stem(const std::string& s) {
  const auto& v = road_stems();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == s) return static_cast<int16_t>(i);
  }
  ADD_FAILURE() << "no stem " << s;
  return 0;
}

Address chaoyang_jianguo() {
  Address a;
  a.area = find_area(real_divisions(), "北京市", "朝阳区");
  a.road_stem = stem("建国");
  a.number = 8;
  return a;
}

TEST(Address, Lexicons) {
  EXPECT_GE(road_stems().size(), 60u);
  EXPECT_GE(complex_prefixes().size(), 30u);
  const std::set<std::string_view> unique(road_stems().begin(), road_stems().end());
  EXPECT_EQ(unique.size(), road_stems().size());
  EXPECT_TRUE(stem_has_direction(stem("体育西")));
  EXPECT_FALSE(stem_has_direction(stem("中山")));
}

TEST(Address, ChineseNumbersAndFullWidth) {
  EXPECT_EQ(chinese_number(1), "一");
  EXPECT_EQ(chinese_number(8), "八");
  EXPECT_EQ(chinese_number(10), "十");
  EXPECT_EQ(chinese_number(18), "十八");
  EXPECT_EQ(chinese_number(20), "二十");
  EXPECT_EQ(chinese_number(99), "九十九");
  EXPECT_EQ(chinese_number(100), "100");
  EXPECT_EQ(to_fullwidth("8号A座soho"), "８号Ａ座ｓｏｈｏ");
}

TEST(Address, RendersMunicipalityOnce) {
  const Divisions& d = real_divisions();
  const Address a = chaoyang_jianguo();
  EXPECT_EQ(render(d, a, Style{}), "北京市朝阳区建国路8号");
  Style s;
  s.province = false;
  EXPECT_EQ(render(d, a, s), "北京市朝阳区建国路8号");
  s.short_names = true;
  EXPECT_EQ(render(d, a, s), "北京朝阳建国路8号");
  s.city = false;
  EXPECT_EQ(render(d, a, s), "朝阳建国路8号");
}

TEST(Address, RendersEveryComponent) {
  const Divisions& d = real_divisions();
  Address a;
  a.area = find_area(d, "广东省", "天河区");
  a.road_stem = stem("体育西");
  a.number = 18;
  a.complex = "阳光花园";
  a.building = 3;
  a.unit = 2;
  a.room = 301;
  Style s;
  EXPECT_EQ(render(d, a, s), "广东省广州市天河区体育西路18号阳光花园3号楼2单元301室");
  s.province = false;
  s.chinese_numerals = true;
  s.building_form = 1;
  s.room_suffix = false;
  EXPECT_EQ(render(d, a, s), "广州市天河区体育西路十八号阳光花园三栋二单元301");
  s = Style{};
  s.spaces = true;
  s.fullwidth = true;
  s.complex = false;
  s.building_form = 2;
  EXPECT_EQ(render(d, a, s), "广东省 广州市 天河区 体育西路１８号 ３幢 ２单元３０１室");

  a.office = true;
  a.complex = "金地SOHO";
  a.building = 1;
  a.unit = 0;
  a.room = 1203;
  a.direction = -1;
  s = Style{};
  s.lowercase = true;
  EXPECT_EQ(render(d, a, s), "广东省广州市天河区体育西路18号金地soho a座1203室");
  s.lowercase = false;
  s.building_form = 1;
  EXPECT_EQ(render(d, a, s), "广东省广州市天河区体育西路18号金地SOHO A栋1203室");
}

TEST(Address, RoadAndStreet) {
  const Divisions& d = real_divisions();
  Address a = chaoyang_jianguo();
  a.road_stem = stem("中山");
  a.direction = 0;
  a.road_suffix = 2;
  EXPECT_EQ(a.road(), "中山东大道");
  const Area& area = d.areas()[static_cast<std::size_t>(a.area)];
  ASSERT_FALSE(area.streets.empty());
  a.street = area.streets[0];
  const std::string street = d.streets()[static_cast<std::size_t>(a.street)].name;
  EXPECT_EQ(render(d, a, Style{}), "北京市朝阳区" + street + "中山东大道8号");
  Style s;
  s.street = false;
  EXPECT_EQ(render(d, a, s), "北京市朝阳区中山东大道8号");
}

TEST(Rng, BoundedDrawsAreInRangeAndRoughlyUniform) {
  Rng rng(42, 7);
  int counts[7] = {};
  for (int i = 0; i < 70000; ++i) {
    const uint32_t v = rng.below(7);
    ASSERT_LT(v, 7u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
  for (int i = 0; i < 1000; ++i) {
    const int32_t r = rng.range(-3, 3);
    ASSERT_GE(r, -3);
    ASSERT_LE(r, 3);
    const double u = rng.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(Rng, StreamsAreFixedAndDistinct) {
  Rng a(1, 5), b(1, 5), c(1, 6), e(2, 5);
  const uint64_t x = a.next();
  EXPECT_EQ(x, b.next());
  EXPECT_NE(x, c.next());
  EXPECT_NE(x, e.next());
}

}  // namespace
}  // namespace mgeo::synth
