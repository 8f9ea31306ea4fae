// Check macros for CUDA runtime and NCCL calls: a failing call throws mgeo::Error naming
// the call, the MPI world rank and the source location.
#pragma once

#include <cuda_runtime.h>
#include <nccl.h>

#include <string>

#include "check.h"

namespace mgeo::dist::detail {

inline std::string nccl_error_string(ncclResult_t rc) {
  return std::string(ncclGetErrorString(rc)) + " (" + ncclGetLastError(nullptr) + ")";
}

}  // namespace mgeo::dist::detail

#define MGEO_CUDA_CHECK(call)                                                                              \
  do {                                                                                                     \
    if (const cudaError_t mgeo_cuda_rc_ = (call); mgeo_cuda_rc_ != cudaSuccess)                            \
      ::mgeo::dist::detail::throw_call_error(#call, cudaGetErrorString(mgeo_cuda_rc_), __FILE__, __LINE__); \
  } while (0)

#define MGEO_NCCL_CHECK(call)                                                                                \
  do {                                                                                                       \
    if (const ncclResult_t mgeo_nccl_rc_ = (call); mgeo_nccl_rc_ != ncclSuccess)                             \
      ::mgeo::dist::detail::throw_call_error(#call, ::mgeo::dist::detail::nccl_error_string(mgeo_nccl_rc_), \
                                             __FILE__, __LINE__);                                            \
  } while (0)
