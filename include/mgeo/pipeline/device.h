// mgeo/pipeline/device.h — where a rank computes: its device and its intra-op threads.
//
// Contract: pure lookups of the process environment (visible CUDA devices, core count);
// no state. pick_device() binds CUDA rank r to GPU select_device(local_rank, count) and
// throws mgeo::Error naming the flag value or the rank when the request cannot be met.
#pragma once

#include <torch/types.h>

#include <string>

#include "mgeo/dist/comm.h"

namespace mgeo::pipeline {

// `want` is auto (CUDA when visible), cpu or cuda.
torch::Device pick_device(const std::string& want, const dist::Communicator& comm);

// The cores this rank may run on (its affinity mask, util/cores.h) shared evenly among the
// node's ranks, at least 1.
int default_threads(const dist::Communicator& comm);

}  // namespace mgeo::pipeline
