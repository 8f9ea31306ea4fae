// The score engine's progress line (internal to src/pipeline).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "mgeo/util/timer.h"

namespace mgeo::pipeline::detail {

// Rank 0's progress line: its own shard stands in for the whole job (shards are balanced).
class Progress {
 public:
  Progress(bool on, int64_t total, double every) : on_(on), total_(total), every_(every) {}
  void update(int64_t done) {
    if (!on_ || every_ <= 0 || since_.seconds() < every_) return;
    since_.lap();
    const double rate = done / std::max(1e-9, clock_.seconds());
    const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
    fmt::print(stderr, "score: rank 0 {}/{} rows ({:.1f}%), {:.1f} pairs/s, ETA {:.0f}s\n", done, total_,
               100.0 * done / std::max<int64_t>(1, total_), rate, eta);
  }

 private:
  bool on_;
  int64_t total_;
  double every_;
  Stopwatch clock_, since_;
};

}  // namespace mgeo::pipeline::detail
