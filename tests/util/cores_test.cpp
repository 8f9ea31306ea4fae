#include "mgeo/util/cores.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

namespace mgeo {
namespace {

// The count follows the affinity mask: narrowed to one CPU, it is 1; restored, it is the
// mask's size again, never more than the machine has.
TEST(UsableCores, FollowsTheAffinityMask) {
  cpu_set_t saved;
  ASSERT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
  const int all = usable_cores();
  EXPECT_EQ(all, CPU_COUNT(&saved));
  EXPECT_LE(all, static_cast<int>(std::thread::hardware_concurrency()));

  int first = 0;
  while (!CPU_ISSET(first, &saved)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  EXPECT_EQ(usable_cores(), 1);
  ASSERT_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
  EXPECT_EQ(usable_cores(), all);
}

}  // namespace
}  // namespace mgeo
