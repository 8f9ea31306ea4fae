#include "mgeo/util/utf8.h"

#include <gtest/gtest.h>

namespace {

TEST(Utf8, RoundTripsEveryPlane) {
  for (char32_t cp : {U'A', U'\u00e9', U'\u5317', U'\U0001F600', U'\U0010FFFF'}) {
    std::string s;
    mgeo::utf8::append(s, cp);
    char32_t back = 0;
    EXPECT_EQ(mgeo::utf8::decode(s, 0, &back), s.size());
    EXPECT_EQ(back, cp);
  }
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_EQ(mgeo::utf8::find_invalid("ok\xC3"), 2u);            // truncated
  EXPECT_EQ(mgeo::utf8::find_invalid("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(mgeo::utf8::find_invalid("a\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(mgeo::utf8::find_invalid("\xF4\x90\x80\x80"), 0u);  // > U+10FFFF
  EXPECT_EQ(mgeo::utf8::find_invalid("\x80"), 0u);              // stray continuation
  EXPECT_TRUE(mgeo::utf8::valid("北京市朝阳区建国路8号"));
}

}  // namespace
