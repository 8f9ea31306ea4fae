#include "mgeo/train/dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "mgeo/io/pair_source.h"
#include "mgeo/util/error.h"
#include "mgeo/util/mix64.h"

namespace mgeo::train {

LabelledPairs load_labelled_pairs(const std::string& path, const text::BertTokenizer& tok,
                                  const std::vector<std::string>& labels, int max_length) {
  auto source = io::PairSource::open(path);
  const auto extra = source->extra_columns();
  MGEO_CHECK(std::find(extra.begin(), extra.end(), "label") != extra.end(),
             "{}: no 'label' column: training needs labelled pairs", path);
  const int64_t n = source->size();
  const auto rows = source->read(0, n);
  const auto names = source->read_column("label", 0, n);
  LabelledPairs out;
  out.encodings.reserve(n);
  out.labels.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    const auto& r = rows[i];
    const auto it = std::find(labels.begin(), labels.end(), names[i]);
    std::string why;
    if (r.status != io::RowStatus::ok) why = io::status_name(r.status);
    else if (it == labels.end()) why = fmt::format("label '{}' is not one of the model's", names[i]);
    if (!why.empty()) {
      if (out.skipped_examples.size() < 5) out.skipped_examples.push_back(fmt::format("line {}: {}", r.line, why));
      ++out.skipped;
      continue;
    }
    out.encodings.push_back(tok.encode_pair(r.addr1, r.addr2, max_length));
    out.labels.push_back(it - labels.begin());
  }
  MGEO_CHECK(!out.labels.empty(), "{}: no usable labelled rows ({} skipped)", path, out.skipped);
  return out;
}

std::vector<int64_t> epoch_order(int64_t n, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  uint64_t state = splitmix64(seed ^ splitmix64(static_cast<uint64_t>(epoch) + 0x1234));
  for (int64_t i = n - 1; i > 0; --i) {  // Fisher-Yates with a portable generator
    state = splitmix64(state);
    const auto j = static_cast<int64_t>(state % static_cast<uint64_t>(i + 1));
    std::swap(order[i], order[j]);
  }
  return order;
}

dist::Range rank_slice(int64_t n, int64_t batch_size, int64_t b, int rank, int world) {
  const int64_t begin = b * batch_size;
  MGEO_CHECK(begin < n && b >= 0, "batch {} is outside an epoch of {} rows", b, n);
  const int64_t rows = std::min(batch_size, n - begin);
  const auto mine = dist::shard_range(rows, rank, world);
  return {begin + mine.begin, begin + mine.end};
}

}  // namespace mgeo::train
