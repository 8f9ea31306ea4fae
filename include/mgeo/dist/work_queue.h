// mgeo/dist/work_queue.h — dynamic sharding: ranks take chunk numbers from a shared counter.
//
// Contract: a WorkQueue hands out the numbers 0 .. chunks-1, each to exactly one rank, in
// increasing order, through an atomic counter in an MPI window on rank 0
// (MPI_Fetch_and_op), so a fast rank simply takes more chunks. It also bounds how far
// ahead the ranks run: take() returns chunk c only once rank 0 has published done >= c -
// max_ahead + 1 (publish_done), calling `idle` while it waits; rank 0 must keep
// publishing from its idle callback, or the job stalls. The constructor and destructor are
// collective over `comm` (MPI_Win_allocate / MPI_Win_free): every rank builds and
// destroys it at the same point. Outbox and try_receive carry byte messages to rank 0
// (point to point, not collective). MPI errors throw mgeo::Error naming the call and rank.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "mgeo/dist/comm.h"

namespace mgeo::dist {

class WorkQueue {
 public:
  WorkQueue(const Communicator& comm, int64_t chunks, int64_t max_ahead);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // The next chunk for this rank, or -1 when every chunk is taken. Calls idle() while the
  // chunk is more than max_ahead beyond the published progress.
  int64_t take(const std::function<void()>& idle);
  // Rank 0 only: chunks [0, done) are finished.
  void publish_done(int64_t done);
  int64_t chunks() const { return chunks_; }

 private:
  int64_t read_done();

  MPI_Win win_ = MPI_WIN_NULL;
  int64_t* base_ = nullptr;  // rank 0: {next chunk, chunks done}
  int64_t chunks_;
  int64_t max_ahead_;
  int rank_;
};

// Non-blocking sends of byte messages to one rank. post() keeps each buffer until its send
// completes and waits for the oldest once `depth` are in flight; flush() waits for all.
// The destructor waits too (errors then are ignored: call flush() to see them).
class Outbox {
 public:
  Outbox(const Communicator& comm, int dest, int tag, int depth);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  void post(std::vector<char> bytes);
  void flush();

 private:
  // Waits for the oldest sends until at most `in_flight` remain.
  void wait_until_at_most(size_t in_flight);

  struct Pending {
    std::vector<char> bytes;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  MPI_Comm comm_;
  int dest_, tag_, depth_, rank_;
  std::deque<Pending> pending_;
};

// One waiting message with `tag` from any rank, if there is one.
std::optional<std::vector<char>> try_receive(const Communicator& comm, int tag);

}  // namespace mgeo::dist
