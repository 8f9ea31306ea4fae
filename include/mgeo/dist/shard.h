// mgeo/dist/shard.h — static partitioning of row ranges over ranks and into chunks.
//
// Contract: pure functions. shard_range splits [0, n) into `world` contiguous ranges in
// rank order whose sizes differ by at most one (the first n % world ranks get the extra
// row); together they cover [0, n) exactly once. shard_range_blocks does the same in
// whole blocks of rows. chunk_ranges cuts a range into
// consecutive pieces of `chunk` rows (the last may be shorter). Invalid arguments throw
// mgeo::Error.
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

// `r` cut into pieces of `chunk` rows, in order; empty if r is empty. Requires chunk > 0.
std::vector<Range> chunk_ranges(Range r, int64_t chunk);

}  // namespace mgeo::dist
