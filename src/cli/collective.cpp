#include "mgeo/cli/collective.h"

#include <fmt/format.h>

#include <exception>

namespace mgeo::cli {

void run_collective(const std::function<void(const dist::Communicator&)>& job) {
  dist::MpiContext mpi(nullptr, nullptr);
  dist::Communicator comm;
  try {
    job(comm);
  } catch (const std::exception& e) {
    if (comm.size() == 1) throw;
    fmt::print(stderr, "mgeo-dist: error on rank {}: {}\n", comm.rank(), e.what());
    comm.abort(1);
  }
}

}  // namespace mgeo::cli
