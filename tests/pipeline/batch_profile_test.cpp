#include "mgeo/pipeline/batch_profile.h"

#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "job_test_util.h"
#include "mgeo/pipeline/score_job.h"

namespace mgeo::pipeline {
namespace {

using model::test::TempDir;
using model::test::write_file;

using test::alternating_pairs;
const std::string& kModel = test::kTinyModel;

struct ProfiledJob {
  TempDir dir;
  ScoreJobOptions o;
  std::string profile;
  ProfiledJob(int rows, const std::string& device) {
    const auto input = dir.file("pairs.csv");
    write_file(input, alternating_pairs(rows));
    o.model_dir = kModel, o.input = input, o.output = dir.file("unused.csv");
    o.device = device, o.threads = 1, o.batch_size = 4, o.sort_window = 8, o.chunk_rows = 16, o.quiet = true;
    profile = dir.file("batches.jsonl");
  }
};

struct Profile {
  std::vector<nlohmann::json> batches;
  nlohmann::json summary;
};

Profile read_profile(const std::string& path) {
  Profile p;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j.contains("summary"))
      p.summary = j;
    else
      p.batches.push_back(j);
  }
  return p;
}

// Every batch once, in order, with its rows and non-negative times; the summary adds them up.
void expect_sane(const Profile& p, int64_t rows, bool device) {
  ASSERT_FALSE(p.batches.empty());
  ASSERT_TRUE(p.summary.is_object()) << "no summary line";
  int64_t sum_rows = 0, sum_tokens = 0;
  double last_t = -1;
  for (size_t i = 0; i < p.batches.size(); ++i) {
    const auto& b = p.batches[i];
    EXPECT_EQ(b.at("batch").get<int64_t>(), static_cast<int64_t>(i));
    EXPECT_GT(b.at("rows").get<int64_t>(), 0);
    EXPECT_LE(b.at("rows").get<int64_t>(), 4);  // batch_size
    EXPECT_GT(b.at("tokens").get<int64_t>(), 0);
    EXPECT_LE(b.at("tokens").get<int64_t>(), b.at("padded_tokens").get<int64_t>());
    EXPECT_EQ(b.at("padded_tokens").get<int64_t>(), b.at("rows").get<int64_t>() * b.at("len").get<int64_t>());
    for (const char* k : {"t_s", "stage_s", "launch_s", "sync_s", "host_s", "host_gap_s"}) {
      EXPECT_GE(b.at(k).get<double>(), 0.0) << k << " of batch " << i;
      EXPECT_LT(b.at(k).get<double>(), 60.0) << k << " of batch " << i;
    }
    EXPECT_GE(b.at("host_s").get<double>() + 1e-9,
              b.at("stage_s").get<double>() + b.at("launch_s").get<double>() + b.at("sync_s").get<double>() - 1e-6);
    EXPECT_GE(b.at("t_s").get<double>(), last_t);
    last_t = b.at("t_s").get<double>();
    if (device) {
      EXPECT_GT(b.at("device_s").get<double>(), 0.0) << i;
      if (i > 0) {
        EXPECT_GE(b.at("device_gap_s").get<double>(), 0.0) << i;
      }
    } else {
      EXPECT_TRUE(b.at("device_s").is_null()) << i;
      EXPECT_TRUE(b.at("device_gap_s").is_null()) << i;
    }
    sum_rows += b.at("rows").get<int64_t>();
    sum_tokens += b.at("tokens").get<int64_t>();
  }
  EXPECT_EQ(sum_rows, rows);
  const auto& s = p.summary;
  EXPECT_EQ(s.at("batches").get<size_t>(), p.batches.size());
  EXPECT_EQ(s.at("rows").get<int64_t>(), rows);
  EXPECT_EQ(s.at("tokens").get<int64_t>(), sum_tokens);
  EXPECT_GT(s.at("wall_s").get<double>(), 0.0);
  EXPECT_LE(s.at("host_s").get<double>(), s.at("wall_s").get<double>() + 1e-6);
  EXPECT_EQ(s.at("device_s").is_null(), !device);
  if (device) {
    EXPECT_LE(s.at("device_busy_fraction").get<double>(), 1.05);
  }
}

TEST(BatchProfile, OneLinePerBatchWithSaneTimesOnTheCpu) {
  ProfiledJob job(45, "cpu");
  job.o.profile_batches = job.profile;
  const auto comm = dist::test_support::world();
  JobReport report;
  const auto table = score_pairs(job.o, comm, &report);
  ASSERT_EQ(table.ids.size(), 45u);
  const auto p = read_profile(job.profile);
  expect_sane(p, 45, /*device=*/false);
  EXPECT_EQ(static_cast<int64_t>(p.batches.size()), report.ranks.at(0).batches);
  EXPECT_EQ(p.summary.at("padded_tokens").get<int64_t>(), report.ranks.at(0).padded_tokens);
  EXPECT_EQ(p.summary.at("device").get<std::string>(), "cpu");
  EXPECT_TRUE(p.summary.at("kernels").is_null());
}

TEST(BatchProfile, ScoresAreIdenticalWithProfilingOnAndOff) {
  ProfiledJob job(45, "cpu");
  const auto comm = dist::test_support::world();
  const auto off = score_pairs(job.o, comm, nullptr);
  job.o.profile_batches = job.profile;
  const auto on = score_pairs(job.o, comm, nullptr);
  EXPECT_EQ(on.ids, off.ids);
  EXPECT_EQ(on.status, off.status);
  ASSERT_EQ(on.probs.size(), off.probs.size());
  for (size_t i = 0; i < on.probs.size(); ++i) EXPECT_EQ(on.probs[i], off.probs[i]) << i;
}

TEST(BatchProfile, TheEnvironmentVariableSwitchesItOn) {
  ProfiledJob job(12, "cpu");
  const auto comm = dist::test_support::world();
  ASSERT_EQ(setenv(kProfileBatchesEnv, job.profile.c_str(), 1), 0);
  score_pairs(job.o, comm, nullptr);
  unsetenv(kProfileBatchesEnv);
  expect_sane(read_profile(job.profile), 12, false);
  std::filesystem::remove(job.profile);
  score_pairs(job.o, comm, nullptr);  // unset: no file
  EXPECT_FALSE(std::filesystem::exists(job.profile));
}

TEST(BatchProfile, KernelProfilerCountsOpsAndSavesATrace) {
  ProfiledJob job(12, "cpu");
  job.o.profile_batches = job.profile;
  const auto comm = dist::test_support::world();
  ASSERT_EQ(setenv(kProfileKernelsEnv, "1", 1), 0);
  score_pairs(job.o, comm, nullptr);
  unsetenv(kProfileKernelsEnv);
  const auto p = read_profile(job.profile);
  expect_sane(p, 12, false);
  const auto& k = p.summary.at("kernels");
  ASSERT_TRUE(k.is_object());
  EXPECT_GT(k.at("cpu_ops").get<int64_t>(), 0);
  EXPECT_EQ(k.at("kernels").get<int64_t>(), 0);  // no GPU
  EXPECT_TRUE(std::filesystem::exists(job.profile + ".trace.json"));
}

TEST(BatchProfile, UnwritablePathIsAnError) {
  ProfiledJob job(4, "cpu");
  job.o.profile_batches = job.dir.file("no/such/dir/batches.jsonl");
  EXPECT_THROW(score_pairs(job.o, dist::test_support::world(), nullptr), Error);
}

TEST(BatchProfile, PathPerRank) {
  EXPECT_EQ(profile_path_for_rank("p.jsonl", 0, 1), "p.jsonl");
  EXPECT_EQ(profile_path_for_rank("p.jsonl", 1, 2), "p.jsonl.rank1");
  EXPECT_EQ(profile_path_for_rank("p-{rank}.jsonl", 3, 4), "p-3.jsonl");
  EXPECT_EQ(profile_path_for_rank("p-{rank}.jsonl", 0, 1), "p-0.jsonl");
}

TEST(BatchProfile, DeviceTimesOnTheGpu_CUDA) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  ProfiledJob job(45, "cuda");
  job.o.profile_batches = job.profile;
  job.o.gather = "mpi";
  const auto comm = dist::test_support::world();
  const auto on = score_pairs(job.o, comm, nullptr);
  expect_sane(read_profile(job.profile), 45, /*device=*/true);
  job.o.profile_batches.clear();
  const auto off = score_pairs(job.o, comm, nullptr);
  ASSERT_EQ(on.probs.size(), off.probs.size());
  for (size_t i = 0; i < on.probs.size(); ++i) EXPECT_EQ(on.probs[i], off.probs[i]) << i;
  // Results left on the device (NCCL gather path): the batch ends without a sync.
  job.o.gather = "nccl", job.o.profile_batches = job.profile;
  score_pairs(job.o, comm, nullptr);
  expect_sane(read_profile(job.profile), 45, /*device=*/true);
}

}  // namespace
}  // namespace mgeo::pipeline
