// mgeo/pipeline/data_parallel.h — DataParallel-style scoring inside one process.
//
// Contract: a DataParallelScorer splits every batch into `replicas` slices of consecutive
// rows (padded to the batch's length, as a scatter of one padded tensor would be) and
// scores them at once on `replicas` worker threads, each with its own Scorer over the same
// model and `threads_per_replica` intra-op threads; score_batch() returns when the slowest
// slice is done, as torch.nn.DataParallel's scatter / parallel_apply / gather does. The
// replicas share the weights (one device; this build has no multi-GPU replica). Results
// equal Scorer's to float rounding. A failure on a worker is rethrown by score_batch().
// Not thread-safe: one caller.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "mgeo/pipeline/scorer.h"

namespace mgeo::pipeline {

class DataParallelScorer {
 public:
  DataParallelScorer(model::BertClassifier net, int64_t num_labels, torch::Device device, int replicas,
                     int threads_per_replica);
  ~DataParallelScorer();
  DataParallelScorer(const DataParallelScorer&) = delete;
  DataParallelScorer& operator=(const DataParallelScorer&) = delete;

  // As Scorer::score_batch.
  void score_batch(const std::vector<text::Encoding>& encs, const Batch& batch, float* probs_out);
  int64_t num_labels() const { return num_labels_; }
  int replicas() const { return static_cast<int>(workers_.size()); }

 private:
  void work(int i, int threads);

  int64_t num_labels_;
  std::vector<std::unique_ptr<Scorer>> scorers_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  // The batch in flight: every worker scores slices_[i] into out_ + offsets_[i] * labels.
  const std::vector<text::Encoding>* encs_ = nullptr;
  std::vector<Batch> slices_;
  std::vector<int64_t> offsets_;
  float* out_ = nullptr;
  uint64_t generation_ = 0;  // bumped per batch
  int pending_ = 0;          // workers still busy with this generation
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace mgeo::pipeline
