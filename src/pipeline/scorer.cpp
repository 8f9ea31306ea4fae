#include "mgeo/pipeline/scorer.h"

#include "mgeo/pipeline/batch_profile.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>

namespace mgeo::pipeline {

Scorer::Scorer(model::BertClassifier net, int64_t num_labels, torch::Device device)
    : net_(std::move(net)), num_labels_(num_labels), device_(device) {}

void Scorer::stage(const std::vector<text::Encoding>& encs, const Batch& batch) {
  const auto rows = static_cast<int64_t>(batch.rows.size());
  const int64_t len = batch.max_len;
  const bool grow = !ids_.defined() || ids_.numel() < rows * len;
  if (grow) {
    auto opts = torch::TensorOptions().dtype(torch::kInt64).pinned_memory(device_.is_cuda());
    const int64_t cap = rows * len;
    ids_ = torch::empty({cap}, opts);
    types_ = torch::empty({cap}, opts);
    mask_ = torch::empty({cap}, opts);
  }
  pad_rows(encs, batch.rows.data(), rows, len, ids_.data_ptr<int64_t>(), types_.data_ptr<int64_t>(),
           mask_.data_ptr<int64_t>());
}

int64_t Scorer::real_tokens(const std::vector<text::Encoding>& encs, const Batch& batch) {
  int64_t n = 0;
  for (const int64_t r : batch.rows) n += static_cast<int64_t>(encs[r].input_ids.size());
  return n;
}

torch::Tensor Scorer::forward_batch(const std::vector<text::Encoding>& encs, const Batch& batch) {
  const auto rows = static_cast<int64_t>(batch.rows.size());
  if (profiler_) profiler_->begin(rows, batch.max_len, real_tokens(encs, batch));
  stage(encs, batch);
  if (profiler_) profiler_->staged();
  const auto shape = std::vector<int64_t>{rows, batch.max_len};
  const bool async = device_.is_cuda();  // staging buffers are pinned on CUDA
  auto to_dev = [&](const torch::Tensor& t) {
    return t.narrow(0, 0, rows * batch.max_len).view(shape).to(device_, /*non_blocking=*/async);
  };
  torch::InferenceMode guard;
  auto logits = net_->forward(to_dev(ids_), to_dev(types_), to_dev(mask_));
  auto probs = torch::softmax(logits.to(torch::kFloat32), /*dim=*/1);
  if (profiler_) profiler_->launched();
  return probs;
}

torch::Tensor Scorer::score_batch_on_device(const std::vector<text::Encoding>& encs, const Batch& batch) {
  auto probs = forward_batch(encs, batch);
  if (profiler_) profiler_->end();
  return probs;
}

void Scorer::score_batch(const std::vector<text::Encoding>& encs, const Batch& batch, float* probs_out) {
  if (batch.rows.empty()) return;
  const auto probs = forward_batch(encs, batch).to(torch::kCPU).contiguous();
  std::memcpy(probs_out, probs.data_ptr<float>(), sizeof(float) * probs.numel());
  if (profiler_) profiler_->end();
}

}  // namespace mgeo::pipeline
