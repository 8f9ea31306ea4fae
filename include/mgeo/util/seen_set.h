// mgeo/util/seen_set.h — remembers which strings have been seen, in 8 bytes of hash each.
//
// Contract: insert() returns true the first time a string is given and false for every
// repeat. It keeps a 64-bit hash per distinct string (open addressing, load at most 1/2:
// 16 to 32 bytes per string), not the strings, so memory stays small for millions of
// ids; two distinct strings collide with probability about n^2 / 2^65 (under 1e-6 for 5M
// strings), in which case the later one reads as a repeat. Hashes are FNV-1a then
// splitmix64, the same on every platform. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "mgeo/util/mix64.h"

namespace mgeo {

class SeenSet {
 public:
  bool insert(std::string_view s) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    return insert_hash(hash(s));
  }
  std::size_t size() const { return size_; }
  // Sizes the table for n strings at once, so it never grows (and never holds two tables)
  // while they are inserted.
  void reserve(std::size_t n) {
    std::size_t slots = 16;
    while (slots < 2 * (n + 1)) slots *= 2;
    if (slots <= slots_.size()) return;
    std::vector<uint64_t> old(slots, 0);
    old.swap(slots_);
    size_ = 0;
    for (uint64_t h : old)
      if (h != 0) insert_hash(h);
  }

  static uint64_t hash(std::string_view s) {
    uint64_t h = 0xCBF29CE484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
    const uint64_t m = mix64(h ^ s.size());
    return m == 0 ? 1 : m;  // 0 marks an empty slot
  }

 private:
  bool insert_hash(uint64_t h) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return true;
      }
    }
  }
  void grow() { reserve(size_ + 1); }

  std::vector<uint64_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace mgeo
