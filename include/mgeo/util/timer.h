// mgeo/util/timer.h — monotonic wall-clock stopwatch. Value type; not shared across threads.
#pragma once

#include <chrono>

namespace mgeo {

class Stopwatch {
 public:
  Stopwatch() : start_(Clock::now()) {}
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  // Returns the seconds since the last lap (or construction) and restarts.
  double lap() {
    const auto now = Clock::now();
    const double s = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    return s;
  }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_;
};

}  // namespace mgeo
