#include "mgeo/pipeline/batcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "mgeo/util/error.h"

namespace mgeo::pipeline {
namespace {

std::vector<int32_t> random_lengths(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<int32_t> v(n);
  for (auto& x : v) x = 5 + static_cast<int32_t>(rng() % 120);
  return v;
}

void expect_partition(const std::vector<Batch>& batches, size_t n) {
  std::vector<int> seen(n, 0);
  for (const auto& b : batches)
    for (auto r : b.rows) ++seen.at(r);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << "row " << i;
}

TEST(Batcher, EveryRowExactlyOnceAndLimitsHold) {
  const auto lengths = random_lengths(1000, 1);
  BatchOptions o;
  o.max_batch = 32;
  o.token_budget = 1024;
  o.window = 256;
  const auto batches = plan_batches(lengths, o);
  expect_partition(batches, lengths.size());
  for (const auto& b : batches) {
    EXPECT_LE(static_cast<int64_t>(b.rows.size()), o.max_batch);
    int32_t longest = 0;
    for (auto r : b.rows) longest = std::max(longest, lengths[r]);
    EXPECT_EQ(b.max_len, longest);
    EXPECT_TRUE(b.rows.size() == 1 || static_cast<int64_t>(b.rows.size()) * b.max_len <= o.token_budget);
  }
}

TEST(Batcher, SortingWithinWindowsCutsPadding) {
  const auto lengths = random_lengths(4096, 2);
  BatchOptions sorted;
  BatchOptions plain;
  plain.sort_by_length = false;
  const auto ps = padding_stats(lengths, plan_batches(lengths, sorted));
  const auto pp = padding_stats(lengths, plan_batches(lengths, plain));
  EXPECT_EQ(ps.real_tokens, pp.real_tokens);
  EXPECT_LT(ps.fraction(), 0.05);
  EXPECT_GT(pp.fraction(), 0.3);
}

TEST(Batcher, WindowsNeverMixRows) {
  std::vector<int32_t> lengths = {1, 9, 2, 8, 3, 7};
  BatchOptions o;
  o.window = 2;
  o.max_batch = 8;
  const auto batches = plan_batches(lengths, o);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].rows, (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(batches[2].rows, (std::vector<int64_t>{5, 4}));
}

TEST(Batcher, UnsortedKeepsInputOrder) {
  std::vector<int32_t> lengths = {4, 1, 3, 2, 5};
  BatchOptions o;
  o.sort_by_length = false;
  o.max_batch = 2;
  const auto batches = plan_batches(lengths, o);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].rows, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(batches[0].max_len, 4);
  EXPECT_EQ(batches[2].rows, (std::vector<int64_t>{4}));
}

TEST(Batcher, OversizedRowGetsItsOwnBatch) {
  std::vector<int32_t> lengths = {100, 3, 3};
  BatchOptions o;
  o.token_budget = 50;
  const auto batches = plan_batches(lengths, o);
  expect_partition(batches, 3);
  EXPECT_EQ(batches[0].rows, (std::vector<int64_t>{0}));
}

TEST(Batcher, RejectsBadOptions) {
  BatchOptions o;
  o.max_batch = 0;
  EXPECT_THROW(plan_batches({1, 2}, o), std::exception);
}

TEST(Batcher, EmptyInputGivesNoBatches) { EXPECT_TRUE(plan_batches({}, BatchOptions{}).empty()); }

TEST(PadRows, LaysOutChosenRowsZeroPadded) {
  std::vector<text::Encoding> encs(3);
  encs[0] = {{101, 7, 102}, {0, 0, 0}};
  encs[1] = {{101, 8, 9, 102, 5, 102}, {0, 0, 0, 0, 1, 1}};
  encs[2] = {{101, 102}, {0, 0}};
  const std::vector<int64_t> rows = {2, 0};  // a batch of rows 2 and 0, in that order
  std::vector<int64_t> ids(8, -1), types(8, -1), mask(8, -1);
  pad_rows(encs, rows.data(), 2, 4, ids.data(), types.data(), mask.data());
  EXPECT_EQ(ids, (std::vector<int64_t>{101, 102, 0, 0, 101, 7, 102, 0}));
  EXPECT_EQ(types, (std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(mask, (std::vector<int64_t>{1, 1, 0, 0, 1, 1, 1, 0}));
  const std::vector<int64_t> one = {1};
  pad_rows(encs, one.data(), 1, 6, ids.data(), types.data(), mask.data());
  EXPECT_EQ(std::vector<int64_t>(types.begin(), types.begin() + 6), (std::vector<int64_t>{0, 0, 0, 0, 1, 1}));
  EXPECT_THROW(pad_rows(encs, one.data(), 1, 5, ids.data(), types.data(), mask.data()), Error);  // 6 ids > 5
}

}  // namespace
}  // namespace mgeo::pipeline
