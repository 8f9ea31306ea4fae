// mgeo/synth/rng.h — a small counter-based random generator for the address synthesiser.
//
// Contract: Rng(seed, stream) starts a splitmix64 sequence fixed by (seed, stream) alone,
// so item i of a data set can be made from (seed, i) on any thread in any order. Every
// draw is defined bit for bit here (no <random> distributions, whose results differ
// between standard libraries). Value type; one Rng per thread.
#pragma once

#include <cstdint>

#include "mgeo/util/mix64.h"

namespace mgeo::synth {

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) : state_(mix64(seed + 0x6A09E667F3BCC909ULL) ^ mix64(~stream)) {}

  uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix64(state_);
  }
  // Uniform in [0, n); n > 0. Lemire's multiply-shift with rejection: exactly uniform.
  uint32_t below(uint32_t n) {
    uint64_t m = (next() >> 32) * n;
    if (static_cast<uint32_t>(m) < n) {
      const uint32_t threshold = static_cast<uint32_t>(-n) % n;
      while (static_cast<uint32_t>(m) < threshold) m = (next() >> 32) * n;
    }
    return static_cast<uint32_t>(m >> 32);
  }
  // Uniform in [lo, hi]; lo <= hi.
  int32_t range(int32_t lo, int32_t hi) { return lo + static_cast<int32_t>(below(static_cast<uint32_t>(hi - lo) + 1)); }
  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <class C>
  const auto& pick(const C& items) {
    return items[below(static_cast<uint32_t>(items.size()))];
  }

 private:
  uint64_t state_;
};

}  // namespace mgeo::synth
