// mgeo/dist/nccl.h — GPU collectives over NCCL, bootstrapped through MPI.
//
// Contract: an NcclComm spans the ranks of a Communicator with one GPU each, device
// select_device(local_rank, visible devices); constructing it is collective over that
// Communicator, fails on every rank if any rank sees no GPU, and makes the chosen device
// current on the calling thread. The collectives are collective over the NcclComm: they
// enqueue work on `stream` (nullptr: the default stream) and return without waiting; the
// pointers are device memory of this rank's device. The header needs no CUDA or NCCL
// headers. In a build without NCCL (MGEO_WITH_NCCL undefined) cuda_device_count()
// returns 0 and constructing an NcclComm throws mgeo::Error.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "mgeo/dist/comm.h"

struct ncclComm;     // ncclComm_t is ncclComm*
struct CUstream_st;  // cudaStream_t is CUstream_st*

namespace mgeo::dist {

using GpuStream = CUstream_st*;

#ifdef MGEO_WITH_NCCL
inline constexpr bool kWithNccl = true;
#else
inline constexpr bool kWithNccl = false;
#endif

// Visible CUDA devices; 0 if the CUDA runtime fails or the build has no NCCL.
int cuda_device_count() noexcept;

struct NcclCommDeleter {
  void operator()(ncclComm* c) const noexcept;
};

class NcclComm {
 public:
  explicit NcclComm(const Communicator& comm);

  int rank() const { return rank_; }
  int size() const { return size_; }
  int device() const { return device_; }

  // Root's recv_on_root receives counts[r] floats from each rank r, concatenated in rank
  // order; `send` holds count == counts[rank()] floats. All ranks pass the same counts
  // and root; recv_on_root is unused on the other ranks.
  void gatherv_device(const float* send, size_t count, float* recv_on_root, const std::vector<size_t>& counts,
                      int root, GpuStream stream) const;

  // Element-wise sum over ranks, in place.
  void allreduce_sum_device(float* data, size_t n, GpuStream stream) const;

 private:
  std::unique_ptr<ncclComm, NcclCommDeleter> comm_;
  int rank_ = 0;
  int size_ = 1;
  int device_ = -1;
};

}  // namespace mgeo::dist
