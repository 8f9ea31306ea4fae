// mgeo/train/dataset.h — labelled, tokenized pairs and the order they are trained in.
//
// Contract: LabelledPairs is a value type filled once by load_labelled_pairs() and then
// read-only (safe to share between threads). A row the reader flags, or one whose label
// is not one of `labels`, is counted in `skipped` and its first few lines are listed,
// never silently dropped; a file without a label column throws mgeo::Error naming it.
// epoch_order() and rank_slice() are pure: every rank computes the same global batches
// from the seed alone and takes its own slice of each, as DistributedSampler does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mgeo/dist/shard.h"
#include "mgeo/text/tokenizer.h"

namespace mgeo::train {

struct LabelledPairs {
  std::vector<text::Encoding> encodings;
  std::vector<int64_t> labels;  // index into the label list
  int64_t skipped = 0;          // flagged rows and rows with an unknown label
  std::vector<std::string> skipped_examples;  // "line N: reason", at most 5
  size_t size() const { return labels.size(); }
};

LabelledPairs load_labelled_pairs(const std::string& path, const text::BertTokenizer& tok,
                                  const std::vector<std::string>& labels, int max_length);

// A permutation of [0, n) for `epoch`, a function of (seed, epoch) only.
std::vector<int64_t> epoch_order(int64_t n, uint64_t seed, int64_t epoch);

// Global batch `b` (batch_size rows of `order`, the last one shorter) split over the
// ranks: this rank's positions within that batch.
dist::Range rank_slice(int64_t n, int64_t batch_size, int64_t b, int rank, int world);

// Optimizer steps in one epoch of n rows.
inline int64_t steps_per_epoch(int64_t n, int64_t batch_size) { return (n + batch_size - 1) / batch_size; }

}  // namespace mgeo::train
