#include "mgeo/pipeline/data_parallel.h"

#include <ATen/Parallel.h>

#include <algorithm>

#include "mgeo/util/error.h"

namespace mgeo::pipeline {

DataParallelScorer::DataParallelScorer(model::BertClassifier net, int64_t num_labels, torch::Device device,
                                       int replicas, int threads_per_replica)
    : num_labels_(num_labels) {
  MGEO_CHECK(replicas >= 1 && threads_per_replica >= 1, "--dp needs at least 1 replica of 1 thread (got {} of {})",
             replicas, threads_per_replica);
  for (int i = 0; i < replicas; ++i) scorers_.push_back(std::make_unique<Scorer>(net, num_labels, device));
  slices_.resize(replicas);
  offsets_.resize(replicas);
  for (int i = 0; i < replicas; ++i) workers_.emplace_back([this, i, threads_per_replica] { work(i, threads_per_replica); });
}

DataParallelScorer::~DataParallelScorer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w.join();
}

void DataParallelScorer::score_batch(const std::vector<text::Encoding>& encs, const Batch& batch, float* probs_out) {
  const auto n = static_cast<int64_t>(batch.rows.size());
  const auto k = static_cast<int64_t>(workers_.size());
  std::unique_lock<std::mutex> lock(mu_);
  for (int64_t i = 0; i < k; ++i) {  // slice i: rows [i * n / k, (i + 1) * n / k)
    const int64_t b = i * n / k, e = (i + 1) * n / k;
    slices_[i].rows.assign(batch.rows.begin() + b, batch.rows.begin() + e);
    slices_[i].max_len = batch.max_len;
    offsets_[i] = b;
  }
  encs_ = &encs;
  out_ = probs_out;
  pending_ = static_cast<int>(k);
  error_ = nullptr;
  ++generation_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return pending_ == 0; });
  if (error_) std::rethrow_exception(error_);
}

void DataParallelScorer::work(int i, int threads) {
  at::set_num_threads(threads);  // this thread's intra-op threads
  uint64_t seen = 0;
  for (;;) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    const Batch& slice = slices_[i];
    float* out = out_ + offsets_[i] * num_labels_;
    const auto* encs = encs_;
    lock.unlock();
    std::exception_ptr error;
    try {
      if (!slice.rows.empty()) scorers_[i]->score_batch(*encs, slice, out);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !error_) error_ = error;
    if (--pending_ == 0) cv_.notify_all();
  }
}

}  // namespace mgeo::pipeline
