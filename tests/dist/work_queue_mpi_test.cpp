#include "mgeo/dist/work_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "mgeo/util/error.h"
#include "mpi_env.h"

namespace mgeo::dist {
namespace {

using test_support::world;

// Takes chunks until none is left; rank 0 publishes each chunk done as soon as it is taken
// by anyone it has heard of (here: it marks all taken ones done when idle).
std::vector<int64_t> take_all(WorkQueue& q, const Communicator& comm, int64_t* max_gap) {
  std::vector<int64_t> mine;
  int64_t published = 0;
  for (;;) {
    const int64_t c = q.take([&] {
      if (comm.rank() == 0) q.publish_done(++published);  // progress, one chunk at a time
    });
    if (c < 0) return mine;
    *max_gap = std::max(*max_gap, c - published);
    mine.push_back(c);
    if (comm.rank() == 0) q.publish_done(published = std::max(published, c + 1));
  }
}

TEST(WorkQueueMPI, EveryChunkOnceInIncreasingOrder) {
  const auto comm = world();
  std::vector<int64_t> mine;
  int64_t gap = 0;
  {
    WorkQueue q(comm, 200, 1000);
    mine = take_all(q, comm, &gap);
  }
  EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
  auto all = comm.gatherv(mine, 0);
  if (comm.rank() != 0) return;
  std::sort(all.begin(), all.end());
  std::vector<int64_t> want(200);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(all, want);
}

TEST(WorkQueueMPI, RankZeroTakesEverythingAloneWithATightBound) {
  const auto comm = world();
  if (comm.size() > 1) GTEST_SKIP() << "the bound is exercised by the scoring job under mpirun";
  WorkQueue q(comm, 50, 1);  // each chunk must wait for the previous one to be done
  int64_t gap = 0;
  const auto mine = take_all(q, comm, &gap);
  EXPECT_EQ(mine.size(), 50u);
  EXPECT_LE(gap, 1);
}

TEST(WorkQueueMPI, OutboxMessagesReachRankZero) {
  const auto comm = world();
  constexpr int kTag = 77;
  {
    Outbox out(comm, 0, kTag, 2);
    if (comm.rank() != 0)
      for (int i = 0; i < 5; ++i) out.post(std::vector<char>(1000 * (i + 1), static_cast<char>('a' + comm.rank())));
    if (comm.rank() == 0) {
      std::vector<size_t> sizes;
      while (static_cast<int>(sizes.size()) < 5 * (comm.size() - 1))
        if (auto m = try_receive(comm, kTag)) sizes.push_back(m->size());
      std::sort(sizes.begin(), sizes.end());
      if (!sizes.empty()) {
        EXPECT_EQ(sizes.back(), 5000u);
      }
    }
    out.flush();
  }
  EXPECT_FALSE(try_receive(comm, kTag).has_value());
  comm.barrier();
}

TEST(WorkQueueMPI, RejectsBadArguments) {
  const auto comm = world();
  EXPECT_THROW(WorkQueue(comm, -1, 1), Error);
  EXPECT_THROW(WorkQueue(comm, 10, 0), Error);
}

}  // namespace
}  // namespace mgeo::dist
