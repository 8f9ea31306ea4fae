// Stage timings of the alignment jobs (internal to src/align): each rank records the
// seconds and its peak resident memory at the end of every stage; gather() brings every
// rank's record to rank 0 as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <string>
#include <vector>

#include "mgeo/dist/comm.h"
#include "mgeo/util/timer.h"

namespace mgeo::align::detail {

inline double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // Linux reports KiB
}

class StageClock {
 public:
  explicit StageClock(std::vector<std::string> names) : names_(std::move(names)), values_(2 * names_.size(), 0.0) {}

  // Ends stage `i` (its seconds since the previous end) and records the peak memory.
  void end(std::size_t i) {
    values_[2 * i] += lap_.lap();
    values_[2 * i + 1] = peak_rss_mb();
  }

  // Collective: on rank 0, {"stages": [{"name", "seconds" (the slowest rank's),
  // "peak_rss_mb" (the largest)}...], "ranks": [per rank {"name": seconds}]}; {} elsewhere.
  nlohmann::json gather(const dist::Communicator& comm) const {
    const auto all = comm.gatherv(values_, 0);
    if (comm.rank() != 0) return {};
    nlohmann::json stages = nlohmann::json::array(), ranks = nlohmann::json::array();
    const std::size_t width = values_.size();
    for (std::size_t i = 0; i < names_.size(); ++i) {
      double s = 0, mem = 0;
      for (std::size_t r = 0; r * width < all.size(); ++r) {
        s = std::max(s, all[r * width + 2 * i]);
        mem = std::max(mem, all[r * width + 2 * i + 1]);
      }
      stages.push_back({{"name", names_[i]}, {"seconds", s}, {"peak_rss_mb", mem}});
    }
    for (std::size_t r = 0; r * width < all.size(); ++r) {
      nlohmann::json one;
      one["rank"] = r;
      for (std::size_t i = 0; i < names_.size(); ++i) one[names_[i] + "_s"] = all[r * width + 2 * i];
      ranks.push_back(one);
    }
    return {{"stages", stages}, {"ranks", ranks}};
  }

 private:
  std::vector<std::string> names_;
  std::vector<double> values_;  // per stage: seconds, peak MiB
  Stopwatch lap_;
};

}  // namespace mgeo::align::detail
