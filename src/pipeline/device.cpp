#include "mgeo/pipeline/device.h"

#include <torch/cuda.h>

#include <algorithm>
#include <thread>

#include "mgeo/dist/env.h"
#include "mgeo/util/cores.h"
#include "mgeo/util/error.h"

namespace mgeo::pipeline {

torch::Device pick_device(const std::string& want, const dist::Communicator& comm) {
  const bool have_cuda = torch::cuda::is_available();
  MGEO_CHECK(want == "auto" || want == "cpu" || want == "cuda",
             "--device must be auto, cpu or cuda (got '{}')", want);
  if (want == "cpu" || (want == "auto" && !have_cuda)) return torch::kCPU;
  MGEO_CHECK(have_cuda, "rank {}: --device cuda but no CUDA device is visible", comm.rank());
  const int dev = dist::select_device(comm.local_rank(), static_cast<int>(torch::cuda::device_count()));
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(dev));
}

int default_threads(const dist::Communicator& comm) {
  const int cores = usable_cores();  // the CPUs Slurm, taskset or mpirun --bind-to left us
  return std::max(1, cores / std::max(1, comm.local_size()));
}

}  // namespace mgeo::pipeline
