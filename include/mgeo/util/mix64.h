// mgeo/util/mix64.h — splitmix64, defined bit for bit (portable across standard libraries).
// Contract: pure constexpr functions; the same input gives the same output everywhere.
#pragma once

#include <cstdint>

namespace mgeo {

// The splitmix64 finaliser: a bijective 64-bit mix.
constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// One splitmix64 step from state x: advance by the golden-ratio increment, then mix.
constexpr uint64_t splitmix64(uint64_t x) { return mix64(x + 0x9E3779B97F4A7C15ULL); }

}  // namespace mgeo
