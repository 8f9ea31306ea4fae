// mgeo/pipeline/batch_profile.h — where a Scorer's time goes, batch by batch.
//
// Contract: a BatchProfiler belongs to one Scorer and the thread that runs its forward
// passes (not thread-safe). The Scorer marks each batch: begin() before host staging,
// staged() before the H2D copies, launched() when forward + softmax have returned on the
// host (on CUDA they are only queued), end() when the batch's probabilities are where the
// caller wants them (after the D2H copy and its wait, or at once when they stay on the
// device). It writes one JSON line per batch to `path`, in batch order, then a summary
// line at finish():
//   {"batch", "rank", "t_s" (begin, from the profiler's start), "rows", "len" (padded),
//    "tokens" (real), "padded_tokens", "stage_s" (building the pinned int64 inputs),
//    "launch_s" (H2D + forward + softmax calls returning on the host), "sync_s" (the
//    D2H copy, waiting for the device, and the copy out), "host_s" (begin to end),
//    "host_gap_s" (the caller's time between the previous end() and this begin(): batch
//    planning, result copies, waiting for the next piece, gathers; 0 for the first),
//    "device_s" (CUDA events: one before the H2D copies, one after softmax; null on the
//    CPU), "device_gap_s" (from the previous batch's end event to this start event: the
//    GPU idle between batches, or busy with work the caller queued between them, such as
//    the previous small D2H or, on the NCCL path, the index_copy_ of the results; null on
//    the CPU or for the first batch)}
//   {"summary": true, "rank", "device", "batches", "rows", "tokens", "padded_tokens",
//    "wall_s" (first begin() to last end()), sums of every *_s field above,
//    "device_busy_fraction" (device_s / wall_s; null on the CPU), "host_busy_fraction",
//    and "kernels" (null unless MGEO_PROFILE_KERNELS=1; {"error"} if Kineto would not start)}
// device_s is the GPU's span from the first H2D copy to softmax: when the host launches
// kernels slower than the GPU runs them, it includes the GPU waiting for launches (then
// device_s is close to launch_s); MGEO_PROFILE_KERNELS gives the time spent in kernels.
// Device events are read once complete (polled at each begin(), waited for at finish()),
// so profiling adds no synchronisation to the pipeline.
// With MGEO_PROFILE_KERNELS=1 the libtorch (Kineto) profiler also runs from the first
// begin() to finish(): the summary's "kernels" holds the count and time of CUDA kernels
// and memcpys and of CPU-side ATen ops (with per-batch means), and the trace is saved as
// `path` + ".trace.json" (chrome://tracing, Perfetto). It costs host time: compare
// launch_s only between runs without it.
// Failures to open or write `path` throw mgeo::Error naming it.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <deque>
#include <fstream>
#include <memory>
#include <string>

#include "mgeo/util/timer.h"

namespace mgeo::pipeline {

// The environment variable that switches profiling on for score, link and dedupe jobs:
// MGEO_PROFILE_BATCHES=path.jsonl (with several ranks, "{rank}" in the path is replaced
// by the rank, or ".rank<r>" is appended).
inline constexpr const char* kProfileBatchesEnv = "MGEO_PROFILE_BATCHES";
inline constexpr const char* kProfileKernelsEnv = "MGEO_PROFILE_KERNELS";

// The file rank `rank` of `world` writes for the requested `path` (see kProfileBatchesEnv).
std::string profile_path_for_rank(const std::string& path, int rank, int world);

class BatchProfiler;
// The profiler a job's rank asked for: `asked`, or when that is empty the environment's
// MGEO_PROFILE_BATCHES (MGEO_PROFILE_KERNELS=1 adds Kineto); null when neither names a
// path, or when `data_parallel` (the --dp replicas' batches are not profiled; rank 0 says
// so on stderr unless `quiet`).
std::unique_ptr<BatchProfiler> open_batch_profiler(const std::string& asked, torch::Device device, int rank,
                                                   int world, bool data_parallel, bool quiet);

class BatchProfiler {
 public:
  // Truncates `path`. kernels: run the Kineto profiler too (see above).
  BatchProfiler(const std::string& path, torch::Device device, int rank, bool kernels);
  ~BatchProfiler();  // finish() if it was not called, errors swallowed
  BatchProfiler(const BatchProfiler&) = delete;
  BatchProfiler& operator=(const BatchProfiler&) = delete;

  void begin(int64_t rows, int64_t len, int64_t tokens);
  void staged();
  void launched();
  void end();

  // Waits for the device, writes the remaining lines and the summary, closes the file.
  // Returns a one-line human summary. Idempotent (later calls return "").
  std::string finish();

  const std::string& path() const { return path_; }

 private:
  struct Marks;  // a batch's CUDA events (CUDA builds only)
  struct Record {
    int64_t batch = 0, rows = 0, len = 0, tokens = 0;
    double t_s = 0, stage_s = 0, launch_s = 0, sync_s = 0, host_s = 0, host_gap_s = 0;
    std::shared_ptr<Marks> marks;  // null on the CPU
  };
  struct Totals;

  double now() const { return clock_.seconds(); }
  void drain(bool wait);  // writes the complete records at the front of pending_
  void write(const Record& r, const double* device_s, const double* device_gap_s);

  std::string path_;
  torch::Device device_;
  int rank_;
  bool kernels_;               // Kineto still to be started at the first begin()
  bool kernels_on_ = false;    // Kineto running
  std::ofstream file_;
  Stopwatch clock_;
  Record cur_;
  double t_begin_ = 0, t_staged_ = 0, t_launched_ = 0, t_last_end_ = -1, t_first_ = -1;
  std::deque<Record> pending_;       // ended, device events not read yet
  std::shared_ptr<Marks> prev_marks_; // the last written batch's events, for device_gap_s
  std::unique_ptr<Totals> totals_;
  bool finished_ = false;
};

}  // namespace mgeo::pipeline
