// mgeo/pipeline/scorer.h — runs padded batches of encoded pairs through a classifier.
//
// Contract: owns reusable host staging buffers (pinned on CUDA) and a handle to the
// model; one Scorer per thread (not thread-safe). score_batch() writes softmax
// probabilities as float32 regardless of the model's dtype. No autograd state is kept.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "mgeo/model/bert.h"
#include "mgeo/pipeline/batcher.h"
#include "mgeo/text/tokenizer.h"

namespace mgeo::pipeline {

class Scorer {
 public:
  Scorer(model::BertClassifier net, int64_t num_labels, torch::Device device);

  // probs_out[i * num_labels + k] receives P(label k) of the pair encs[batch.rows[i]].
  void score_batch(const std::vector<text::Encoding>& encs, const Batch& batch, float* probs_out);

  // The same probabilities as a float32 [rows, num_labels] tensor left on the model's device.
  torch::Tensor score_batch_on_device(const std::vector<text::Encoding>& encs, const Batch& batch);

  int64_t num_labels() const { return num_labels_; }

 private:
  void stage(const std::vector<text::Encoding>& encs, const Batch& batch);

  model::BertClassifier net_;
  int64_t num_labels_;
  torch::Device device_;
  torch::Tensor ids_, types_, mask_;  // host staging, [rows, max_len] int64
};

}  // namespace mgeo::pipeline
