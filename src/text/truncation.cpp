#include <algorithm>

#include "mgeo/text/tokenizer.h"

namespace mgeo::text {

// Mirrors tokenizers' truncate_encodings for TruncationStrategy::LongestFirst.
std::pair<std::size_t, std::size_t> truncate_longest_first(std::size_t n_a, std::size_t n_b,
                                                           std::size_t budget) {
  if (n_a + n_b <= budget) return {n_a, n_b};
  const bool swapped = n_a > n_b;
  std::size_t n1 = std::min(n_a, n_b);  // the shorter
  std::size_t n2 = n1 > budget ? n1 : std::max(n1, budget - n1);
  if (n1 + n2 > budget) {
    n1 = budget / 2;
    n2 = n1 + budget % 2;
  }
  if (swapped) std::swap(n1, n2);
  return {std::min(n_a, n1), std::min(n_b, n2)};
}

}  // namespace mgeo::text
