#include "mgeo/dist/env.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "mgeo/util/error.h"

namespace mgeo::dist {
namespace {

int local_rank_with(const std::map<std::string, std::string>& vars) {
  return local_rank_from_env([&](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

std::string error_of(const std::map<std::string, std::string>& vars) {
  try {
    local_rank_with(vars);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(LocalRankFromEnv, NoneSet) {
  EXPECT_EQ(local_rank_with({}), -1);
  EXPECT_EQ(local_rank_with({{"OMPI_COMM_WORLD_RANK", "3"}}), -1);
}

TEST(LocalRankFromEnv, EachVariable) {
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_RANK", "MV2_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID",
                           "PMI_LOCAL_RANK", "SLURM_LOCALID", "LOCAL_RANK"})
    EXPECT_EQ(local_rank_with({{name, "5"}}), 5) << name;
}

TEST(LocalRankFromEnv, FirstInOrderWins) {
  EXPECT_EQ(local_rank_with({{"LOCAL_RANK", "1"}, {"OMPI_COMM_WORLD_LOCAL_RANK", "2"}}), 2);
  EXPECT_EQ(local_rank_with({{"LOCAL_RANK", "1"}, {"SLURM_LOCALID", "4"}}), 4);
  EXPECT_EQ(local_rank_with({{"PMI_LOCAL_RANK", "0"}, {"MPI_LOCALRANKID", "7"}}), 7);
  EXPECT_EQ(local_rank_with({{"MV2_COMM_WORLD_LOCAL_RANK", "3"}, {"LOCAL_RANK", "bad"}}), 3);
}

TEST(LocalRankFromEnv, NonIntegerNamesTheVariable) {
  for (const char* value : {"", "abc", "1x", " 1", "+1", "-1", "1.5", "99999999999"}) {
    const std::string msg = error_of({{"SLURM_LOCALID", value}});
    EXPECT_NE(msg.find("SLURM_LOCALID"), std::string::npos) << "value '" << value << "': " << msg;
  }
}

TEST(SelectDevice, RoundRobin) {
  EXPECT_EQ(select_device(0, 4), 0);
  EXPECT_EQ(select_device(3, 4), 3);
  EXPECT_EQ(select_device(5, 4), 1);
  EXPECT_EQ(select_device(2, 1), 0);
  EXPECT_EQ(select_device(0, 0), -1);
  EXPECT_EQ(select_device(7, 0), -1);
  EXPECT_THROW(select_device(-1, 2), Error);
  EXPECT_THROW(select_device(0, -1), Error);
}

}  // namespace
}  // namespace mgeo::dist
