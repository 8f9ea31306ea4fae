// NcclComm over NCCL point-to-point and collective calls (builds with MGEO_WITH_NCCL).
#ifdef MGEO_WITH_NCCL

#include "mgeo/dist/nccl.h"

#include <cstring>
#include <string>

#include "gpu_check.h"
#include "mgeo/dist/env.h"
#include "mgeo/util/error.h"

namespace mgeo::dist {
namespace {

// Rank 0's ncclUniqueId, broadcast over MPI.
ncclUniqueId shared_unique_id(const Communicator& comm) {
  ncclUniqueId id{};
  std::string bytes;
  if (comm.rank() == 0) {
    MGEO_NCCL_CHECK(ncclGetUniqueId(&id));
    bytes.assign(id.internal, sizeof id.internal);
  }
  comm.bcast(bytes, 0);
  std::memcpy(id.internal, bytes.data(), sizeof id.internal);
  return id;
}

// ncclGroupStart .. ncclGroupEnd; a group left by an exception is closed unchecked.
class NcclGroup {
 public:
  NcclGroup() { MGEO_NCCL_CHECK(ncclGroupStart()); }
  ~NcclGroup() {
    if (open_) ncclGroupEnd();
  }
  NcclGroup(const NcclGroup&) = delete;
  NcclGroup& operator=(const NcclGroup&) = delete;

  void end() {
    open_ = false;
    MGEO_NCCL_CHECK(ncclGroupEnd());
  }

 private:
  bool open_ = true;
};

// Root posts one receive per non-empty peer and copies its own part on the stream.
void receive_all(ncclComm_t comm, const float* send, float* recv, const std::vector<size_t>& counts, int root,
                 cudaStream_t stream) {
  size_t off = 0;
  for (int r = 0; r < static_cast<int>(counts.size()); off += counts[r], ++r) {
    if (counts[r] == 0) continue;
    if (r == root)
      MGEO_CUDA_CHECK(cudaMemcpyAsync(recv + off, send, counts[r] * sizeof(float), cudaMemcpyDeviceToDevice,
                                      stream));
    else
      MGEO_NCCL_CHECK(ncclRecv(recv + off, counts[r], ncclFloat, r, comm, stream));
  }
}

}  // namespace

int cuda_device_count() noexcept {
  int n = 0;
  if (cudaGetDeviceCount(&n) == cudaSuccess) return n;
  cudaGetLastError();  // clear the error so later CUDA calls do not report it
  return 0;
}

void NcclCommDeleter::operator()(ncclComm* c) const noexcept {
  ncclCommDestroy(c);
}

NcclComm::NcclComm(const Communicator& comm) : rank_(comm.rank()), size_(comm.size()) {
  const int devices = cuda_device_count();
  MGEO_CHECK(comm.allreduce_min(devices) > 0, "NcclComm: some rank sees no CUDA device (rank {} sees {})", rank_,
             devices);
  device_ = select_device(comm.local_rank(), devices);
  MGEO_CUDA_CHECK(cudaSetDevice(device_));
  const ncclUniqueId id = shared_unique_id(comm);
  ncclComm_t c = nullptr;
  MGEO_NCCL_CHECK(ncclCommInitRank(&c, size_, id, rank_));
  comm_.reset(c);
}

void NcclComm::gatherv_device(const float* send, size_t count, float* recv_on_root,
                              const std::vector<size_t>& counts, int root, GpuStream stream) const {
  MGEO_CHECK(root >= 0 && root < size_, "gatherv_device: root {} is outside {} ranks", root, size_);
  MGEO_CHECK(counts.size() == static_cast<size_t>(size_), "gatherv_device: {} counts for {} ranks", counts.size(),
             size_);
  MGEO_CHECK(counts[rank_] == count, "gatherv_device: rank {} sends {} floats but its count is {}", rank_, count,
             counts[rank_]);
  NcclGroup group;
  if (rank_ == root)
    receive_all(comm_.get(), send, recv_on_root, counts, root, stream);
  else if (count > 0)
    MGEO_NCCL_CHECK(ncclSend(send, count, ncclFloat, root, comm_.get(), stream));
  group.end();
}

void NcclComm::allreduce_sum_device(float* data, size_t n, GpuStream stream) const {
  MGEO_NCCL_CHECK(ncclAllReduce(data, data, n, ncclFloat, ncclSum, comm_.get(), stream));
}

}  // namespace mgeo::dist

#endif  // MGEO_WITH_NCCL
