// Test support: MPI is initialised on first use and finalised when the test program
// ends, so the same binary runs under mpirun and as a single process.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "mgeo/dist/comm.h"

namespace mgeo::dist::test_support {

class MpiEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { context().reset(); }

  static std::unique_ptr<MpiContext>& context() {
    static std::unique_ptr<MpiContext> ctx;
    return ctx;
  }
};

inline ::testing::Environment* const kMpiEnvironment = ::testing::AddGlobalTestEnvironment(new MpiEnvironment);

// A fresh communicator over MPI_COMM_WORLD (collective).
inline Communicator world() {
  auto& ctx = MpiEnvironment::context();
  if (!ctx) ctx = std::make_unique<MpiContext>();
  return Communicator();
}

}  // namespace mgeo::dist::test_support
