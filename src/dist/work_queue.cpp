#include "mgeo/dist/work_queue.h"

#include <chrono>
#include <climits>
#include <thread>

#include "check.h"
#include "mgeo/util/error.h"

namespace mgeo::dist {

WorkQueue::WorkQueue(const Communicator& comm, int64_t chunks, int64_t max_ahead)
    : chunks_(chunks), max_ahead_(max_ahead), rank_(comm.rank()) {
  MGEO_CHECK(chunks >= 0 && max_ahead >= 1, "rank {}: WorkQueue needs chunks >= 0 and max_ahead >= 1 (got {}, {})",
             rank_, chunks, max_ahead);
  const MPI_Aint bytes = rank_ == 0 ? 2 * sizeof(int64_t) : 0;
  // Open MPI 4.1 over TCP between nodes has no one-sided component that accepts this window
  // unless told to use pt2pt; name the fix rather than only MPI's error.
  const int rc = MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, comm.handle(), &base_, &win_);
  MGEO_CHECK(rc == MPI_SUCCESS,
             "rank {}: --sharding dynamic needs an MPI one-sided window, and MPI_Win_allocate failed ({}); "
             "with Open MPI across nodes over TCP add `--mca osc pt2pt` to mpirun, or use --sharding cyclic",
             rank_, detail::mpi_error_string(rc));
  if (rank_ == 0) base_[0] = 0, base_[1] = 0;
  MGEO_MPI_CHECK(MPI_Win_fence(0, win_));  // rank 0's zeros are visible before anyone takes
  MGEO_MPI_CHECK(MPI_Win_lock_all(0, win_));
}

WorkQueue::~WorkQueue() {
  if (win_ == MPI_WIN_NULL) return;
  MPI_Win_unlock_all(win_);
  MPI_Win_free(&win_);
}

int64_t WorkQueue::take(const std::function<void()>& idle) {
  const int64_t one = 1;
  int64_t c = 0;
  MGEO_MPI_CHECK(MPI_Fetch_and_op(&one, &c, MPI_INT64_T, 0, 0, MPI_SUM, win_));
  MGEO_MPI_CHECK(MPI_Win_flush(0, win_));
  if (c >= chunks_) return -1;
  while (c - read_done() >= max_ahead_) {
    if (idle) idle();
    if (rank_ != 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return c;
}

void WorkQueue::publish_done(int64_t done) {
  MGEO_CHECK(rank_ == 0, "rank {}: only rank 0 publishes progress", rank_);
  MGEO_MPI_CHECK(MPI_Accumulate(&done, 1, MPI_INT64_T, 0, 1, 1, MPI_INT64_T, MPI_REPLACE, win_));
  MGEO_MPI_CHECK(MPI_Win_flush(0, win_));
}

int64_t WorkQueue::read_done() {
  int64_t done = 0;
  MGEO_MPI_CHECK(MPI_Fetch_and_op(nullptr, &done, MPI_INT64_T, 0, 1, MPI_NO_OP, win_));
  MGEO_MPI_CHECK(MPI_Win_flush(0, win_));
  return done;
}

Outbox::Outbox(const Communicator& comm, int dest, int tag, int depth)
    : comm_(comm.handle()), dest_(dest), tag_(tag), depth_(depth), rank_(comm.rank()) {
  MGEO_CHECK(depth >= 1, "rank {}: Outbox depth must be >= 1 (got {})", rank_, depth);
}

Outbox::~Outbox() {
  for (auto& p : pending_) MPI_Wait(&p.request, MPI_STATUS_IGNORE);
}

void Outbox::post(std::vector<char> bytes) {
  MGEO_CHECK(bytes.size() <= static_cast<size_t>(INT_MAX), "rank {}: a message of {} bytes is too large", rank_,
             bytes.size());
  wait_until_at_most(static_cast<size_t>(depth_) - 1);
  pending_.push_back({std::move(bytes), MPI_REQUEST_NULL});
  auto& p = pending_.back();
  MGEO_MPI_CHECK(MPI_Isend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, dest_, tag_, comm_, &p.request));
}

void Outbox::flush() { wait_until_at_most(0); }

void Outbox::wait_until_at_most(size_t in_flight) {
  while (pending_.size() > in_flight) {
    MGEO_MPI_CHECK(MPI_Wait(&pending_.front().request, MPI_STATUS_IGNORE));
    pending_.pop_front();
  }
}

std::optional<std::vector<char>> try_receive(const Communicator& comm, int tag) {
  int flag = 0;
  MPI_Status status;
  MGEO_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, tag, comm.handle(), &flag, &status));
  if (!flag) return std::nullopt;
  int count = 0;
  MGEO_MPI_CHECK(MPI_Get_count(&status, MPI_BYTE, &count));
  std::vector<char> bytes(static_cast<size_t>(count));
  MGEO_MPI_CHECK(MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, tag, comm.handle(), MPI_STATUS_IGNORE));
  return bytes;
}

}  // namespace mgeo::dist
