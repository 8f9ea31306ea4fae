#include "mgeo/address/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "address_fixture.h"
#include "mgeo/synth/generator.h"

namespace mgeo::address {
namespace {

TEST(Normalize, WritesOneFormOfEachThing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"北京朝阳建国路８８号", "北京朝阳建国路88号"},                 // full-width digits
      {"ＳＯＨＯ现代城Ａ座", "SOHO现代城A座"},                         // full-width letters
      {"建国路 8 号 金地SOHO  A座", "建国路8号金地SOHO A座"},          // spaces; one kept between letters
      {"建国路三五七号", "建国路357号"},                               // digit by digit
      {"建国路一百零八号", "建国路108号"},                             // positional
      {"建国路十八号二十三号楼二单元三零一室", "建国路18号23栋2单元301室"},
      {"第三栋", "3栋"},
      {"3#楼", "3栋"},
      {"建国路8#", "建国路8号"},
      {"3号楼", "3栋"}, {"3幢", "3栋"}, {"3座", "3栋"}, {"A栋", "A座"}, {"a幢", "a座"}, {"A座", "A座"},
      {"8号3楼", "8号3楼"},                                             // a floor stays a floor
      {"十二楼", "12楼"},
      {"中山二路", "中山二路"},                                         // numerals inside names stay
      {"科技南十二路二期", "科技南十二路二期"},
      {"768－4号", "768-4号"},
      {"768—4号", "768-4号"},
      {"体育西路1号附近", "体育西路1号"},
      {"体育西路1号门口。", "体育西路1号"},
      {"万科花园3栋旁边", "万科花园3栋"},
      {"万科花园3栋 张三收", "万科花园3栋张三"},
      {"建国路8号（SOHO现代城）", "建国路8号(SOHO现代城)"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(normalize(in), want) << in;
}

TEST(Normalize, LeavesInvalidUtf8Unchanged) {
  const std::string bad = "建国路\xff\xfe 8号";
  EXPECT_EQ(normalize(bad), bad);
}

TEST(Normalize, ChineseNumeralValues) {
  const std::vector<std::pair<std::u32string, int64_t>> cases = {
      {U"三五七", 357}, {U"一零八", 108}, {U"一百零八", 108}, {U"十八", 18}, {U"二十", 20},
      {U"十", 10},      {U"两千", 2000},  {U"一千零八十", 1080}, {U"九十九", 99}, {U"〇", 0},
      {U"一二十", -1},  {U"十十", -1},    {U"百", -1},       {U"一百零", -1}, {U"", -1}, {U"八a", -1}};
  for (const auto& [run, want] : cases) EXPECT_EQ(chinese_numeral_value(run), want);
}

// normalize(normalize(x)) == normalize(x) on the hand-written set, generated addresses and
// random strings over the characters the rules look at.
TEST(Normalize, IsIdempotent) {
  std::vector<std::string> inputs;
  for (const auto& row : test::handwritten_set()) inputs.push_back(row.text);
  const synth::Generator gen(test::divisions(), 11);
  for (uint64_t i = 0; i < 5000; ++i) {
    const synth::Pair p = gen.make(i);
    inputs.push_back(p.addr1);
    inputs.push_back(p.addr2);
  }
  const std::vector<std::string> alphabet = {
      "一", "二", "两", "十", "百", "千", "零", "第", "号", "楼", "栋", "幢", "座", "单元", "室", "层", "弄",
      "组", "#", "＃", "-", "－", "—", " ", "　", "3", "８", "A", "ａ", "附近", "门口", "收", "，", ".", "路",
      "(", "）", "中", "山", "村"};
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    inputs.push_back(s);
  }
  int failures = 0;
  for (const std::string& x : inputs) {
    const std::string once = normalize(x);
    const std::string twice = normalize(once);
    if (once != twice && ++failures <= 10) ADD_FAILURE() << "'" << x << "' -> '" << once << "' -> '" << twice << "'";
  }
  EXPECT_EQ(failures, 0) << "of " << inputs.size();
}

}  // namespace
}  // namespace mgeo::address
