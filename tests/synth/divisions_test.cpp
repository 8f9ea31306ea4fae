#include "mgeo/synth/divisions.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"
#include "synth_test_util.h"

namespace mgeo::synth {
namespace {

namespace fs = std::filesystem;
using test::find_area;
using test::real_divisions;

TEST(Divisions, CountsMatchTheReadme) {
  const Divisions& d = real_divisions();
  EXPECT_EQ(d.provinces().size(), 31u);
  EXPECT_EQ(d.cities().size(), 342u);
  EXPECT_EQ(d.areas().size(), 2978u);
  EXPECT_EQ(d.streets().size(), 41352u);
  EXPECT_EQ(d.villages_read(), 620573);
  EXPECT_GT(d.communities(), 400000);
  EXPECT_LT(d.communities(), d.villages_read());
}

TEST(Divisions, LinksAreConsistent) {
  const Divisions& d = real_divisions();
  for (const Area& a : d.areas()) {
    ASSERT_EQ(d.city_of(a).province, a.province) << a.name;
    EXPECT_TRUE(utf8::valid(a.name) && !a.name.empty());
    for (const std::string& c : a.communities) ASSERT_TRUE(utf8::valid(c) && !c.empty()) << c;
  }
  std::size_t streets = 0;
  for (const Area& a : d.areas()) streets += a.streets.size();
  EXPECT_EQ(streets, d.streets().size());
}

TEST(Divisions, MunicipalitiesAndDirectCounties) {
  const Divisions& d = real_divisions();
  const int32_t chaoyang = find_area(d, "北京市", "朝阳区");
  ASSERT_GE(chaoyang, 0);
  const City& beijing = d.city_of(d.areas()[chaoyang]);
  EXPECT_EQ(beijing.raw_name, "市辖区");
  EXPECT_EQ(beijing.name, "北京市");
  EXPECT_EQ(beijing.short_name, "北京");
  const int32_t zhongxian = find_area(d, "重庆市", "忠县");
  ASSERT_GE(zhongxian, 0);
  EXPECT_EQ(d.city_of(d.areas()[zhongxian]).name, "重庆市");  // the "县" row
  const int32_t xiantao = find_area(d, "湖北省", "仙桃市");
  ASSERT_GE(xiantao, 0);
  EXPECT_EQ(d.city_of(d.areas()[xiantao]).name, "");  // 省直辖县级行政区划
  const int32_t tianhe = find_area(d, "广东省", "天河区");
  ASSERT_GE(tianhe, 0);
  EXPECT_EQ(d.city_of(d.areas()[tianhe]).name, "广州市");
  EXPECT_EQ(d.city_of(d.areas()[tianhe]).short_name, "广州");
}

TEST(Divisions, ShortNames) {
  EXPECT_EQ(short_province_name("北京市"), "北京");
  EXPECT_EQ(short_province_name("河北省"), "河北");
  EXPECT_EQ(short_province_name("广西壮族自治区"), "广西");
  EXPECT_EQ(short_province_name("内蒙古自治区"), "内蒙古");
  EXPECT_EQ(short_province_name("新疆维吾尔自治区"), "新疆");
  EXPECT_EQ(short_city_name("石家庄市"), "石家庄");
  EXPECT_EQ(short_city_name("兴安盟"), "兴安盟");
  EXPECT_EQ(short_area_name("朝阳区"), "朝阳");
  EXPECT_EQ(short_area_name("和平区"), "和平");
  EXPECT_EQ(short_area_name("忠县"), "忠县");  // one character would remain
  EXPECT_EQ(short_area_name("城区"), "城区");
  EXPECT_EQ(short_area_name("浦东新区"), "浦东");
  EXPECT_EQ(short_area_name("仙桃市"), "仙桃");
  EXPECT_EQ(short_area_name("沙依巴克区"), "沙依巴克");
  EXPECT_EQ(short_area_name("苏尼特右旗"), "苏尼特右旗");
  EXPECT_EQ(short_area_name("五台山风景名胜区"), "五台山风景名胜区");
  EXPECT_EQ(short_area_name("石柱土家族自治县"), "石柱土家族自治县");
}

TEST(Divisions, CommunityNames) {
  EXPECT_EQ(community_name("多福巷社区居委会"), "多福巷社区");
  EXPECT_EQ(community_name("南曹村委会"), "南曹村");
  EXPECT_EQ(community_name("耿家庄村村民委员会"), "耿家庄村");
  EXPECT_EQ(community_name("王村口镇居民委员会"), "王村口镇社区");
  EXPECT_EQ(community_name("禧源社区"), "禧源社区");
  EXPECT_EQ(community_name("罗家嘴村"), "罗家嘴村");
  EXPECT_EQ(community_name("沙河源林场生活区"), "");
  EXPECT_EQ(community_name("某某区虚拟社区"), "");
  EXPECT_EQ(community_name("东社区居委会"), "");  // one-character stem
}

// A small divisions directory with the given file contents.
class TinyDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mgeo_synth_div_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    put("provinces.csv", "code,name\n11,\"北京市\"\n13,\"河北省\"\n");
    put("cities.csv", "code,name,provinceCode\n1101,\"市辖区\",11\n1301,\"石家庄市\",13\n");
    put("areas.csv", "code,name,cityCode,provinceCode\n110105,\"朝阳区\",1101,11\n130102,\"长安区\",1301,13\n");
    put("streets.csv", "code,name,areaCode,provinceCode,cityCode\n110105001,\"建外街道\",110105,11,1101\n");
    put_gz("code,name,streetCode,provinceCode,cityCode,areaCode\n"
           "110105001001,\"永安里社区居委会\",110105001,11,1101,110105\n"
           "110105001002,\"某林场生活区\",110105001,11,1101,110105\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void put(const std::string& name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }
  void put_gz(const std::string& text) {
    gzFile f = gzopen((dir_ / "villages.csv.gz").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
  }
  std::string error_of_load() {
    try {
      Divisions::load(dir_.string());
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(TinyDir, LoadsAllFiveFiles) {
  const Divisions d = Divisions::load(dir_.string());
  ASSERT_EQ(d.areas().size(), 2u);
  EXPECT_EQ(d.villages_read(), 2);
  EXPECT_EQ(d.communities(), 1);
  ASSERT_EQ(d.areas()[0].communities.size(), 1u);
  EXPECT_EQ(d.areas()[0].communities[0], "永安里社区");
  EXPECT_EQ(d.areas()[0].streets.size(), 1u);
  EXPECT_EQ(d.city_of(d.areas()[0]).name, "北京市");
  const Divisions no_villages = Divisions::load(dir_.string(), DivisionsOptions{false});
  EXPECT_EQ(no_villages.villages_read(), 0);
  EXPECT_TRUE(no_villages.areas()[0].communities.empty());
}

TEST_F(TinyDir, DanglingParentNamesFileAndLine) {
  put("areas.csv", "code,name,cityCode,provinceCode\n110105,\"朝阳区\",1101,11\n130102,\"长安区\",1399,13\n");
  const std::string msg = error_of_load();
  EXPECT_NE(msg.find("areas.csv:3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("1399"), std::string::npos) << msg;
}

TEST_F(TinyDir, BadRowsAndHeadersThrow) {
  put("cities.csv", "code,name,provinceCode\n1101,\"市辖区\",11\n1301,\"石家庄市\n");
  EXPECT_NE(error_of_load().find("cities.csv:3: unterminated"), std::string::npos) << error_of_load();
  put("cities.csv", "code,name,provinceCode\n1101,\"市辖区\"\n");
  EXPECT_NE(error_of_load().find("cities.csv:2: 2 fields"), std::string::npos) << error_of_load();
  put("cities.csv", "id,name,provinceCode\n");
  EXPECT_NE(error_of_load().find("cities.csv:1: header"), std::string::npos) << error_of_load();
  put("cities.csv", "code,name,provinceCode\n11x1,\"市辖区\",11\n");
  EXPECT_NE(error_of_load().find("cities.csv:2: column 1: bad code"), std::string::npos) << error_of_load();
  put("cities.csv", "code,name,provinceCode\n1101,\"市辖区\",11\n1301,\"石家庄市\",13\n");
  EXPECT_EQ(error_of_load(), "");
  fs::remove(dir_ / "streets.csv");
  EXPECT_NE(error_of_load().find("streets.csv"), std::string::npos);
}

TEST_F(TinyDir, CorruptGzipThrows) {
  put("villages.csv.gz", std::string("\x1f\x8b\x08\x00garbage-garbage-garbage", 28));
  EXPECT_NE(error_of_load().find("villages.csv.gz"), std::string::npos) << error_of_load();
}

TEST(Divisions, LoadsQuickly) {
  const auto t0 = std::chrono::steady_clock::now();
  const Divisions d = Divisions::load(MGEO_SOURCE_DIR "/data/divisions");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("load_seconds", std::to_string(s));
  std::printf("divisions loaded in %.3f s\n", s);
  EXPECT_LT(s, 3.0);
}

}  // namespace
}  // namespace mgeo::synth
