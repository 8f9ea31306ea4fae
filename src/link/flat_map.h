// flat_map.h — an open-addressing map from a nonzero 64-bit key to a 32-bit value (internal).
//
// Contract: keys are nonzero (0 marks an empty slot) and already well mixed (hashes or
// packed code points, mixed again here). Grows by doubling at a 1/2 load. find() is const
// and safe from any number of threads once no one inserts.
#pragma once

#include <cstdint>
#include <vector>

#include "mgeo/util/mix64.h"

namespace mgeo::link {

class FlatMap {
 public:
  static constexpr uint32_t kMissing = 0xFFFFFFFFu;

  // The value under `key`, inserting `value` when it is absent; returns {value, inserted}.
  std::pair<uint32_t, bool> insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    std::size_t i = slot(key);
    while (keys_[i] != 0) {
      if (keys_[i] == key) return {values_[i], false};
      i = (i + 1) & mask_;
    }
    keys_[i] = key;
    values_[i] = value;
    ++size_;
    return {value, true};
  }

  uint32_t find(uint64_t key) const {
    if (keys_.empty() || key == 0) return kMissing;
    std::size_t i = slot(key);
    while (keys_[i] != 0) {
      if (keys_[i] == key) return values_[i];
      i = (i + 1) & mask_;
    }
    return kMissing;
  }

  std::size_t size() const { return size_; }
  std::size_t bytes() const { return keys_.capacity() * sizeof(uint64_t) + values_.capacity() * sizeof(uint32_t); }

 private:
  std::size_t slot(uint64_t key) const { return static_cast<std::size_t>(mix64(key)) & mask_; }

  void grow() {
    std::vector<uint64_t> keys = std::move(keys_);
    std::vector<uint32_t> values = std::move(values_);
    const std::size_t cap = keys.empty() ? 16 : keys.size() * 2;
    keys_.assign(cap, 0);
    values_.assign(cap, 0);
    mask_ = cap - 1;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == 0) continue;
      std::size_t j = slot(keys[i]);
      while (keys_[j] != 0) j = (j + 1) & mask_;
      keys_[j] = keys[i];
      values_[j] = values[i];
    }
  }

  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  std::size_t mask_ = 0, size_ = 0;
};

}  // namespace mgeo::link
