#include "mgeo/dist/env.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "mgeo/util/error.h"

namespace mgeo::dist {
namespace {

constexpr const char* kLocalRankVars[] = {
    "OMPI_COMM_WORLD_LOCAL_RANK", "MV2_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID",
    "PMI_LOCAL_RANK",             "SLURM_LOCALID",             "LOCAL_RANK",
};

int parse_local_rank(const char* name, std::string_view value) {
  int v = -1;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  MGEO_CHECK(!value.empty() && ec == std::errc() && end == value.data() + value.size() && v >= 0,
             "{}='{}' is not a non-negative integer", name, value);
  return v;
}

}  // namespace

int local_rank_from_env(const EnvLookup& getenv) {
  for (const char* name : kLocalRankVars)
    if (const char* value = getenv(name)) return parse_local_rank(name, value);
  return -1;
}

int local_rank_from_env() {
  return local_rank_from_env([](const char* name) { return std::getenv(name); });
}

int select_device(int local_rank, int device_count) {
  MGEO_CHECK(local_rank >= 0 && device_count >= 0, "select_device: bad local rank {} or device count {}",
             local_rank, device_count);
  return device_count == 0 ? -1 : local_rank % device_count;
}

}  // namespace mgeo::dist
