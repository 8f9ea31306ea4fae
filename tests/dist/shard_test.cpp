#include "mgeo/dist/shard.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "mgeo/util/error.h"

namespace mgeo::dist {
namespace {

// Checks every property of a partition of [0, n) over `world` ranks.
void expect_balanced_partition(int64_t n, int world) {
  SCOPED_TRACE(testing::Message() << "n=" << n << " world=" << world);
  int64_t next = 0;
  const int64_t base = n / world;
  for (int rank = 0; rank < world; ++rank) {
    const Range r = shard_range(n, rank, world);
    EXPECT_EQ(r.begin, next) << "rank " << rank;  // in order, no gap, no overlap
    EXPECT_EQ(r.size(), base + (rank < n % world ? 1 : 0)) << "rank " << rank;
    next = r.end;
  }
  EXPECT_EQ(next, n);
}

TEST(ShardRange, PartitionsEveryCombination) {
  for (int64_t n = 0; n <= 64; ++n)
    for (int world = 1; world <= 17; ++world) expect_balanced_partition(n, world);
}

TEST(ShardRange, LargeCounts) {
  expect_balanced_partition(int64_t{1} << 40, 7);
  expect_balanced_partition((int64_t{1} << 62) + 5, 1000);
  expect_balanced_partition(3'000'000'017, 2048);
}

TEST(ShardRange, ExactValues) {
  EXPECT_EQ(shard_range(10, 0, 3), (Range{0, 4}));
  EXPECT_EQ(shard_range(10, 1, 3), (Range{4, 7}));
  EXPECT_EQ(shard_range(10, 2, 3), (Range{7, 10}));
  EXPECT_EQ(shard_range(2, 3, 4), (Range{2, 2}));
  EXPECT_EQ(shard_range(0, 0, 1), (Range{0, 0}));
}

TEST(ShardRangeBlocks, PartitionsOnBlockBoundaries) {
  for (int64_t n = 0; n <= 70; ++n)
    for (int world = 1; world <= 9; ++world)
      for (int64_t block : {1, 3, 8, 64, 100}) {
        SCOPED_TRACE(testing::Message() << "n=" << n << " world=" << world << " block=" << block);
        const int64_t blocks = (n + block - 1) / block;
        int64_t next = 0;
        for (int rank = 0; rank < world; ++rank) {
          const Range r = shard_range_blocks(n, rank, world, block);
          EXPECT_EQ(r.begin, next);
          EXPECT_TRUE(r.begin % block == 0 || r.begin == n);
          EXPECT_TRUE(r.end % block == 0 || r.end == n);
          // Whole blocks split like rows: counts differ by at most one block.
          const int64_t mine = (r.size() + block - 1) / block;
          EXPECT_EQ(mine, shard_range(blocks, rank, world).size());
          next = r.end;
        }
        EXPECT_EQ(next, n);
      }
}

TEST(ShardRangeBlocks, ExactValues) {
  EXPECT_EQ(shard_range_blocks(506, 0, 3, 64), (Range{0, 192}));
  EXPECT_EQ(shard_range_blocks(506, 1, 3, 64), (Range{192, 384}));
  EXPECT_EQ(shard_range_blocks(506, 2, 3, 64), (Range{384, 506}));
  EXPECT_EQ(shard_range_blocks(10, 1, 2, 64), (Range{10, 10}));  // one block: rank 1 idles
  EXPECT_THROW(shard_range_blocks(10, 0, 1, 0), Error);
}

TEST(ShardRange, RejectsBadArguments) {
  EXPECT_THROW(shard_range(10, -1, 3), Error);
  EXPECT_THROW(shard_range(10, 3, 3), Error);
  EXPECT_THROW(shard_range(10, 0, 0), Error);
  EXPECT_THROW(shard_range(-1, 0, 1), Error);
}

TEST(ChunkRanges, CutsInOrder) {
  EXPECT_EQ(chunk_ranges({3, 13}, 4), (std::vector<Range>{{3, 7}, {7, 11}, {11, 13}}));
  EXPECT_EQ(chunk_ranges({0, 8}, 4), (std::vector<Range>{{0, 4}, {4, 8}}));
  EXPECT_EQ(chunk_ranges({5, 6}, 100), (std::vector<Range>{{5, 6}}));
  EXPECT_TRUE(chunk_ranges({7, 7}, 3).empty());
}

TEST(ChunkRanges, CoversEveryShard) {
  for (int64_t chunk = 1; chunk <= 9; ++chunk) {
    const Range r = shard_range(100, 2, 7);
    int64_t next = r.begin;
    for (const Range& c : chunk_ranges(r, chunk)) {
      EXPECT_EQ(c.begin, next);
      EXPECT_GT(c.size(), 0);
      EXPECT_LE(c.size(), chunk);
      next = c.end;
    }
    EXPECT_EQ(next, r.end);
  }
}

TEST(ChunkRanges, RejectsBadArguments) {
  EXPECT_THROW(chunk_ranges({0, 10}, 0), Error);
  EXPECT_THROW(chunk_ranges({0, 10}, -2), Error);
  EXPECT_THROW(chunk_ranges({10, 0}, 2), Error);
}

}  // namespace
}  // namespace mgeo::dist
