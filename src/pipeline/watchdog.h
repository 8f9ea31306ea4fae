// A rank's guard against a job that stops moving (internal to src/pipeline).
//
// Contract: heartbeat() marks progress (a batch scored, a gather or chunk received, a
// journal record replayed); it is cheap and callable from any thread. While a Watchdog
// lives, a thread of its own checks once a second; after `timeout_s` without a heartbeat
// it prints which rank waited and for how long, then ends this process with SIGTERM (the
// output's handler removes the temporary files; mpirun then ends the other ranks, a
// SIGSTOP'd one included). A rank that stops answering therefore cannot keep the others
// waiting forever. timeout_s <= 0 disables it. The timeout must exceed the longest
// stretch a rank may wait honestly: one chunk of another rank's scoring.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include <fmt/format.h>

namespace mgeo::pipeline::detail {

inline std::atomic<int64_t>& last_heartbeat() {
  static std::atomic<int64_t> ns{0};
  return ns;
}

inline int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline void heartbeat() { last_heartbeat().store(now_ns(), std::memory_order_relaxed); }

class Watchdog {
 public:
  Watchdog(double timeout_s, int rank, std::string job) : timeout_s_(timeout_s), rank_(rank), job_(std::move(job)) {
    heartbeat();
    if (timeout_s_ > 0) thread_ = std::thread([this] { watch(); });
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void watch() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) {
      const double idle = (now_ns() - last_heartbeat().load(std::memory_order_relaxed)) * 1e-9;
      if (idle < timeout_s_) continue;
      fmt::print(stderr,
                 "{}: rank {}: no progress for {:.0f}s (--stall-timeout {:.0f}): another rank may be stopped or "
                 "hung; ending the job\n",
                 job_, rank_, idle, timeout_s_);
      std::fflush(stderr);
      ::kill(::getpid(), SIGTERM);
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::seconds(10));  // a handler that did not end it
      std::_Exit(3);
    }
  }

  double timeout_s_;
  int rank_;
  std::string job_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace mgeo::pipeline::detail
