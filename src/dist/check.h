// Check macros for MPI calls (CUDA and NCCL ones are in gpu_check.h): a failing call
// throws mgeo::Error naming the call, the MPI world rank and the source location.
#pragma once

#include <mpi.h>

#include <string>

namespace mgeo::dist::detail {

[[noreturn]] void throw_call_error(const char* call, const std::string& reason, const char* file, int line);

std::string mpi_error_string(int code);

// MPI_COMM_WORLD rank, or -1 outside MPI_Init .. MPI_Finalize.
int world_rank() noexcept;

}  // namespace mgeo::dist::detail

#define MGEO_MPI_CHECK(call)                                                                                 \
  do {                                                                                                       \
    if (const int mgeo_mpi_rc_ = (call); mgeo_mpi_rc_ != MPI_SUCCESS)                                        \
      ::mgeo::dist::detail::throw_call_error(#call, ::mgeo::dist::detail::mpi_error_string(mgeo_mpi_rc_),   \
                                             __FILE__, __LINE__);                                            \
  } while (0)
