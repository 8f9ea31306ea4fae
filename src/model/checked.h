// Overflow-checked arithmetic on sizes read from files (internal to mgeo_model).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace mgeo::model::detail {

// Product of `dims`, or nullopt if one is negative or the product overflows int64.
inline std::optional<int64_t> checked_numel(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (const int64_t d : dims)
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return std::nullopt;
  return n;
}

// Highest element index a strided view touches (offset when it is empty), or nullopt
// on a negative value or overflow.
inline std::optional<int64_t> checked_last_index(int64_t offset, const std::vector<int64_t>& sizes,
                                                 const std::vector<int64_t>& strides) {
  if (offset < 0) return std::nullopt;
  int64_t last = offset;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 0 || strides[i] < 0) return std::nullopt;
    if (sizes[i] == 0) return offset;
    int64_t step = 0;
    if (__builtin_mul_overflow(sizes[i] - 1, strides[i], &step) || __builtin_add_overflow(last, step, &last))
      return std::nullopt;
  }
  return last;
}

}  // namespace mgeo::model::detail
