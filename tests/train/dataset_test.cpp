#include "mgeo/train/dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "mgeo/util/error.h"

namespace mgeo::train {
namespace {

TEST(EpochOrder, PermutationFixedBySeedAndEpoch) {
  const auto a = epoch_order(1000, 7, 0);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> iota(1000);
  std::iota(iota.begin(), iota.end(), 0);
  EXPECT_EQ(sorted, iota);
  EXPECT_NE(a, iota);
  EXPECT_EQ(a, epoch_order(1000, 7, 0));
  EXPECT_NE(a, epoch_order(1000, 7, 1));
  EXPECT_NE(a, epoch_order(1000, 8, 0));
  EXPECT_TRUE(epoch_order(0, 1, 0).empty());
}

// The ranks' slices of every global batch tile the epoch exactly, whatever the world.
TEST(RankSlice, SlicesTileEachGlobalBatch) {
  for (int64_t n : {1, 7, 64, 100}) {
    for (int64_t batch : {1, 5, 16, 200}) {
      for (int world = 1; world <= 5; ++world) {
        int64_t next = 0;
        for (int64_t b = 0; b < steps_per_epoch(n, batch); ++b) {
          for (int r = 0; r < world; ++r) {
            const auto s = rank_slice(n, batch, b, r, world);
            EXPECT_EQ(s.begin, next) << n << " " << batch << " " << world << " " << b << " " << r;
            EXPECT_LE(s.size(), (batch + world - 1) / world);
            next = s.end;
          }
          EXPECT_EQ(next, std::min(n, (b + 1) * batch));
        }
        EXPECT_EQ(next, n);
      }
    }
  }
  EXPECT_THROW(rank_slice(10, 5, 2, 0, 1), Error);
}

}  // namespace
}  // namespace mgeo::train
