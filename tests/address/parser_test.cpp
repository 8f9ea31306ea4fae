#include "mgeo/address/parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "address_fixture.h"
#include "mgeo/address/normalize.h"
#include "mgeo/synth/generator.h"

namespace mgeo::address {
namespace {

using test::parser;

TEST(Parser, ReadsEveryPartOfAFullAddress) {
  const Address a = parser().parse("北京市朝阳区建国路8号SOHO现代城A座1203室");
  EXPECT_EQ(a.province, "北京市");
  EXPECT_EQ(a.city, "北京市");
  EXPECT_EQ(a.district, "朝阳区");
  EXPECT_EQ(a.district_code, 110105u);
  EXPECT_EQ(a.code, 110105u);
  EXPECT_EQ(a.road, "建国路");
  EXPECT_EQ(a.number, "8");
  EXPECT_EQ(a.poi, "SOHO现代城");
  EXPECT_EQ(a.building, "A");
  EXPECT_EQ(a.room, "1203");
  EXPECT_EQ(a.resolution, Resolution::resolved);
  EXPECT_EQ(a.status, Status::ok);
}

TEST(Parser, FillsDivisionsThatAFinerOneImplies) {
  const Address a = parser().parse("宁波鄞州四明中路");
  EXPECT_EQ(a.province, "浙江省");
  EXPECT_EQ(a.city, "宁波市");
  EXPECT_EQ(a.district, "鄞州区");
  EXPECT_EQ(a.road, "四明中路");
  EXPECT_EQ(a.inferred, kProvinceInferred);
  const Address b = parser().parse("闵行七莘路1839弄5号");
  EXPECT_EQ(b.province, "上海市");
  EXPECT_EQ(b.district, "闵行区");
  EXPECT_EQ(b.road, "七莘路1839弄");
  EXPECT_EQ(b.number, "5");
  const Address c = parser().parse("内蒙古锡林郭勒盟锡林浩特市");
  EXPECT_EQ(c.province, "内蒙古自治区");
  EXPECT_EQ(c.city, "锡林郭勒盟");
  EXPECT_EQ(c.district, "锡林浩特市");
  const Address d = parser().parse("湖北恩施州恩施市舒家湾路");
  EXPECT_EQ(d.city, "恩施土家族苗族自治州");
  EXPECT_EQ(d.district, "恩施市");
  EXPECT_EQ(d.road, "舒家湾路");
}

TEST(Parser, ReportsAmbiguityInsteadOfGuessing) {
  const Address a = parser().parse("朝阳区建国路88号");
  EXPECT_EQ(a.resolution, Resolution::ambiguous);
  EXPECT_EQ(a.province, "");
  EXPECT_EQ(a.city, "");
  EXPECT_EQ(a.district, "朝阳区");  // the name both readings share
  EXPECT_EQ(a.district_code, 0u);
  EXPECT_EQ(a.district_candidates, (std::vector<uint64_t>{110105, 220104}));
  EXPECT_EQ(a.road, "建国路");
  // The city resolves it, and so does a town only one of them has.
  const Address b = parser().parse("长春朝阳区建国路88号");
  EXPECT_EQ(b.resolution, Resolution::resolved);
  EXPECT_EQ(b.province, "吉林省");
  EXPECT_EQ(b.district_code, 220104u);
  const Address c = parser().parse("宁波江北区人民路3#楼");
  EXPECT_EQ(c.district_code, 330205u);
  EXPECT_EQ(c.building, "3");
  EXPECT_EQ(parser().parse("江北区人民路").resolution, Resolution::ambiguous);
}

TEST(Parser, ReadsDivisionLikeWordsInRoadNamesAsRoads) {
  for (const char* road : {"长安南路", "中山东路", "北京中路", "南京西路", "朝阳北路", "中山五路", "长安街"}) {
    const Address a = parser().parse(std::string(road) + "12号");
    EXPECT_EQ(a.road, road);
    EXPECT_EQ(a.district, "") << road;
    EXPECT_EQ(a.resolution, Resolution::none) << road;
    EXPECT_EQ(a.number, "12");
  }
  const Address a = parser().parse("上海市南京西路1266号");
  EXPECT_EQ(a.province, "上海市");
  EXPECT_EQ(a.road, "南京西路");
  // Roads named by numbers (五四路, 五一路) and bare direction streets after a district
  // (城中|南大街) do not swallow the division before them.
  const Address c = parser().parse("福建福州鼓楼五四路158号环球广场");
  EXPECT_EQ(c.district, "鼓楼区");
  EXPECT_EQ(c.road, "五四路");
  EXPECT_EQ(parser().parse("福州五一路1号").city, "福州市");
  const Address d = parser().parse("西宁城中南大街十二号");
  EXPECT_EQ(d.district, "城中区");
  EXPECT_EQ(d.road, "南大街");
  EXPECT_EQ(parser().parse("科技南十二路").road, "科技南十二路");
  const Address b = parser().parse("西安长安南路88号");
  EXPECT_EQ(b.city, "西安市");
  EXPECT_EQ(b.district, "");
  EXPECT_EQ(b.road, "长安南路");
}

TEST(Parser, ReadsNumbersAsPeopleTypeThem) {
  EXPECT_EQ(parser().parse("建国路三五七号").number, "357");
  EXPECT_EQ(parser().parse("建国路一百零八号").number, "108");
  EXPECT_EQ(parser().parse("建国路８８号").number, "88");
  EXPECT_EQ(parser().parse("建国路8#").number, "8");
  EXPECT_EQ(parser().parse("建国路768-4号").number, "768-4");
  const Address a = parser().parse("万科城市花园3-2-301");
  EXPECT_EQ(a.poi, "万科城市花园");
  EXPECT_EQ(a.building, "3");
  EXPECT_EQ(a.unit, "2");
  EXPECT_EQ(a.room, "301");
  const Address b = parser().parse("体育西路1号（天河城）B座12楼附近");
  EXPECT_EQ(b.poi, "天河城");
  EXPECT_EQ(b.building, "B");
  EXPECT_EQ(b.floor, "12");
  const Address c = parser().parse("成都市武侯区人民南路三段17号");
  EXPECT_EQ(c.road, "人民南路三段");
}

TEST(Parser, SkipsALabelAndTheCountry) {
  for (const char* text : {"收货地址：浙江省杭州市西湖区文一西路969号", "地址:中国浙江省杭州市西湖区文一西路969号"}) {
    const Address a = parser().parse(text);
    EXPECT_EQ(a.district_code, 330106u) << text;
    EXPECT_EQ(a.road, "文一西路") << text;
  }
}

TEST(Parser, FlagsTextItCannotRead) {
  EXPECT_EQ(parser().parse("").status, Status::empty_address);
  EXPECT_EQ(parser().parse("  ，。").status, Status::empty_address);
  EXPECT_EQ(parser().parse("建国路\xff 8号").status, Status::invalid_utf8);
  EXPECT_EQ(parser().parse(std::string("建国路\0 8号", 14)).status, Status::nul_byte);
  const Address a = parser().parse("建国路\xc0\xaf");  // overlong '/'
  EXPECT_EQ(a.status, Status::invalid_utf8);
  EXPECT_EQ(a.road, "");
}

TEST(Parser, NeverThrowsOnRandomBytesOrText) {
  std::mt19937 rng(3);
  const std::vector<std::string> pieces = {"北京", "朝阳", "区", "路", "号", "栋", "单元", "室", "(", ")",
                                           "#", "-", "8", "Ａ", "一", "十", "弄", "段", "村", "组", " "};
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 16);
    for (int k = 0; k < n; ++k) {
      if (i % 2) s.push_back(static_cast<char>(rng() & 0xFF));
      else s += pieces[rng() % pieces.size()];
    }
    EXPECT_NO_THROW(parser().parse(s)) << s;
  }
}

// parse(normalize(x)) == parse(x), over the hand-written set and generated addresses.
TEST(Parser, ReadsNormalizedTextTheSame) {
  std::vector<std::string> inputs;
  for (const auto& row : test::handwritten_set()) inputs.push_back(row.text);
  const synth::Generator gen(test::divisions(), 12);
  for (uint64_t i = 0; i < 3000; ++i) inputs.push_back(gen.make(i).addr1);
  int failures = 0;
  for (const std::string& x : inputs) {
    const std::string d = test::differences(parser().parse(x), parser().parse(normalize(x)));
    if (!d.empty() && ++failures <= 10) ADD_FAILURE() << x << ": " << d;
  }
  EXPECT_EQ(failures, 0);
}

// Generated addresses know their parts: the parser must find them in every surface form
// the generator writes (short names, dropped divisions, full width, Chinese numerals,
// building forms, spaces). A district counts when resolved to the right code, or reported
// ambiguous with the right code among its candidates (朝阳 written alone).
TEST(Parser, RecoversGeneratedAddresses) {
  const auto& d = test::divisions();
  const synth::Generator gen(d, 7);
  int n = 0, district = 0, road = 0, number = 0, building = 0, unit = 0, room = 0;
  for (uint64_t i = 0; i < 10000; ++i) {
    const synth::Pair p = gen.make(i);
    for (const auto& [truth, text] : {std::pair(&p.a, &p.addr1), std::pair(&p.b, &p.addr2)}) {
      const Address a = parser().parse(*text);
      const uint64_t code = d.areas()[static_cast<std::size_t>(truth->area)].code;
      const auto& cand = a.district_candidates;
      const std::string bld = truth->building == 0 ? ""
                              : truth->office     ? std::string(1, static_cast<char>('A' + (truth->building - 1) % 26))
                                                  : std::to_string(truth->building);
      ++n;
      district += a.district_code == code || std::find(cand.begin(), cand.end(), code) != cand.end();
      road += a.road == truth->road();
      number += a.number == std::to_string(truth->number);
      building += a.building == bld;
      unit += a.unit == (truth->unit ? std::to_string(truth->unit) : "");
      room += a.room == (truth->room ? std::to_string(truth->room) : "");
    }
  }
  const double floor = 0.995 * n;
  EXPECT_GE(district, floor) << district << " of " << n;
  EXPECT_GE(road, floor) << road << " of " << n;
  EXPECT_GE(number, floor) << number << " of " << n;
  EXPECT_GE(building, floor) << building << " of " << n;
  EXPECT_GE(unit, floor) << unit << " of " << n;
  EXPECT_GE(room, floor) << room << " of " << n;
  std::printf("generated addresses (%d): district %.4f road %.4f number %.4f building %.4f unit %.4f room %.4f\n", n,
              double(district) / n, double(road) / n, double(number) / n, double(building) / n, double(unit) / n,
              double(room) / n);
}

}  // namespace
}  // namespace mgeo::address
