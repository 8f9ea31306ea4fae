// mgeo/cli/collective.h — running one subcommand's job on every MPI rank.
//
// Contract: run_collective() brackets `job` with MPI (MpiContext + a Communicator over
// MPI_COMM_WORLD). On one rank a failure propagates to main() (message printed once,
// exit 1). On several ranks, peers may be waiting in a collective, so the failing rank
// prints its error with its rank and aborts the whole job (non-zero exit everywhere).
#pragma once

#include <functional>

#include "mgeo/dist/comm.h"

namespace mgeo::cli {

void run_collective(const std::function<void(const dist::Communicator&)>& job);

}  // namespace mgeo::cli
