#include "mgeo/pipeline/device_gather.h"

#include <numeric>

#include "mgeo/dist/nccl.h"
#include "mgeo/util/error.h"

#ifdef MGEO_WITH_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

namespace mgeo::pipeline {

bool nccl_gather_available() { return dist::kWithNccl; }

DeviceGather::~DeviceGather() = default;

#ifdef MGEO_WITH_CUDA
DeviceGather::DeviceGather(const dist::Communicator& comm)
    : comm_(comm), nccl_(std::make_unique<dist::NcclComm>(comm)) {}

std::vector<float> DeviceGather::gather(const torch::Tensor& probs, int root) const {
  MGEO_CHECK(probs.is_cuda() && probs.scalar_type() == torch::kFloat32 && probs.is_contiguous(),
             "rank {}: NCCL gather needs a contiguous float32 CUDA tensor", comm_.rank());
  const auto counts64 = comm_.allgather(static_cast<int64_t>(probs.numel()));
  const std::vector<size_t> counts(counts64.begin(), counts64.end());
  const size_t total = std::accumulate(counts.begin(), counts.end(), size_t{0});
  torch::Tensor recv;
  if (comm_.rank() == root) recv = torch::empty({static_cast<int64_t>(total)}, probs.options());
  auto stream = c10::cuda::getCurrentCUDAStream(probs.device().index());
  nccl_->gatherv_device(probs.data_ptr<float>(), counts[comm_.rank()],
                        recv.defined() ? recv.data_ptr<float>() : nullptr, counts, root, stream.stream());
  stream.synchronize();
  if (comm_.rank() != root) return {};
  const auto host = recv.cpu();
  return std::vector<float>(host.data_ptr<float>(), host.data_ptr<float>() + total);
}
#else
DeviceGather::DeviceGather(const dist::Communicator& comm) : comm_(comm) {
  fail("rank {}: --gather nccl needs a build with CUDA and NCCL", comm.rank());
}

std::vector<float> DeviceGather::gather(const torch::Tensor&, int) const {
  fail("rank {}: --gather nccl needs a build with CUDA and NCCL", comm_.rank());
}
#endif

}  // namespace mgeo::pipeline
