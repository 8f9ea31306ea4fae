// mgeo/train/grad_sync.h — DDP-style gradient averaging over the ranks.
//
// Contract: GradSync holds handles to the parameters it was built with and one flat
// buffer per bucket (parameters packed in order until a bucket holds bucket_bytes).
// sum() is collective: every rank calls it after backward() with the same parameters in
// the same order; afterwards each parameter's grad is the element-wise sum over ranks
// (MPI_Allreduce on the host; NCCL in place on CUDA when built with it). Callers scale
// the loss so that the sum is the global mean. A parameter without a grad counts as zero.
// params_checksum() is collective too and throws mgeo::Error naming the ranks when the
// weights differ. Not thread-safe.
#pragma once

#include <torch/torch.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "mgeo/dist/comm.h"

namespace mgeo::train {

class GradSync {
 public:
  GradSync(std::vector<torch::Tensor> params, const dist::Communicator& comm, size_t bucket_bytes = 8u << 20);
  ~GradSync();

  void sum();
  int buckets() const { return static_cast<int>(buckets_.size()); }
  double seconds() const { return seconds_; }  // time spent in sum()

  // Throws unless every rank holds bit-identical parameters.
  void check_identical(int64_t step) const;

 private:
  struct Bucket {
    std::vector<size_t> members;  // indices into params_
    torch::Tensor flat;           // float32, on the parameters' device
  };
  std::vector<torch::Tensor> params_;
  std::vector<Bucket> buckets_;
  const dist::Communicator& comm_;
  double seconds_ = 0;
  struct Nccl;
  std::unique_ptr<Nccl> nccl_;
};

}  // namespace mgeo::train
