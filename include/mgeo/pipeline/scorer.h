// mgeo/pipeline/scorer.h — runs padded batches of encoded pairs through a classifier.
//
// Contract: owns reusable host staging buffers (pinned on CUDA) and a handle to the
// model; one Scorer per thread (not thread-safe). score_batch() writes softmax
// probabilities as float32 regardless of the model's dtype. No autograd state is kept.
// With a BatchProfiler attached (set_profiler; off by default, one null check per step
// when off), every batch's host staging, launch, sync and device times are recorded
// (batch_profile.h; the score job attaches one when MGEO_PROFILE_BATCHES is set).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "mgeo/model/bert.h"
#include "mgeo/pipeline/batcher.h"
#include "mgeo/text/tokenizer.h"

namespace mgeo::pipeline {

class BatchProfiler;

class Scorer {
 public:
  Scorer(model::BertClassifier net, int64_t num_labels, torch::Device device);

  // probs_out[i * num_labels + k] receives P(label k) of the pair encs[batch.rows[i]].
  void score_batch(const std::vector<text::Encoding>& encs, const Batch& batch, float* probs_out);

  // The same probabilities as a float32 [rows, num_labels] tensor left on the model's device.
  torch::Tensor score_batch_on_device(const std::vector<text::Encoding>& encs, const Batch& batch);

  int64_t num_labels() const { return num_labels_; }

  // Records every later batch in `profiler` (null: none), which must outlive its use here.
  void set_profiler(BatchProfiler* profiler) { profiler_ = profiler; }

 private:
  void stage(const std::vector<text::Encoding>& encs, const Batch& batch);
  // Stages, copies to the device and queues forward + softmax: [rows, labels] float32.
  torch::Tensor forward_batch(const std::vector<text::Encoding>& encs, const Batch& batch);
  static int64_t real_tokens(const std::vector<text::Encoding>& encs, const Batch& batch);

  model::BertClassifier net_;
  int64_t num_labels_;
  torch::Device device_;
  torch::Tensor ids_, types_, mask_;  // host staging, [rows, max_len] int64
  BatchProfiler* profiler_ = nullptr;
};

}  // namespace mgeo::pipeline
