#include <gtest/gtest.h>

#include "mgeo/text/tokenizer.h"

namespace mgeo::text {
namespace {

using Lengths = std::pair<std::size_t, std::size_t>;

// The table of tokenizers' own truncate_encodings_longest_first test (max_length 7).
TEST(TruncateLongestFirst, MatchesTokenizersTable) {
  const std::size_t empty = 0, shrt = 2, medium = 4, lng = 8;
  EXPECT_EQ(truncate_longest_first(empty, empty, 7), Lengths(0, 0));
  EXPECT_EQ(truncate_longest_first(empty, shrt, 7), Lengths(0, 2));
  EXPECT_EQ(truncate_longest_first(empty, medium, 7), Lengths(0, 4));
  EXPECT_EQ(truncate_longest_first(empty, lng, 7), Lengths(0, 7));
  EXPECT_EQ(truncate_longest_first(shrt, empty, 7), Lengths(2, 0));
  EXPECT_EQ(truncate_longest_first(shrt, shrt, 7), Lengths(2, 2));
  EXPECT_EQ(truncate_longest_first(shrt, medium, 7), Lengths(2, 4));
  EXPECT_EQ(truncate_longest_first(shrt, lng, 7), Lengths(2, 5));
  EXPECT_EQ(truncate_longest_first(medium, empty, 7), Lengths(4, 0));
  EXPECT_EQ(truncate_longest_first(medium, shrt, 7), Lengths(4, 2));
  EXPECT_EQ(truncate_longest_first(medium, medium, 7), Lengths(3, 4));
  EXPECT_EQ(truncate_longest_first(medium, lng, 7), Lengths(3, 4));
  EXPECT_EQ(truncate_longest_first(lng, empty, 7), Lengths(7, 0));
  EXPECT_EQ(truncate_longest_first(lng, shrt, 7), Lengths(5, 2));
  EXPECT_EQ(truncate_longest_first(lng, medium, 7), Lengths(4, 3));
  EXPECT_EQ(truncate_longest_first(lng, lng, 7), Lengths(3, 4));
}

TEST(TruncateLongestFirst, ZeroBudgetEmptiesBoth) {
  EXPECT_EQ(truncate_longest_first(0, 2, 0), Lengths(0, 0));
  EXPECT_EQ(truncate_longest_first(4, 4, 0), Lengths(0, 0));
}

TEST(TruncateLongestFirst, EvenSplitGivesTheOddTokenToTheLonger) {
  EXPECT_EQ(truncate_longest_first(10, 20, 13), Lengths(6, 7));
  EXPECT_EQ(truncate_longest_first(20, 10, 13), Lengths(7, 6));
  EXPECT_EQ(truncate_longest_first(20, 20, 13), Lengths(6, 7));  // a tie: b counts as longer
  EXPECT_EQ(truncate_longest_first(3, 200, 13), Lengths(3, 10));
}

TEST(TruncateLongestFirst, FitsTheBudgetAndNeverGrows) {
  for (std::size_t budget = 0; budget < 20; ++budget) {
    for (std::size_t a = 0; a < 25; ++a) {
      for (std::size_t b = 0; b < 25; ++b) {
        const auto [na, nb] = truncate_longest_first(a, b, budget);
        ASSERT_LE(na, a);
        ASSERT_LE(nb, b);
        if (a + b <= budget) {
          ASSERT_EQ(Lengths(na, nb), Lengths(a, b));
        } else {
          ASSERT_EQ(na + nb, budget) << a << " " << b << " " << budget;
        }
      }
    }
  }
}

}  // namespace
}  // namespace mgeo::text
