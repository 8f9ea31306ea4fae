#include "mgeo/util/seen_set.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace mgeo {
namespace {

TEST(SeenSet, FirstInsertTrueRepeatsFalse) {
  SeenSet s;
  EXPECT_TRUE(s.insert("a"));
  EXPECT_TRUE(s.insert(""));
  EXPECT_FALSE(s.insert("a"));
  EXPECT_FALSE(s.insert(""));
  EXPECT_TRUE(s.insert("b"));
  EXPECT_EQ(s.size(), 3u);
}

TEST(SeenSet, AgreesWithAnExactSetThroughGrowth) {
  SeenSet s;
  std::unordered_set<std::string> exact;
  for (int i = 0; i < 200000; ++i) {
    const std::string id = "p" + std::to_string((i * 7919) % 150000);  // 50,000 repeats
    ASSERT_EQ(s.insert(id), exact.insert(id).second) << id;
  }
  EXPECT_EQ(s.size(), exact.size());
}

TEST(SeenSet, ReserveKeepsWhatWasSeen) {
  SeenSet s;
  EXPECT_TRUE(s.insert("a"));
  s.reserve(100000);
  EXPECT_FALSE(s.insert("a"));
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(s.insert(std::to_string(i)));
  EXPECT_EQ(s.size(), 100001u);
}

TEST(SeenSet, HashIsFixed) {
  // Pinned values: the hash must not change between builds or platforms.
  EXPECT_EQ(SeenSet::hash(""), mix64(0xCBF29CE484222325ULL));
  EXPECT_NE(SeenSet::hash("ab"), SeenSet::hash("ba"));
  EXPECT_NE(SeenSet::hash(std::string_view("a\0", 2)), SeenSet::hash("a"));
}

}  // namespace
}  // namespace mgeo
