#include "mgeo/pipeline/batcher.h"

#include <algorithm>
#include <numeric>

#include "mgeo/util/error.h"

namespace mgeo::pipeline {
namespace {

// Cuts `order` (row indices, already in the wanted sequence) into batches.
void cut_batches(const std::vector<int32_t>& lengths, const std::vector<int64_t>& order,
                 const BatchOptions& opts, std::vector<Batch>* out) {
  Batch cur;
  for (int64_t row : order) {
    const int64_t len = lengths[row];
    const int64_t new_max = std::max(cur.max_len, len);
    const auto new_rows = static_cast<int64_t>(cur.rows.size()) + 1;
    const bool over_rows = new_rows > opts.max_batch;
    const bool over_budget = opts.token_budget > 0 && new_rows * new_max > opts.token_budget;
    if (!cur.rows.empty() && (over_rows || over_budget)) {
      out->push_back(std::move(cur));
      cur = Batch{};
    }
    cur.rows.push_back(row);
    cur.max_len = std::max(cur.max_len, len);
  }
  if (!cur.rows.empty()) out->push_back(std::move(cur));
}

}  // namespace

std::vector<Batch> plan_batches(const std::vector<int32_t>& lengths, const BatchOptions& opts) {
  MGEO_CHECK(opts.max_batch >= 1, "batch size must be >= 1 (got {})", opts.max_batch);
  MGEO_CHECK(opts.window >= 1, "batch window must be >= 1 (got {})", opts.window);
  const auto n = static_cast<int64_t>(lengths.size());
  std::vector<Batch> out;
  std::vector<int64_t> order;
  for (int64_t start = 0; start < n; start += opts.window) {
    const int64_t end = std::min(n, start + opts.window);
    order.resize(end - start);
    std::iota(order.begin(), order.end(), start);
    if (opts.sort_by_length) {
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; });
    }
    cut_batches(lengths, order, opts, &out);
  }
  return out;
}

PaddingStats padding_stats(const std::vector<int32_t>& lengths, const std::vector<Batch>& batches) {
  PaddingStats s;
  for (const auto& b : batches) {
    for (int64_t r : b.rows) s.real_tokens += lengths[r];
    s.padded_tokens += static_cast<int64_t>(b.rows.size()) * b.max_len;
  }
  return s;
}

void pad_rows(const std::vector<text::Encoding>& encs, const int64_t* rows, int64_t n, int64_t len, int64_t* ids,
              int64_t* types, int64_t* mask) {
  for (int64_t i = 0; i < n; ++i) {
    const auto& e = encs[rows[i]];
    const auto k = static_cast<int64_t>(e.input_ids.size());
    MGEO_CHECK(k <= len && e.token_type_ids.size() == e.input_ids.size(),
               "pad_rows: row {} holds {} ids ({} types) for a padded length of {}", rows[i], k,
               e.token_type_ids.size(), len);
    int64_t* id_row = ids + i * len;
    int64_t* ty_row = types + i * len;
    int64_t* mk_row = mask + i * len;
    std::copy(e.input_ids.begin(), e.input_ids.end(), id_row);
    std::copy(e.token_type_ids.begin(), e.token_type_ids.end(), ty_row);
    std::fill(mk_row, mk_row + k, 1);
    std::fill(id_row + k, id_row + len, 0);
    std::fill(ty_row + k, ty_row + len, 0);
    std::fill(mk_row + k, mk_row + len, 0);
  }
}

}  // namespace mgeo::pipeline
