// A rank's pieces of input, read and tokenized in order (internal to src/pipeline).
#pragma once

#include <future>
#include <utility>
#include <vector>

#include "mgeo/dist/shard.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/pipeline/metrics.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"
#include "shard_scorer.h"

namespace mgeo::pipeline::detail {

// A rank's pieces in order. With prefetch, the next piece is read and tokenized on a
// thread of its own (one core) while the current one is scored, so the host work hides
// behind the forward pass; without it, take() reads and tokenizes on the intra-op threads.
class PieceSource {
 public:
  PieceSource(io::PairSource& source, const ShardScorer& scorer, std::vector<dist::Range> order, bool prefetch,
              RankMetrics& m)
      : source_(source), scorer_(scorer), order_(std::move(order)), prefetch_(prefetch), m_(m) {}
  ~PieceSource() {
    if (next_.valid()) next_.wait();
  }

  // The prepared rows of `piece`, which must be the next in order.
  ShardScorer::Prepared take(dist::Range piece) {
    MGEO_CHECK(at_ < order_.size() && order_[at_] == piece, "pieces taken out of order");
    Fetched f = next_.valid() ? next_.get() : fetch(piece, /*parallel=*/true);
    ++at_;
    if (prefetch_ && at_ < order_.size())
      next_ = std::async(std::launch::async, [this, p = order_[at_]] { return fetch(p, /*parallel=*/false); });
    m_.read_s += f.read_s;
    return std::move(f.prepared);
  }

 private:
  struct Fetched {
    ShardScorer::Prepared prepared;
    double read_s = 0;
  };
  Fetched fetch(dist::Range piece, bool parallel) {
    Stopwatch sw;
    auto rows = source_.read(piece.begin, piece.end);
    Fetched f;
    f.read_s = sw.seconds();
    f.prepared = scorer_.prepare(std::move(rows), parallel);
    return f;
  }

  io::PairSource& source_;
  const ShardScorer& scorer_;
  std::vector<dist::Range> order_;
  size_t at_ = 0;
  bool prefetch_;
  RankMetrics& m_;
  std::future<Fetched> next_;
};

}  // namespace mgeo::pipeline::detail
