// NcclComm in a build without NCCL: nothing can be constructed.
#ifndef MGEO_WITH_NCCL

#include "mgeo/dist/nccl.h"
#include "mgeo/util/error.h"

namespace mgeo::dist {
namespace {

[[noreturn]] void no_nccl() {
  fail("NcclComm: mgeo-dist was built without NCCL (configure with MGEO_WITH_CUDA=ON)");
}

}  // namespace

int cuda_device_count() noexcept { return 0; }

void NcclCommDeleter::operator()(ncclComm*) const noexcept {}

NcclComm::NcclComm(const Communicator&) { no_nccl(); }

void NcclComm::gatherv_device(const float*, size_t, float*, const std::vector<size_t>&, int, GpuStream) const {
  no_nccl();
}

void NcclComm::allreduce_sum_device(float*, size_t, GpuStream) const { no_nccl(); }

}  // namespace mgeo::dist

#endif  // !MGEO_WITH_NCCL
