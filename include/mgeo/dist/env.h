// mgeo/dist/env.h — node-local rank from the launcher's environment, and GPU choice.
//
// Contract: local_rank_from_env reads, in this order, OMPI_COMM_WORLD_LOCAL_RANK,
// MV2_COMM_WORLD_LOCAL_RANK, MPI_LOCALRANKID, PMI_LOCAL_RANK, SLURM_LOCALID, LOCAL_RANK;
// the first one set decides. It returns -1 if none is set and throws mgeo::Error naming
// the variable if its value is not a non-negative decimal integer. No other side effects.
#pragma once

#include <functional>

namespace mgeo::dist {

// getenv-like lookup: the value of a variable, or nullptr if it is not set.
using EnvLookup = std::function<const char*(const char* name)>;

int local_rank_from_env(const EnvLookup& getenv);

// Reads the process environment.
int local_rank_from_env();

// The GPU a rank uses: local_rank mod device_count, or -1 if there are no devices.
// Requires local_rank >= 0 and device_count >= 0.
int select_device(int local_rank, int device_count);

}  // namespace mgeo::dist
