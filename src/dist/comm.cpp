#include "mgeo/dist/comm.h"

#include <cstdlib>
#include <utility>

#include "check.h"
#include "mgeo/dist/env.h"
#include "mgeo/util/error.h"

namespace mgeo::dist {
namespace {

bool mpi_active() {
  return detail::world_rank() >= 0;
}

int comm_rank(MPI_Comm c) {
  int r = 0;
  MGEO_MPI_CHECK(MPI_Comm_rank(c, &r));
  return r;
}

int comm_size(MPI_Comm c) {
  int n = 0;
  MGEO_MPI_CHECK(MPI_Comm_size(c, &n));
  return n;
}

}  // namespace

MpiContext::MpiContext(int* argc, char*** argv) {
  int initialized = 0;
  int finalized = 0;
  MGEO_MPI_CHECK(MPI_Initialized(&initialized));
  MGEO_MPI_CHECK(MPI_Finalized(&finalized));
  MGEO_CHECK(!finalized, "MpiContext: MPI was already finalised in this process");
  if (initialized) return;
  int provided = MPI_THREAD_SINGLE;
  MGEO_MPI_CHECK(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided));
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    fail("MpiContext: the MPI library does not provide MPI_THREAD_FUNNELED");
  }
  owns_ = true;
}

MpiContext::~MpiContext() {
  if (owns_) MPI_Finalize();
}

CommHandle::CommHandle(CommHandle&& o) noexcept : c_(std::exchange(o.c_, MPI_COMM_NULL)) {}

CommHandle& CommHandle::operator=(CommHandle&& o) noexcept {
  if (this != &o) {
    reset();
    c_ = std::exchange(o.c_, MPI_COMM_NULL);
  }
  return *this;
}

void CommHandle::reset() noexcept {
  if (c_ != MPI_COMM_NULL && mpi_active()) MPI_Comm_free(&c_);
  c_ = MPI_COMM_NULL;
}

Communicator::Communicator(MPI_Comm parent) {
  MGEO_CHECK(mpi_active(), "Communicator: MPI is not initialised (create an MpiContext first)");
  MPI_Comm dup = MPI_COMM_NULL;
  MGEO_MPI_CHECK(MPI_Comm_dup(parent, &dup));
  comm_ = CommHandle(dup);
  MGEO_MPI_CHECK(MPI_Comm_set_errhandler(dup, MPI_ERRORS_RETURN));
  rank_ = comm_rank(dup);
  size_ = comm_size(dup);

  MPI_Comm node = MPI_COMM_NULL;
  MGEO_MPI_CHECK(MPI_Comm_split_type(dup, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node));
  const CommHandle node_comm(node);
  local_size_ = comm_size(node);
  const int from_env = local_rank_from_env();
  local_rank_ = from_env >= 0 ? from_env : comm_rank(node);
}

void Communicator::barrier() const {
  MGEO_MPI_CHECK(MPI_Barrier(comm_.get()));
}

void Communicator::abort(int code) const {
  MPI_Abort(comm_.get(), code);
  std::abort();
}

void Communicator::set_max_message_bytes(size_t bytes) {
  MGEO_CHECK(bytes > 0 && bytes <= INT_MAX, "max_message_bytes must be in 1 .. {} (got {})", INT_MAX, bytes);
  max_message_bytes_ = bytes;
}

void Communicator::check_root(int root) const {
  MGEO_CHECK(root >= 0 && root < size_, "root {} is outside a communicator of {} ranks", root, size_);
}

}  // namespace mgeo::dist
