#include "mgeo/pipeline/score_job.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "mgeo/pipeline/metrics.h"

namespace mgeo::pipeline {
namespace {

using model::test::TempDir;
using model::test::write_file;

const std::string kModel = std::string(MGEO_SOURCE_DIR) + "/data/models/tiny-random";

// Pairs whose lengths alternate short/long, so input order pads far more than sorted order.
std::string alternating_pairs(int n) {
  std::string csv = "id,addr1,addr2\n";
  for (int i = 0; i < n; ++i) {
    const std::string tail = i % 2 ? "阳光花园小区3栋2单元1201室" : "";
    csv += "p" + std::to_string(i) + ",北京市海淀区中关村大街" + std::to_string(i) + "号" + tail +
           ",北京海淀中关村大街" + std::to_string(i) + "号\n";
  }
  return csv;
}

TEST(ScoreJob, NoSortKeepsScoresAndPadsMore) {
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  write_file(input, alternating_pairs(40));
  ScoreJobOptions o;
  o.model_dir = kModel, o.input = input, o.output = dir.file("unused.csv");
  o.device = "cpu", o.threads = 1, o.batch_size = 4, o.quiet = true;
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

}  // namespace
}  // namespace mgeo::pipeline
