#include "mgeo/pipeline/score_job.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sys/resource.h>
#include <csignal>
#include <fstream>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "job_test_util.h"
#include "mgeo/model/checkpoint.h"
#include "mgeo/pipeline/metrics.h"
#include "mgeo/util/error.h"

namespace mgeo::pipeline {
namespace {

using model::test::TempDir;
using model::test::write_file;

using test::alternating_pairs;
const std::string& kModel = test::kTinyModel;

ScoreJobOptions tiny_job(const std::string& input, const std::string& output) {
  ScoreJobOptions o;
  o.model_dir = kModel, o.input = input, o.output = output;
  o.device = "cpu", o.threads = 1, o.batch_size = 4, o.quiet = true;
  return o;
}

// A temporary input of `rows` alternating pairs and a one-thread CPU job over it.
struct TinyJob {
  TempDir dir;
  ScoreJobOptions o;
  explicit TinyJob(int rows) {
    const auto input = dir.file("pairs.csv");
    write_file(input, alternating_pairs(rows));
    o = tiny_job(input, dir.file("unused.csv"));
  }
};

TEST(ScoreJob, NoSortKeepsScoresAndPadsMore) {
  TinyJob job(40);
  auto& o = job.o;
  const auto comm = dist::test_support::world();
  JobReport sorted_report, input_order_report;
  const auto sorted = score_pairs(o, comm, &sorted_report);
  o.sort_by_length = false;
  const auto input_order = score_pairs(o, comm, &input_order_report);
  if (comm.rank() != 0) return;

  ASSERT_EQ(sorted.ids, input_order.ids);
  ASSERT_EQ(sorted.probs.size(), input_order.probs.size());
  for (size_t i = 0; i < sorted.probs.size(); ++i) {
    ASSERT_FALSE(std::isnan(sorted.probs[i])) << i;
    EXPECT_NEAR(sorted.probs[i], input_order.probs[i], 1e-5) << i;  // batch-mates change rounding only
  }
  int64_t padded_sorted = 0, padded_input_order = 0;
  for (const auto& r : sorted_report.ranks) padded_sorted += r.padded_tokens;
  for (const auto& r : input_order_report.ranks) padded_input_order += r.padded_tokens;
  EXPECT_GT(padded_input_order, padded_sorted);
}


// Same rows, statuses and bit-identical probabilities (the same batches computed them).
void expect_same_table(const io::ScoreTable& got, const io::ScoreTable& want) {
  EXPECT_EQ(got.ids, want.ids);
  EXPECT_EQ(got.status, want.status);
  ASSERT_EQ(got.probs.size(), want.probs.size());
  for (size_t i = 0; i < want.probs.size(); ++i) EXPECT_EQ(got.probs[i], want.probs[i]) << i;
}

TEST(ScoreJob, RoundsGiveTheSameScoresAsOneGather) {
  TinyJob job(45);
  auto& o = job.o;
  o.sort_window = 4;
  const auto comm = dist::test_support::world();
  o.sharding = "contiguous";
  JobReport one_report, rounds_report;
  const auto one = score_pairs(o, comm, &one_report);
  o.sharding = "cyclic", o.chunk_rows = 8;  // chunks of 8 rows: 45 rows need several rounds
  const auto rounds = score_pairs(o, comm, &rounds_report);
  o.prefetch = "on";  // the next chunk read and tokenized on another thread
  const auto prefetched = score_pairs(o, comm, nullptr);
  o.prefetch = "sometimes";
  EXPECT_THROW(score_pairs(o, comm, nullptr), Error);
  if (comm.rank() != 0) return;
  expect_same_table(prefetched, one);

  EXPECT_EQ(one_report.rounds, 1);
  EXPECT_EQ(rounds_report.rounds, (45 + 8 * comm.size() - 1) / (8 * comm.size()));
  EXPECT_LE(rounds_report.chunk_rows, 8);
  ASSERT_EQ(rounds.ids.size(), 45u);
  expect_same_table(rounds, one);
  EXPECT_EQ(rounds_report.status_counts.at("ok"), 45);
  for (const auto& r : rounds_report.ranks) {
    EXPECT_GT(r.start_rss_mb, 0.0);
    EXPECT_GE(r.peak_rss_mb, r.start_rss_mb);  // a high-water mark never falls
  }
}

TEST(ScoreJob, NonPositiveSortWindowOrChunkRowsIsAnError) {
  TinyJob job(5);
  const auto comm = dist::test_support::world();
  for (const auto& [window, chunk] : {std::pair<int64_t, int64_t>{0, 8}, {8, 0}}) {
    auto o = job.o;
    o.sort_window = window, o.chunk_rows = chunk;
    try {
      score_pairs(o, comm, nullptr);
      ADD_FAILURE() << "sort window " << window << ", chunk rows " << chunk << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(window == 0 ? "--sort-window" : "--chunk-rows"), std::string::npos)
          << e.what();
    }
  }
}

TEST(ScoreJob, DynamicShardingGivesTheSameScoresInOrder) {
  TinyJob job(70);
  auto& o = job.o;
  o.sort_window = 4;
  const auto comm = dist::test_support::world();
  o.sharding = "contiguous";
  const auto one = score_pairs(o, comm, nullptr);
  o.sharding = "dynamic";
  JobReport report;
  const auto dynamic = score_pairs(o, comm, &report);
  if (comm.rank() != 0) return;
  EXPECT_EQ(report.sharding, "dynamic");
  EXPECT_GE(report.rounds, 2 * comm.size());  // several chunks per rank (of whole windows)
  int64_t rows = 0;
  for (const auto& r : report.ranks) rows += r.rows;
  EXPECT_EQ(rows, 70);
  expect_same_table(dynamic, one);
}

TEST(ScoreJob, DataParallelSlicesGiveTheSameScores) {
  TinyJob job(37);
  auto& o = job.o;
  o.batch_size = 8, o.threads = 2;
  const auto comm = dist::test_support::world();
  const auto one = score_pairs(o, comm, nullptr);
  for (int dp : {2, 3}) {
    o.dp = dp;
    const auto sliced = score_pairs(o, comm, nullptr);
    if (comm.rank() != 0) continue;
    EXPECT_EQ(sliced.ids, one.ids);
    ASSERT_EQ(sliced.probs.size(), one.probs.size());
    for (size_t i = 0; i < one.probs.size(); ++i) EXPECT_NEAR(sliced.probs[i], one.probs[i], 1e-5) << "dp " << dp << " " << i;
  }
  o.dp = 0;
  EXPECT_THROW(score_pairs(o, comm, nullptr), Error);
}

TEST(ScoreJob, RepeatedPairsAreScoredOnceAndCounted) {
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  // 30 rows: pairs 0..9, each three times (rows i, i + 10, i + 20), ids all distinct.
  std::string csv = "id,addr1,addr2\n";
  for (int i = 0; i < 30; ++i)
    csv += "r" + std::to_string(i) + ",杭州市西湖区文三路" + std::to_string(i % 10) + "号,杭州西湖文三路" +
           std::to_string(i % 10) + "号\n";
  write_file(input, csv);
  auto o = tiny_job(input, dir.file("unused.csv"));
  o.sort_window = 1024;  // one window holds all 30 rows
  const auto comm = dist::test_support::world();
  JobReport with_report, without_report;
  const auto with = score_pairs(o, comm, &with_report);
  o.dedup = false;
  const auto without = score_pairs(o, comm, &without_report);
  if (comm.rank() != 0) return;

  int64_t repeats = 0, pairs = 0, without_repeats = 0;
  for (const auto& r : with_report.ranks) repeats += r.repeats, pairs += r.pairs;
  for (const auto& r : without_report.ranks) without_repeats += r.repeats;
  EXPECT_EQ(repeats, 20);
  EXPECT_EQ(pairs, 30);  // repeats still count as scored pairs
  EXPECT_EQ(without_repeats, 0);
  const size_t labels = with.labels.size();
  for (size_t i = 0; i < 30; ++i)
    for (size_t l = 0; l < labels; ++l) {
      EXPECT_EQ(with.probs[i * labels + l], with.probs[(i % 10) * labels + l]) << i;  // copied, not recomputed
      EXPECT_NEAR(with.probs[i * labels + l], without.probs[i * labels + l], 1e-5) << i;
    }
}

TEST(ScoreJob, RepeatedIdsAreFlaggedAndKeepTheirScores) {
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  write_file(input, "id,addr1,addr2\na,北京市海淀区中关村大街1号,北京海淀中关村大街1号\n"
                    "b,上海市浦东新区张江路123号,上海浦东张江路123号\n"
                    "a,广州市天河区体育西路1号,广州市越秀区体育西路1号\n");
  auto o = tiny_job(input, dir.file("unused.csv"));
  o.chunk_rows = 1, o.sort_window = 1;  // the repeat arrives in a later round than the first
  const auto comm = dist::test_support::world();
  JobReport report;
  const auto t = score_pairs(o, comm, &report);
  if (comm.rank() != 0) return;
  ASSERT_EQ(t.status.size(), 3u);
  EXPECT_EQ(t.status[0], io::RowStatus::ok);
  EXPECT_EQ(t.status[1], io::RowStatus::ok);
  EXPECT_EQ(t.status[2], io::RowStatus::duplicate_id);
  EXPECT_FALSE(std::isnan(t.probs[2 * t.labels.size()]));
  EXPECT_EQ(report.status_counts.at("duplicate_id"), 1);
}

// Files written by this process may not grow past `bytes` while it lives (a full disk).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &old_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);  // a write past it fails with EFBIG instead
    rlimit r = old_;
    r.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &r);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ScoreJob, WriteErrorInALaterRoundFailsTheJobAndLeavesNoFile) {
  const auto comm = dist::test_support::world();
  if (comm.size() > 1) GTEST_SKIP() << "a failing rank aborts the job under mpirun";  // tested on 1 rank
  for (const bool journal : {false, true}) {
    TempDir dir;
    const auto input = dir.file("pairs.csv");
    write_file(input, alternating_pairs(400));
    auto o = tiny_job(input, dir.file("scores.csv"));
    o.chunk_rows = 8, o.sort_window = 8;  // many rounds: the limit is reached in a later one
    o.journal = journal;
    o.quiet = true;
    {
      FileSizeLimit limit(6000);
      try {
        run_score_job(o, comm);
        ADD_FAILURE() << "expected an error";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("scores.csv"), std::string::npos) << e.what();
      }
    }
    // The output never appears; the journal of the finished rounds stays for --resume.
    const auto expected = journal ? std::vector<std::string>{".scores.csv.journal", "pairs.csv"}
                                  : std::vector<std::string>{"pairs.csv"};
    EXPECT_EQ(files_in(dir.path()), expected) << "journal " << journal;
  }
}

TEST(ScoreJob, ATabInAnIdIsEscapedAndFlaggedForATsvOutput) {
  const auto comm = dist::test_support::world();
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  std::string csv = alternating_pairs(20);
  csv += "\"tab\there\",北京市海淀区中关村大街1号,北京海淀中关村大街1号\n";  // a TSV cannot hold this id
  write_file(input, csv);
  auto o = tiny_job(input, dir.file("scores.tsv"));
  o.chunk_rows = 4, o.sort_window = 4;  // the id arrives in the last of several rounds
  run_score_job(o, comm);
  if (comm.rank() != 0) return;
  std::ifstream in(dir.file("scores.tsv"));
  std::string line, last;
  int lines = 0;
  while (std::getline(in, line)) last = line, ++lines;
  EXPECT_EQ(lines, 22);
  EXPECT_EQ(last.substr(0, 10), "tab\\there\t") << last;
  EXPECT_EQ(last.substr(last.rfind('\t') + 1), "id_escaped") << last;
  EXPECT_FALSE(std::filesystem::exists(dir.file(".scores.tsv.journal"))) << "removed once the output is complete";
}

// A model whose weights are finite but whose logits overflow: every probability is NaN.
TEST(ScoreJob, NonFiniteProbabilitiesAreFlaggedNotWrittenAsOk) {
  const auto comm = dist::test_support::world();
  TempDir dir;
  const std::string model_dir = dir.file("overflow");
  std::filesystem::create_directories(model_dir);
  for (const char* f : {"config.json", "vocab.txt"})
    std::filesystem::copy_file(kModel + "/" + f, model_dir + "/" + f);
  auto weights = model::read_safetensors(kModel + "/model.safetensors");
  for (auto& [key, t] : weights)
    if (key.find("classifier.weight") != std::string::npos) t = torch::full_like(t, 3e38f);
  model::write_safetensors(model_dir + "/model.safetensors", weights);
  const auto input = dir.file("pairs.csv");
  write_file(input, alternating_pairs(6));
  auto o = tiny_job(input, dir.file("scores.csv"));
  o.model_dir = model_dir;
  JobReport report;
  const auto t = score_pairs(o, comm, &report);
  if (comm.rank() != 0) return;
  ASSERT_EQ(t.status.size(), 6u);
  for (size_t i = 0; i < t.status.size(); ++i) {
    EXPECT_EQ(t.status[i], io::RowStatus::non_finite) << i;
    EXPECT_TRUE(std::isnan(t.probs[i * t.labels.size()])) << i;
  }
  EXPECT_EQ(report.status_counts.at("non_finite"), 6);
}

TEST(ScoreJob, RejectsUnknownSharding) {
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  write_file(input, alternating_pairs(2));
  auto o = tiny_job(input, dir.file("unused.csv"));
  o.sharding = "random";
  EXPECT_THROW(score_pairs(o, dist::test_support::world(), nullptr), Error);
}

}  // namespace
}  // namespace mgeo::pipeline
