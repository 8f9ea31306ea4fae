#include "mgeo/pipeline/batch_profile.h"

#include <torch/csrc/autograd/profiler_kineto.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>

#include "mgeo/util/error.h"

#ifdef MGEO_WITH_CUDA
#include <c10/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace mgeo::pipeline {

#ifdef MGEO_WITH_CUDA
struct BatchProfiler::Marks {
  c10::cuda::CUDAEvent start{cudaEventDefault}, end{cudaEventDefault};  // timing enabled
};
#else
struct BatchProfiler::Marks {};
#endif

struct BatchProfiler::Totals {
  int64_t batches = 0, rows = 0, tokens = 0, padded_tokens = 0;
  double stage_s = 0, launch_s = 0, sync_s = 0, host_s = 0, host_gap_s = 0, device_s = 0, device_gap_s = 0;
  bool device = false;  // device_s was measured
  nlohmann::json kernels;  // null unless the Kineto profiler ran
};

namespace {

// The Kineto activity types counted (libkineto::ActivityType, kineto/ActivityType.h).
enum KinetoActivity : uint8_t { kCpuOp = 0, kGpuMemcpy = 3, kGpuMemset = 4, kKernel = 5, kCudaRuntime = 7 };

nlohmann::json optional_number(const double* v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

std::string profile_path_for_rank(const std::string& path, int rank, int world) {
  const auto at = path.find("{rank}");
  if (at != std::string::npos) return path.substr(0, at) + std::to_string(rank) + path.substr(at + 6);
  return world > 1 ? path + ".rank" + std::to_string(rank) : path;
}

BatchProfiler::BatchProfiler(const std::string& path, torch::Device device, int rank, bool kernels)
    : path_(path), device_(device), rank_(rank), kernels_(kernels), totals_(std::make_unique<Totals>()) {
  file_.open(path_, std::ios::out | std::ios::trunc);
  MGEO_CHECK(file_.good(), "{}: cannot write the batch profile ({}): {}", path_, kProfileBatchesEnv,
             std::strerror(errno));
#ifndef MGEO_WITH_CUDA
  MGEO_CHECK(!device_.is_cuda(), "{}: batch profiling on {} needs a build with CUDA", path_, device_.str());
#endif
}

BatchProfiler::~BatchProfiler() {
  try {
    finish();
  } catch (...) {  // a destructor must not throw; finish() is called explicitly on the normal path
  }
}

void BatchProfiler::begin(int64_t rows, int64_t len, int64_t tokens) {
  if (kernels_) {  // once, on the forward thread: Kineto's CPU side is per thread
    using namespace torch::profiler::impl;
    std::set<ActivityType> acts{ActivityType::CPU};
    if (device_.is_cuda()) acts.insert(ActivityType::CUDA);
    const ProfilerConfig cfg(ProfilerState::KINETO);
    try {
      torch::autograd::profiler::prepareProfiler(cfg, acts);
      torch::autograd::profiler::enableProfiler(cfg, acts);
      kernels_on_ = true;
    } catch (const std::exception& e) {  // no CUPTI, say: the batch timings still stand
      totals_->kernels = {{"error", std::string("the Kineto profiler did not start: ") + e.what()}};
    }
    kernels_ = false;
  }
  if (!pending_.empty()) drain(/*wait=*/false);
  t_begin_ = now();
  if (t_first_ < 0) t_first_ = t_begin_;
  cur_ = Record{};
  cur_.batch = totals_->batches++;
  cur_.rows = rows, cur_.len = len, cur_.tokens = tokens;
  cur_.t_s = t_begin_;
  cur_.host_gap_s = t_last_end_ < 0 ? 0.0 : t_begin_ - t_last_end_;
}

void BatchProfiler::staged() {
  t_staged_ = now();
  cur_.stage_s = t_staged_ - t_begin_;
#ifdef MGEO_WITH_CUDA
  if (device_.is_cuda()) {
    cur_.marks = std::make_shared<Marks>();
    cur_.marks->start.record(c10::cuda::getCurrentCUDAStream(device_.index()));
  }
#endif
}

void BatchProfiler::launched() {
#ifdef MGEO_WITH_CUDA
  if (cur_.marks) cur_.marks->end.record(c10::cuda::getCurrentCUDAStream(device_.index()));
#endif
  t_launched_ = now();
  cur_.launch_s = t_launched_ - t_staged_;
}

void BatchProfiler::end() {
  t_last_end_ = now();
  cur_.sync_s = t_last_end_ - t_launched_;
  cur_.host_s = t_last_end_ - t_begin_;
  pending_.push_back(std::move(cur_));
  cur_ = Record{};
  drain(/*wait=*/false);
}

void BatchProfiler::drain(bool wait) {
  while (!pending_.empty()) {
    Record& r = pending_.front();
    if (!r.marks) {
      write(r, nullptr, nullptr);
      pending_.pop_front();
      continue;
    }
#ifdef MGEO_WITH_CUDA
    if (wait)
      r.marks->end.synchronize();
    else if (!r.marks->end.query())
      return;
    const double device_s = r.marks->start.elapsed_time(r.marks->end) / 1e3;
    std::optional<double> gap;
    if (prev_marks_) gap = prev_marks_->end.elapsed_time(r.marks->start) / 1e3;
    write(r, &device_s, gap ? &*gap : nullptr);
    prev_marks_ = std::move(r.marks);
#endif
    pending_.pop_front();
  }
}

void BatchProfiler::write(const Record& r, const double* device_s, const double* device_gap_s) {
  Totals& t = *totals_;
  t.rows += r.rows, t.tokens += r.tokens, t.padded_tokens += r.rows * r.len;
  t.stage_s += r.stage_s, t.launch_s += r.launch_s, t.sync_s += r.sync_s, t.host_s += r.host_s;
  t.host_gap_s += r.host_gap_s;
  if (device_s) t.device = true, t.device_s += *device_s;
  if (device_gap_s) t.device_gap_s += *device_gap_s;
  const nlohmann::json line = {
      {"batch", r.batch},       {"rank", rank_},
      {"t_s", r.t_s - std::max(0.0, t_first_)},
      {"rows", r.rows},         {"len", r.len},
      {"tokens", r.tokens},     {"padded_tokens", r.rows * r.len},
      {"stage_s", r.stage_s},   {"launch_s", r.launch_s},
      {"sync_s", r.sync_s},     {"host_s", r.host_s},
      {"host_gap_s", r.host_gap_s},
      {"device_s", optional_number(device_s)},
      {"device_gap_s", optional_number(device_gap_s)}};
  file_ << line.dump() << '\n';
  MGEO_CHECK(file_.good(), "{}: writing the batch profile failed: {}", path_, std::strerror(errno));
}

std::string BatchProfiler::finish() {
  if (finished_) return "";
  finished_ = true;
  drain(/*wait=*/true);
  Totals& t = *totals_;
  if (kernels_on_) {
    kernels_on_ = false;
    try {
      const auto result = torch::autograd::profiler::disableProfiler();
      int64_t kernels = 0, memcpys = 0, memsets = 0, cpu_ops = 0, runtime_calls = 0;
      uint64_t kernel_ns = 0, memcpy_ns = 0, cpu_op_ns = 0;
      for (const auto& e : result->events()) {
        switch (e.activityType()) {
          case kKernel: ++kernels, kernel_ns += e.durationNs(); break;
          case kGpuMemcpy: ++memcpys, memcpy_ns += e.durationNs(); break;
          case kGpuMemset: ++memsets; break;
          case kCudaRuntime: ++runtime_calls; break;
          case kCpuOp: ++cpu_ops, cpu_op_ns += e.durationNs(); break;
          default: break;
        }
      }
      const double per = 1.0 / std::max<int64_t>(1, t.batches);
      t.kernels = {{"kernels", kernels},
                   {"kernel_s", kernel_ns / 1e9},
                   {"kernels_per_batch", kernels * per},
                   {"memcpys", memcpys},
                   {"memcpy_s", memcpy_ns / 1e9},
                   {"memsets", memsets},
                   {"cuda_runtime_calls", runtime_calls},
                   {"cpu_ops", cpu_ops},
                   {"cpu_ops_per_batch", cpu_ops * per},
                   {"cpu_op_s", cpu_op_ns / 1e9},  // nested ops counted at each level
                   {"trace", path_ + ".trace.json"}};
      result->save(path_ + ".trace.json");
    } catch (const std::exception& e) {
      t.kernels = {{"error", std::string("the Kineto profiler failed: ") + e.what()}};
    }
  }
  const double wall = t_first_ < 0 ? 0.0 : t_last_end_ - t_first_;
  auto frac = [&](double s) { return wall > 0 ? nlohmann::json(s / wall) : nlohmann::json(nullptr); };
  nlohmann::json summary = {{"summary", true},
                            {"rank", rank_},
                            {"device", device_.str()},
                            {"batches", t.batches},
                            {"rows", t.rows},
                            {"tokens", t.tokens},
                            {"padded_tokens", t.padded_tokens},
                            {"wall_s", wall},
                            {"stage_s", t.stage_s},
                            {"launch_s", t.launch_s},
                            {"sync_s", t.sync_s},
                            {"host_s", t.host_s},
                            {"host_gap_s", t.host_gap_s},
                            {"device_s", t.device ? nlohmann::json(t.device_s) : nlohmann::json(nullptr)},
                            {"device_gap_s", t.device ? nlohmann::json(t.device_gap_s) : nlohmann::json(nullptr)},
                            {"device_busy_fraction", t.device ? frac(t.device_s) : nlohmann::json(nullptr)},
                            {"host_busy_fraction", frac(t.host_s)},
                            {"kernels", t.kernels}};
  file_ << summary.dump() << '\n';
  file_.close();
  MGEO_CHECK(!file_.fail(), "{}: writing the batch profile failed: {}", path_, std::strerror(errno));
  std::string line = fmt::format(
      "profile: rank {}: {} batches, {} rows in {:.3f}s: stage {:.3f}s, launch {:.3f}s, sync {:.3f}s, host gaps {:.3f}s",
      rank_, t.batches, t.rows, wall, t.stage_s, t.launch_s, t.sync_s, t.host_gap_s);
  if (t.device)
    line += fmt::format(", device {:.3f}s ({:.0f}% busy), device gaps {:.3f}s", t.device_s,
                        wall > 0 ? 100 * t.device_s / wall : 0.0, t.device_gap_s);
  if (t.kernels.contains("kernels"))
    line += fmt::format(", {} kernels ({:.1f}/batch, {:.3f}s)", t.kernels["kernels"].get<int64_t>(),
                        t.kernels["kernels_per_batch"].get<double>(), t.kernels["kernel_s"].get<double>());
  return line + "; wrote " + path_;
}

std::unique_ptr<BatchProfiler> open_batch_profiler(const std::string& asked, torch::Device device, int rank,
                                                   int world, bool data_parallel, bool quiet) {
  std::string path = asked;
  if (path.empty()) {
    const char* env = std::getenv(kProfileBatchesEnv);
    path = env != nullptr ? env : "";
  }
  if (path.empty()) return nullptr;
  if (data_parallel) {
    if (rank == 0 && !quiet)
      fmt::print(stderr, "score: {} ignored: the --dp replicas' batches are not profiled\n", kProfileBatchesEnv);
    return nullptr;
  }
  const char* kernels = std::getenv(kProfileKernelsEnv);
  return std::make_unique<BatchProfiler>(profile_path_for_rank(path, rank, world), device, rank,
                                         kernels != nullptr && std::string(kernels) == "1");
}

}  // namespace mgeo::pipeline
