// mgeo/dist/shard.h — static partitioning of row ranges over ranks and into chunks.
//
// Contract: pure functions. shard_range splits [0, n) into `world` contiguous ranges in
// rank order whose sizes differ by at most one (the first n % world ranks get the extra
// row); together they cover [0, n) exactly once. shard_range_blocks does the same in
// whole blocks of rows. chunk_ranges cuts a range into
// consecutive pieces of `chunk` rows (the last may be shorter). plan_rounds deals
// [0, n) out in rounds: round k gives chunk k * world + r to rank r, so each round's
// chunks are consecutive in input order and a round's results can be written as soon as
// it is gathered. Invalid arguments throw mgeo::Error.
#pragma once

#include <cstdint>
#include <vector>

namespace mgeo::dist {

// Half-open row range [begin, end).
struct Range {
  int64_t begin = 0;
  int64_t end = 0;

  int64_t size() const { return end - begin; }
  friend bool operator==(const Range& a, const Range& b) { return a.begin == b.begin && a.end == b.end; }
};

// Rank `rank`'s share of [0, n). Requires n >= 0 and 0 <= rank < world.
Range shard_range(int64_t n, int rank, int world);

// Rank `rank`'s share of [0, n) in whole blocks of `block` rows: the ceil(n / block)
// blocks are split as shard_range splits rows, so every boundary but n is a multiple of
// `block`. Work planned per block (length sorting, batching) is then the same whatever
// the world size. Requires block > 0.
Range shard_range_blocks(int64_t n, int rank, int world, int64_t block);

// [0, n) in `rounds` rounds of `world` chunks: chunk c = round * world + rank holds the
// rows shard_range_blocks(n, c, rounds * world, align) gives it, so chunk sizes differ
// by at most one block and every chunk starts on a multiple of align.
struct RoundPlan {
  int64_t n = 0;
  int64_t align = 1;
  int64_t rounds = 0;
  int world = 1;

  // Rank `rank`'s rows in round `round` (possibly empty).
  Range of(int64_t round, int rank) const;
  // The rows of round `round`, its chunks back to back in rank order.
  Range round_rows(int64_t round) const;
  // The largest chunk, in rows.
  int64_t max_chunk() const;
};

// The fewest rounds (at least one) whose chunks hold at most max_chunk rows rounded up to
// a multiple of align. Ranks' totals then differ by at most one block plus the last
// block's shortfall. Requires n >= 0, world > 0, max_chunk > 0, align > 0.
RoundPlan plan_rounds(int64_t n, int world, int64_t max_chunk, int64_t align);

// `r` cut into pieces of `chunk` rows, in order; empty if r is empty. Requires chunk > 0.
std::vector<Range> chunk_ranges(Range r, int64_t chunk);

}  // namespace mgeo::dist
