// mgeo/util/cores.h — how many CPU cores this process may run on.
//
// Contract: usable_cores() counts the CPUs in the calling thread's affinity mask
// (sched_getaffinity), which is what Slurm, taskset, mpirun --bind-to and container CPU
// sets leave to the process; where that cannot be read it falls back to
// std::thread::hardware_concurrency(). Always >= 1. Thread-safe.
#pragma once

namespace mgeo {

int usable_cores();

}  // namespace mgeo
