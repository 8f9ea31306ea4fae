#include "mgeo/dist/nccl.h"

#include <gtest/gtest.h>

#include <vector>

#include "mgeo/dist/env.h"
#include "mgeo/util/error.h"
#include "mpi_env.h"

#ifdef MGEO_WITH_NCCL
#include <cuda_runtime.h>
#endif

namespace mgeo::dist {
namespace {

using test_support::world;

TEST(NcclMPI, ThrowsWhenBuiltWithoutNccl) {
  if (kWithNccl) GTEST_SKIP() << "built with NCCL";
  const auto comm = world();
  EXPECT_EQ(cuda_device_count(), 0);
  EXPECT_THROW(NcclComm{comm}, Error);
}

#ifdef MGEO_WITH_NCCL

// Device copy of a float vector.
class DeviceFloats {
 public:
  explicit DeviceFloats(const std::vector<float>& host) : n_(host.size()) {
    EXPECT_EQ(cudaMalloc(&p_, (n_ + 1) * sizeof(float)), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(p_, host.data(), n_ * sizeof(float), cudaMemcpyHostToDevice), cudaSuccess);
  }
  ~DeviceFloats() { cudaFree(p_); }
  DeviceFloats(const DeviceFloats&) = delete;
  DeviceFloats& operator=(const DeviceFloats&) = delete;

  float* get() const { return p_; }
  std::vector<float> download() const {
    std::vector<float> host(n_);
    EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(host.data(), p_, n_ * sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
    return host;
  }

 private:
  size_t n_;
  float* p_ = nullptr;
};

void check_gatherv(const Communicator& comm, const NcclComm& nccl) {
  std::vector<size_t> counts;
  std::vector<float> expected;
  for (int r = 0; r < comm.size(); ++r) {
    counts.push_back(r == 1 ? 0 : 1000 + r);
    for (size_t i = 0; i < counts.back(); ++i) expected.push_back(static_cast<float>(r * 10000 + i));
  }
  const int root = comm.size() - 1;
  const size_t offset = [&] {
    size_t off = 0;
    for (int r = 0; r < comm.rank(); ++r) off += counts[r];
    return off;
  }();
  const size_t mine = counts[comm.rank()];
  const DeviceFloats send({expected.begin() + offset, expected.begin() + offset + mine});
  const DeviceFloats recv(std::vector<float>(comm.rank() == root ? expected.size() : 0, -1.0f));
  nccl.gatherv_device(send.get(), mine, recv.get(), counts, root, nullptr);
  if (comm.rank() == root) {
    EXPECT_EQ(recv.download(), expected);
  }
}

void check_allreduce(const Communicator& comm, const NcclComm& nccl) {
  const int n = comm.size();
  std::vector<float> v(4097);
  std::vector<float> expected(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    v[i] = static_cast<float>(comm.rank() + i % 7);
    expected[i] = static_cast<float>(n * (i % 7) + n * (n - 1) / 2);
  }
  const DeviceFloats data(v);
  nccl.allreduce_sum_device(data.get(), v.size(), nullptr);
  EXPECT_EQ(data.download(), expected);
}

#endif  // MGEO_WITH_NCCL

TEST(NcclMPI_CUDA, GathervAndAllreduce) {
  const auto comm = world();
  const bool usable = kWithNccl && cuda_device_count() >= comm.local_size();
  if (comm.allreduce_min(static_cast<int>(usable)) == 0)
    GTEST_SKIP() << "needs an NCCL build and one CUDA device per rank on each node";
#ifdef MGEO_WITH_NCCL
  const NcclComm nccl(comm);
  EXPECT_EQ(nccl.rank(), comm.rank());
  EXPECT_EQ(nccl.size(), comm.size());
  EXPECT_EQ(nccl.device(), select_device(comm.local_rank(), cuda_device_count()));
  check_gatherv(comm, nccl);
  check_allreduce(comm, nccl);
#endif
}

}  // namespace
}  // namespace mgeo::dist
