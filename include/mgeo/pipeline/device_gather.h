// mgeo/pipeline/device_gather.h — gathers probabilities that live on the GPU with NCCL.
//
// Contract: constructing a DeviceGather is collective over `comm` and builds one NCCL
// communicator (about a second), which every gather() reuses. gather() is collective:
// every rank passes its float32 [rows, labels] CUDA tensor (rows may differ, labels may
// not); root receives all rows in rank order in host memory, other ranks get {}. Builds
// without CUDA/NCCL throw mgeo::Error from the constructor.
#pragma once

#include <torch/types.h>

#include <memory>
#include <vector>

#include "mgeo/dist/comm.h"

namespace mgeo::dist {
class NcclComm;
}

namespace mgeo::pipeline {

bool nccl_gather_available();

class DeviceGather {
 public:
  explicit DeviceGather(const dist::Communicator& comm);
  ~DeviceGather();
  DeviceGather(const DeviceGather&) = delete;
  DeviceGather& operator=(const DeviceGather&) = delete;

  std::vector<float> gather(const torch::Tensor& probs, int root) const;

 private:
  const dist::Communicator& comm_;
  std::unique_ptr<dist::NcclComm> nccl_;
};

}  // namespace mgeo::pipeline
