#include "mgeo/pipeline/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "mgeo/util/error.h"

namespace mgeo::pipeline {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kLabels = {"not_match", "partial_match", "exact_match"};

nlohmann::json key(int rows, const std::string& model = "m1") {
  return {{"result", {{"rows", rows}, {"model", model}}}, {"info", {{"input", "in.csv"}}}};
}

io::ScoreTable block(int first, int rows, int extra = 0) {
  io::ScoreTable t;
  t.labels = kLabels;
  t.score_label = 2;
  for (int e = 0; e < extra; ++e) t.extra_columns.push_back("cmp_" + std::to_string(e));
  for (int i = first; i < first + rows; ++i) {
    t.ids.push_back("id" + std::to_string(i) + (i % 3 == 0 ? "\t逗号,\"q\"" : ""));
    for (int l = 0; l < 3; ++l) t.probs.push_back(i % 5 == 0 ? NAN : 0.1f * l + 1e-7f * i);
    t.status.push_back(i % 5 == 0 ? io::RowStatus::empty_address : io::RowStatus::ok);
    for (int e = 0; e < extra; ++e) t.extra.push_back(e % 2 ? "" : "equal");
  }
  return t;
}

std::vector<io::ScoreTable> replayed(const Journal& j, int extra = 0) {
  std::vector<io::ScoreTable> out;
  std::vector<std::string> cols;
  for (int e = 0; e < extra; ++e) cols.push_back("cmp_" + std::to_string(e));
  j.replay(kLabels, 2, cols, [&](io::ScoreTable&& t) { out.push_back(std::move(t)); });
  return out;
}

void expect_same(const io::ScoreTable& a, const io::ScoreTable& b) {
  ASSERT_EQ(a.ids, b.ids);
  ASSERT_EQ(a.status, b.status);
  ASSERT_EQ(a.extra, b.extra);
  ASSERT_EQ(a.probs.size(), b.probs.size());
  for (size_t i = 0; i < a.probs.size(); ++i)
    EXPECT_TRUE(std::memcmp(&a.probs[i], &b.probs[i], sizeof(float)) == 0) << i;  // bit for bit, NaN too
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("journal_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = journal_file((dir_ / "scores.csv").string());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string path_;
};

TEST_F(JournalTest, NameIsHiddenBesideTheOutput) {
  EXPECT_EQ(journal_file("out/scores.csv"), "out/.scores.csv.journal");
  EXPECT_EQ(journal_file("scores.h5"), ".scores.h5.journal");
}

TEST_F(JournalTest, RecordsReplayInOrderBitForBit) {
  const auto b1 = block(0, 7, 2), b2 = block(7, 5, 2);
  {
    Journal j(path_, key(12), false);
    j.append(b1);
    j.append(b2);
    EXPECT_EQ(j.rows(), 12);
  }
  Journal j(path_, key(12), true);
  EXPECT_EQ(j.rows(), 12);
  EXPECT_EQ(j.records(), 2);
  const auto got = replayed(j, 2);
  ASSERT_EQ(got.size(), 2u);
  expect_same(got[0], b1);
  expect_same(got[1], b2);
}

TEST_F(JournalTest, ATornLastRecordIsDroppedAtEveryCut) {
  {
    Journal j(path_, key(12), false);
    j.append(block(0, 7));
  }
  const auto one = fs::file_size(path_);
  {
    Journal j(path_, key(12), true);
    j.append(block(7, 5));
  }
  const auto two = fs::file_size(path_);
  std::string bytes(two, '\0');
  std::ifstream(path_, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(two));
  for (auto cut = one; cut < two; cut += 3) {  // every cut inside the second record
    std::ofstream(path_, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(cut));
    Journal j(path_, key(12), true);
    EXPECT_EQ(j.rows(), 7) << "cut at " << cut;
    EXPECT_EQ(fs::file_size(path_), one) << "the torn tail is cut off";
  }
  // A flipped byte inside the last record's payload: its fingerprint no longer matches.
  bytes[two - 2] ^= 0x40;
  std::ofstream(path_, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(two));
  Journal j(path_, key(12), true);
  EXPECT_EQ(j.rows(), 7);
}

TEST_F(JournalTest, AnotherJobsJournalIsAnErrorNamingWhatDiffers) {
  {
    Journal j(path_, key(12), false);
    j.append(block(0, 4));
  }
  try {
    Journal j(path_, key(12, "m2"), true);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path_), std::string::npos) << what;
    EXPECT_NE(what.find("model"), std::string::npos) << what;
    EXPECT_EQ(what.find("rows"), std::string::npos) << what;
  }
  // "info" is not compared.
  auto k = key(12);
  k["info"]["input"] = "moved.csv";
  Journal j(path_, k, true);
  EXPECT_EQ(j.rows(), 4);
}

TEST_F(JournalTest, WithoutResumeAnOldJournalIsReplaced) {
  {
    Journal j(path_, key(12), false);
    j.append(block(0, 4));
  }
  {
    Journal j(path_, key(12, "m2"), false);
    EXPECT_EQ(j.rows(), 0);
    EXPECT_EQ(j.discarded_rows(), 0);  // another job's: not counted as this one's
  }
  {
    Journal j(path_, key(12, "m2"), false);
    j.append(block(0, 3));
  }
  Journal j(path_, key(12, "m2"), false);
  EXPECT_EQ(j.discarded_rows(), 3);
  EXPECT_EQ(j.rows(), 0);
}

TEST_F(JournalTest, OneJobAtATime) {
  Journal first(path_, key(12), false);
  EXPECT_THROW(Journal(path_, key(12), true), Error);
}

TEST_F(JournalTest, NotAJournalIsRefused) {
  std::ofstream(path_) << "id,score\nsomething else entirely\n";
  EXPECT_THROW(Journal(path_, key(12), true), Error);
}

TEST_F(JournalTest, RemoveDeletesTheFile) {
  Journal j(path_, key(12), false);
  j.append(block(0, 2));
  j.remove();
  EXPECT_FALSE(fs::exists(path_));
}

}  // namespace
}  // namespace mgeo::pipeline
