// Collectives checked against exact values on every world size (run under mpirun -np N).
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "mgeo/dist/comm.h"
#include "mgeo/util/error.h"
#include "mpi_env.h"

namespace mgeo::dist {
namespace {

using test_support::world;

// Rank r contributes items_of(r) values; rank 1 contributes none.
int64_t items_of(int rank) { return rank == 1 ? 0 : 3 + 2 * rank; }

template <class T>
std::vector<T> items(int rank) {
  std::vector<T> v;
  for (int64_t i = 0; i < items_of(rank); ++i) v.push_back(static_cast<T>(rank * 10 + i));
  return v;
}

template <class T>
std::vector<T> all_items(int world_size) {
  std::vector<T> v;
  for (int r = 0; r < world_size; ++r) {
    const auto mine = items<T>(r);
    v.insert(v.end(), mine.begin(), mine.end());
  }
  return v;
}

template <class T>
void expect_gathered(const Communicator& comm, int root) {
  const auto got = comm.gatherv(items<T>(comm.rank()), root);
  if (comm.rank() == root)
    EXPECT_EQ(got, all_items<T>(comm.size())) << "root " << root;
  else
    EXPECT_TRUE(got.empty()) << "rank " << comm.rank() << ", root " << root;
}

template <class T>
class GathervMPI : public ::testing::Test {};
using Scalars = ::testing::Types<float, double, int32_t, int64_t, uint8_t, char>;
TYPED_TEST_SUITE(GathervMPI, Scalars);

TYPED_TEST(GathervMPI, UnevenCountsToEveryRoot) {
  const auto comm = world();
  for (int root = 0; root < comm.size(); ++root) expect_gathered<TypeParam>(comm, root);
}

TYPED_TEST(GathervMPI, InPiecesAboveTheMessageLimit) {
  auto comm = world();
  comm.set_max_message_bytes(5);  // pieces that split elements
  for (int root = 0; root < comm.size(); ++root) expect_gathered<TypeParam>(comm, root);
}

TEST(GatherMPI, NothingFromAnyRank) {
  const auto comm = world();
  EXPECT_TRUE(comm.gatherv(std::vector<double>{}, 0).empty());
  EXPECT_TRUE(comm.gather_strings({}, 0).empty());
}

TEST(GatherMPI, ManyPieces) {
  auto comm = world();
  comm.set_max_message_bytes(4096);
  const size_t n = 100'000;
  std::vector<int32_t> mine(n);
  for (size_t i = 0; i < n; ++i) mine[i] = static_cast<int32_t>(comm.rank() * n + i);
  const auto got = comm.gatherv(mine, 0);
  if (comm.rank() != 0) return;
  ASSERT_EQ(got.size(), n * comm.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], static_cast<int32_t>(i)) << "at " << i;
}

std::vector<std::string> strings_of(int rank) {
  if (rank == 1) return {};
  return {"", "北京市朝阳区望京街道" + std::to_string(rank), std::string(rank, 'x'), "🏠 ", ""};
}

TEST(GatherMPI, StringsWithEmptyAndMultibyte) {
  auto comm = world();
  std::vector<std::string> expected;
  for (int r = 0; r < comm.size(); ++r)
    for (auto& s : strings_of(r)) expected.push_back(s);
  for (size_t limit : {size_t{INT_MAX}, size_t{3}}) {
    comm.set_max_message_bytes(limit);
    const int root = comm.size() - 1;
    const auto got = comm.gather_strings(strings_of(comm.rank()), root);
    EXPECT_EQ(got, comm.rank() == root ? expected : std::vector<std::string>{}) << "limit " << limit;
  }
}

TEST(AllreduceMPI, ScalarSumMaxMin) {
  const auto comm = world();
  const int n = comm.size();
  const int r = comm.rank();
  EXPECT_EQ(comm.allreduce_sum<int32_t>(r + 1), n * (n + 1) / 2);
  EXPECT_EQ(comm.allreduce_sum<int64_t>((int64_t{1} << 40) * (r + 1)), (int64_t{1} << 40) * n * (n + 1) / 2);
  EXPECT_EQ(comm.allreduce_sum<uint8_t>(static_cast<uint8_t>(r + 1)), n * (n + 1) / 2);
  EXPECT_EQ(comm.allreduce_sum(0.25 * r), 0.25 * n * (n - 1) / 2);
  EXPECT_EQ(comm.allreduce_max(0.5 * r), 0.5 * (n - 1));
  EXPECT_EQ(comm.allreduce_max<char>(static_cast<char>('a' + r)), 'a' + n - 1);
  EXPECT_EQ(comm.allreduce_min(-1.0f * r), -1.0f * (n - 1));
  EXPECT_EQ(comm.allreduce_min<int64_t>(100 - r), 100 - (n - 1));
}

TEST(AllreduceMPI, SumInPlaceInPieces) {
  auto comm = world();
  comm.set_max_message_bytes(64);  // 16 floats per call
  const int n = comm.size();
  std::vector<float> v(1001);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(comm.rank() + i % 7);
  comm.allreduce_sum_inplace(v.data(), v.size());
  for (size_t i = 0; i < v.size(); ++i)
    ASSERT_EQ(v[i], static_cast<float>(n * (i % 7) + n * (n - 1) / 2)) << "at " << i;
}

TEST(AllgatherMPI, RankOrder) {
  const auto comm = world();
  const auto got = comm.allgather<int64_t>(int64_t{comm.rank()} * comm.rank() + (int64_t{1} << 33));
  ASSERT_EQ(got.size(), static_cast<size_t>(comm.size()));
  for (int r = 0; r < comm.size(); ++r) EXPECT_EQ(got[r], int64_t{r} * r + (int64_t{1} << 33));
}

TEST(BcastMPI, StringFromLastRank) {
  auto comm = world();
  const int root = comm.size() - 1;
  const std::string sent = "浙江省杭州市西湖区" + std::string(1000, 'z') + "号";
  for (size_t limit : {size_t{INT_MAX}, size_t{7}}) {
    comm.set_max_message_bytes(limit);
    std::string s = comm.rank() == root ? sent : std::string(5000, '?');
    comm.bcast(s, root);
    EXPECT_EQ(s, sent) << "limit " << limit;
    std::string empty = comm.rank() == root ? "" : "not empty";
    comm.bcast(empty, root);
    EXPECT_EQ(empty, "");
  }
}

TEST(CommunicatorMPI, MatchesWorld) {
  const auto comm = world();
  int rank = -1;
  int size = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  EXPECT_EQ(comm.rank(), rank);
  EXPECT_EQ(comm.size(), size);
  EXPECT_GE(comm.local_size(), 1);
  EXPECT_LE(comm.local_size(), size);
  EXPECT_GE(comm.local_rank(), 0);
  EXPECT_LT(comm.local_rank(), comm.local_size());
  EXPECT_NO_THROW(comm.barrier());
}

TEST(CommunicatorMPI, BadRootThrowsOnEveryRank) {
  const auto comm = world();
  EXPECT_THROW(comm.gatherv(std::vector<float>{1.0f}, comm.size()), Error);
  EXPECT_THROW(comm.gather_strings({"a"}, -1), Error);
  std::string s;
  EXPECT_THROW(comm.bcast(s, comm.size()), Error);
}

TEST(CommunicatorMPI, MessageLimitRange) {
  auto comm = world();
  EXPECT_THROW(comm.set_max_message_bytes(0), Error);
  EXPECT_THROW(comm.set_max_message_bytes(size_t{INT_MAX} + 1), Error);
  comm.set_max_message_bytes(1);
  EXPECT_EQ(comm.max_message_bytes(), 1u);
}

TEST(CommunicatorMPI, FailedCallNamesCallRankAndLine) {
  const auto comm = world();
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);  // so the bad handle below is reported
  std::string msg;
  try {
    Communicator bad(MPI_COMM_NULL);
  } catch (const Error& e) {
    msg = e.what();
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
  EXPECT_NE(msg.find("MPI_Comm_dup"), std::string::npos) << msg;
  EXPECT_NE(msg.find("rank " + std::to_string(comm.rank())), std::string::npos) << msg;
  EXPECT_NE(msg.find("src/dist/comm.cpp:"), std::string::npos) << msg;
}

}  // namespace
}  // namespace mgeo::dist
