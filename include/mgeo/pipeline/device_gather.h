// mgeo/pipeline/device_gather.h — gathers probabilities that live on the GPU with NCCL.
//
// Contract: collective over `comm`. Every rank passes its float32 [rows, labels] CUDA
// tensor (rows may differ, labels may not); root receives all rows in rank order in host
// memory, other ranks get {}. Builds without CUDA/NCCL throw mgeo::Error.
#pragma once

#include <torch/types.h>

#include <vector>

#include "mgeo/dist/comm.h"

namespace mgeo::pipeline {

bool nccl_gather_available();

std::vector<float> nccl_gather_probs(const torch::Tensor& probs, const dist::Communicator& comm, int root);

}  // namespace mgeo::pipeline
