#include "mgeo/dist/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// Every property plan_rounds promises, for one (n, world, max_chunk, align).
void expect_round_plan(int64_t n, int world, int64_t max_chunk, int64_t align) {
  SCOPED_TRACE(testing::Message() << "n=" << n << " world=" << world << " max_chunk=" << max_chunk
                                  << " align=" << align);
  const RoundPlan p = plan_rounds(n, world, max_chunk, align);
  const int64_t max_aligned = (max_chunk + align - 1) / align * align;
  ASSERT_GE(p.rounds, 1);
  EXPECT_LE(p.max_chunk(), max_aligned);
  if (p.rounds > 1) EXPECT_GT(n, (p.rounds - 1) * world * max_aligned);  // no fewer rounds would do
  std::vector<int64_t> per_rank(world, 0);
  int64_t next = 0;
  for (int64_t k = 0; k < p.rounds; ++k) {
    EXPECT_EQ(p.round_rows(k).begin, next) << "round " << k;
    for (int r = 0; r < world; ++r) {
      const Range c = p.of(k, r);
      EXPECT_EQ(c.begin, next) << "round " << k << " rank " << r;  // consecutive in input order
      EXPECT_TRUE(c.begin % align == 0 || c.begin == n) << "round " << k << " rank " << r;
      per_rank[r] += c.size();
      next = c.end;
    }
    EXPECT_EQ(p.round_rows(k).end, next) << "round " << k;
  }
  EXPECT_EQ(next, n);
  const auto [lo, hi] = std::minmax_element(per_rank.begin(), per_rank.end());
  EXPECT_LE(*hi - *lo, 2 * align);
}

TEST(PlanRounds, DealsConsecutiveAlignedBalancedChunks) {
  for (int64_t n : {0, 1, 5, 63, 64, 65, 100, 1000, 4097})
    for (int world : {1, 2, 3, 7})
      for (int64_t max_chunk : {1, 16, 100, 5000})
        for (int64_t align : {1, 4, 64}) expect_round_plan(n, world, max_chunk, align);
}

TEST(PlanRounds, ExactValues) {
  // 5M rows, 2 ranks, 65,536-row chunks on 1,024-row windows: 39 rounds of ~64k-row chunks.
  const RoundPlan p = plan_rounds(5'000'000, 2, 65536, 1024);
  EXPECT_EQ(p.rounds, 39);
  EXPECT_EQ(p.of(0, 0), (Range{0, 64512}));
  EXPECT_EQ(p.of(0, 1), (Range{64512, 129024}));
  EXPECT_EQ(p.of(38, 1).end, 5'000'000);
  // Fewer rows than one chunk per rank: one round, split like shard_range_blocks.
  const RoundPlan q = plan_rounds(100, 2, 1000, 7);
  EXPECT_EQ(q.rounds, 1);
  EXPECT_EQ(q.of(0, 0), shard_range_blocks(100, 0, 2, 7));
  EXPECT_EQ(q.of(0, 1), shard_range_blocks(100, 1, 2, 7));
}

TEST(PlanRounds, RejectsBadArguments) {
  EXPECT_THROW(plan_rounds(-1, 2, 10, 1), Error);
  EXPECT_THROW(plan_rounds(10, 0, 10, 1), Error);
  EXPECT_THROW(plan_rounds(10, 2, 0, 1), Error);
  EXPECT_THROW(plan_rounds(10, 2, 10, 0), Error);
  EXPECT_THROW(plan_rounds(10, 2, 10, 1).of(1, 0), Error);
  EXPECT_THROW(plan_rounds(10, 2, 10, 1).of(0, 2), Error);
}

}  // namespace
}  // namespace mgeo::dist
