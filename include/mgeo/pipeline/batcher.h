// mgeo/pipeline/batcher.h — groups encoded pairs into padded batches.
//
// Contract: pure functions over sequence lengths; no tensors, no I/O; thread-safe.
// Rows are sorted by length inside windows of `window` consecutive rows (so memory
// stays bounded and order is restored by index), then cut into batches of at most
// `max_batch` rows whose padded size (rows x longest row) stays within `token_budget`
// (0 = no budget). Every row index appears in exactly one batch. pad_rows lays a batch
// out as the model's three [rows, len] inputs.
#pragma once

#include <cstdint>
#include <vector>

#include "mgeo/text/tokenizer.h"

namespace mgeo::pipeline {

struct BatchOptions {
  int64_t max_batch = 64;     // rows per batch, >= 1
  int64_t token_budget = 0;   // max rows * padded length per batch; 0 = unlimited
  int64_t window = 4096;      // rows sorted together; 1 = keep input order
  bool sort_by_length = true; // false: batches in input order (for comparisons)
};

struct Batch {
  std::vector<int64_t> rows;  // indices into the lengths vector
  int64_t max_len = 0;        // padded length of this batch
};

std::vector<Batch> plan_batches(const std::vector<int32_t>& lengths, const BatchOptions& opts);

struct PaddingStats {
  int64_t real_tokens = 0;    // sum of lengths
  int64_t padded_tokens = 0;  // sum over batches of rows * max_len
  double fraction() const {   // share of computed positions that were padding
    return padded_tokens == 0 ? 0.0 : 1.0 - static_cast<double>(real_tokens) / padded_tokens;
  }
};

// Writes encs[rows[0..n)] into row-major [n, len] arrays: input ids, token types and
// attention mask (1 on real tokens), each row zero-padded after its ids. Every listed
// encoding must hold at most len ids (throws mgeo::Error otherwise).
void pad_rows(const std::vector<text::Encoding>& encs, const int64_t* rows, int64_t n, int64_t len, int64_t* ids,
              int64_t* types, int64_t* mask);

PaddingStats padding_stats(const std::vector<int32_t>& lengths, const std::vector<Batch>& batches);

}  // namespace mgeo::pipeline
