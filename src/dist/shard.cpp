#include "mgeo/dist/shard.h"

#include <algorithm>
#include <limits>

#include "mgeo/util/error.h"

namespace mgeo::dist {

Range shard_range(int64_t n, int rank, int world) {
  MGEO_CHECK(n >= 0, "shard_range: negative row count {}", n);
  MGEO_CHECK(world > 0 && rank >= 0 && rank < world, "shard_range: rank {} is outside a world of {}", rank,
             world);
  const int64_t base = n / world;
  const int64_t extra = n % world;
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

Range shard_range_blocks(int64_t n, int rank, int world, int64_t block) {
  MGEO_CHECK(block > 0, "shard_range_blocks: block size must be positive (got {})", block);
  MGEO_CHECK(n >= 0, "shard_range_blocks: negative row count {}", n);
  const Range blocks = shard_range((n + block - 1) / block, rank, world);
  return {std::min(n, blocks.begin * block), std::min(n, blocks.end * block)};
}

std::vector<Range> chunk_ranges(Range r, int64_t chunk) {
  MGEO_CHECK(chunk > 0, "chunk_ranges: chunk size must be positive (got {})", chunk);
  MGEO_CHECK(r.begin <= r.end, "chunk_ranges: inverted range [{}, {})", r.begin, r.end);
  std::vector<Range> out;
  out.reserve(static_cast<size_t>((r.size() + chunk - 1) / chunk));
  for (int64_t b = r.begin; b < r.end; b += std::min(chunk, r.end - b))
    out.push_back({b, b + std::min(chunk, r.end - b)});
  return out;
}

RoundPlan plan_rounds(int64_t n, int world, int64_t max_chunk, int64_t align) {
  MGEO_CHECK(n >= 0, "plan_rounds: negative row count {}", n);
  MGEO_CHECK(world > 0, "plan_rounds: world size must be positive (got {})", world);
  MGEO_CHECK(max_chunk > 0 && align > 0, "plan_rounds: chunk ({}) and alignment ({}) must be positive", max_chunk,
             align);
  const int64_t max_aligned = (max_chunk + align - 1) / align * align;
  RoundPlan p;
  p.n = n, p.align = align, p.world = world;
  p.rounds = std::max<int64_t>(1, (n + max_aligned * world - 1) / (max_aligned * world));
  return p;
}

Range RoundPlan::of(int64_t round, int rank) const {
  MGEO_CHECK(round >= 0 && round < rounds && rank >= 0 && rank < world,
             "RoundPlan: round {} of {}, rank {} of {} is outside the plan", round, rounds, rank, world);
  const int64_t parts = rounds * world;
  MGEO_CHECK(parts <= std::numeric_limits<int>::max(), "RoundPlan: {} chunks are too many", parts);
  return shard_range_blocks(n, static_cast<int>(round * world + rank), static_cast<int>(parts), align);
}

Range RoundPlan::round_rows(int64_t round) const { return {of(round, 0).begin, of(round, world - 1).end}; }

int64_t RoundPlan::max_chunk() const { return of(0, 0).size(); }

}  // namespace mgeo::dist
