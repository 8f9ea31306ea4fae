#include "mgeo/address/compare.h"

#include <gtest/gtest.h>

#include "address_fixture.h"

namespace mgeo::address {
namespace {

Comparison cmp(const char* a, const char* b) { return compare(test::parser().parse(a), test::parser().parse(b)); }

TEST(Compare, NamesWhatDiffers) {
  const Comparison n = cmp("广州市天河区体育西路388号", "广州市天河区体育西路383号");
  EXPECT_EQ(n[Field::number], Match::conflict);
  EXPECT_EQ(n[Field::road], Match::equal);
  EXPECT_EQ(n[Field::district], Match::equal);
  EXPECT_EQ(cmp("中山二路8号", "中山三路8号")[Field::road], Match::conflict);
  const Comparison d = cmp("广州市天河区体育西路1号", "广州市越秀区体育西路1号");
  EXPECT_EQ(d[Field::district], Match::conflict);
  EXPECT_EQ(d[Field::city], Match::equal);
  EXPECT_EQ(d[Field::number], Match::equal);
  EXPECT_EQ(cmp("建国路8号", "建国路88号")[Field::number], Match::conflict);
  EXPECT_EQ(cmp("金地大厦A座", "金地大厦B座")[Field::building], Match::conflict);
}

TEST(Compare, DivisionsByCode) {
  const Comparison c = cmp("杭州西湖区文一西路969号", "浙江省杭州市西湖区文一西路969号");
  EXPECT_EQ(c[Field::province], Match::equal);  // inferred on one side, written on the other
  EXPECT_EQ(c[Field::city], Match::equal);       // 杭州 and 杭州市
  EXPECT_EQ(c[Field::district], Match::equal);
  EXPECT_EQ(c.count(Match::conflict), 0);
  // A dropped district is missing, not a conflict.
  EXPECT_EQ(cmp("北京市建国路8号", "北京市朝阳区建国路8号")[Field::district], Match::missing);
  // An ambiguous district agrees with any of its candidates and no other.
  EXPECT_EQ(cmp("朝阳区建国路8号", "北京市朝阳区建国路8号")[Field::district], Match::equal);
  EXPECT_EQ(cmp("朝阳区建国路8号", "长春市朝阳区建国路8号")[Field::district], Match::equal);
  EXPECT_EQ(cmp("朝阳区建国路8号", "北京市海淀区建国路8号")[Field::district], Match::conflict);
  EXPECT_EQ(cmp("朝阳区建国路8号", "江北区建国路8号")[Field::district], Match::conflict);
}

TEST(Compare, MissingAndNone) {
  const Comparison c = cmp("建国路8号", "建国路8号3栋");
  EXPECT_EQ(c[Field::building], Match::missing);
  EXPECT_EQ(c[Field::room], Match::none);
  EXPECT_EQ(c[Field::road], Match::equal);
}

// compare(a, a): every field is equal or, where the address lacks it, none.
TEST(Compare, AnAddressEqualsItself) {
  for (const auto& row : test::handwritten_set()) {
    const Address a = test::parser().parse(row.text);
    const Comparison c = compare(a, a);
    for (Field f : kFields) {
      const bool has = !a.get(f).empty() || (f == Field::district && !a.district_candidates.empty());
      EXPECT_EQ(c[f], has ? Match::equal : Match::none) << row.text << " " << field_name(f);
    }
  }
}

}  // namespace
}  // namespace mgeo::address
