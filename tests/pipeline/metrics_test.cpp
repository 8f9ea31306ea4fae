#include "mgeo/pipeline/metrics.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mgeo::pipeline {
namespace {

RankMetrics sample(int rank) {
  RankMetrics m;
  m.rank = rank;
  m.rows = 100 + rank;
  m.pairs = 90 + rank;
  m.tokens = 3000;
  m.padded_tokens = 4000;
  m.batches = 7;
  m.read_s = 0.5, m.tokenize_s = 0.25, m.forward_s = 2.0, m.gather_s = 0.125, m.write_s = 0.0625;
  m.total_s = 3.0;
  m.repeats = 9 + rank, m.wait_s = 0.375, m.peak_rss_mb = 200.0 + rank;
  m.start_rss_mb = 150.0 + rank;
  return m;
}

TEST(Metrics, VectorEncodingRoundTrips) {
  const auto m = sample(3);
  const auto v = m.to_vector();
  ASSERT_EQ(v.size(), RankMetrics::kWidth);
  const auto back = RankMetrics::from_vector(v.data());
  EXPECT_EQ(back.to_vector(), v);
  EXPECT_DOUBLE_EQ(back.padding_fraction(), 0.25);
  EXPECT_DOUBLE_EQ(back.pairs_per_s(), 31.0);
}

TEST(Metrics, JsonSumsRanks) {
  JobReport r;
  r.world = 2;
  r.wall_s = 4.0;
  r.ranks = {sample(0), sample(1)};
  r.status_counts = {{"ok", 181}, {"empty_address", 20}};
  const auto j = to_json(r);
  EXPECT_EQ(j["pairs"], 181);
  EXPECT_EQ(j["repeats"], 19);
  EXPECT_DOUBLE_EQ(j["peak_rss_mb"].get<double>(), 201.0);  // the largest rank's
  EXPECT_DOUBLE_EQ(j["ranks"][1]["wait_s"].get<double>(), 0.375);
  EXPECT_DOUBLE_EQ(j["ranks"][1]["start_rss_mb"].get<double>(), 151.0);
  EXPECT_EQ(j["rows"], 201);
  EXPECT_DOUBLE_EQ(j["pairs_per_s"].get<double>(), 181 / 4.0);
  EXPECT_DOUBLE_EQ(j["padding_fraction"].get<double>(), 0.25);
  EXPECT_EQ(j["ranks"].size(), 2u);
  EXPECT_EQ(j["status_counts"]["empty_address"], 20);
}

}  // namespace
}  // namespace mgeo::pipeline
