#include "mgeo/pipeline/device_gather.h"

#include <numeric>

#include "mgeo/dist/nccl.h"
#include "mgeo/util/error.h"

#ifdef MGEO_WITH_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

namespace mgeo::pipeline {

bool nccl_gather_available() { return dist::kWithNccl; }

#ifdef MGEO_WITH_CUDA
std::vector<float> nccl_gather_probs(const torch::Tensor& probs, const dist::Communicator& comm, int root) {
  MGEO_CHECK(probs.is_cuda() && probs.scalar_type() == torch::kFloat32 && probs.is_contiguous(),
             "rank {}: NCCL gather needs a contiguous float32 CUDA tensor", comm.rank());
  const dist::NcclComm nccl(comm);
  const auto counts64 = comm.allgather(static_cast<int64_t>(probs.numel()));
  const std::vector<size_t> counts(counts64.begin(), counts64.end());
  const size_t total = std::accumulate(counts.begin(), counts.end(), size_t{0});
  torch::Tensor recv;
  if (comm.rank() == root) recv = torch::empty({static_cast<int64_t>(total)}, probs.options());
  auto stream = c10::cuda::getCurrentCUDAStream(probs.device().index());
  nccl.gatherv_device(probs.data_ptr<float>(), counts[comm.rank()], recv.defined() ? recv.data_ptr<float>() : nullptr,
                      counts, root, stream.stream());
  stream.synchronize();
  if (comm.rank() != root) return {};
  const auto host = recv.cpu();
  return std::vector<float>(host.data_ptr<float>(), host.data_ptr<float>() + total);
}
#else
std::vector<float> nccl_gather_probs(const torch::Tensor&, const dist::Communicator& comm, int) {
  fail("rank {}: --gather nccl needs a build with CUDA and NCCL", comm.rank());
}
#endif

}  // namespace mgeo::pipeline
