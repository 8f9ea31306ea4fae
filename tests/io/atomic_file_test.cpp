#include "mgeo/io/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <limits>

#include "io_test_util.h"
#include "mgeo/io/file.h"
#include "mgeo/io/pair_writer.h"
#include "mgeo/io/score_writer.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::read_file;
using testing::TempDir;
using testing::write_file;
using Strings = std::vector<std::string>;

// Caps the size of files this process writes, so a write fails as on a full disk.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit lim = old_;
    lim.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &lim);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

std::vector<PairRow> many_rows(std::size_t n) {
  std::vector<PairRow> rows(n);
  for (std::size_t i = 0; i < n; ++i) {
    rows[i].id = std::to_string(i);
    rows[i].addr1 = "广东省深圳市南山区科技园南区" + std::to_string(i);
    rows[i].addr2 = "深圳南山科技园" + std::to_string(i * 7);
  }
  return rows;
}

TEST(AtomicOutput, UncommittedLeavesNothing) {
  TempDir dir;
  const auto path = dir.file("out.csv");
  {
    AtomicOutput out(path);
    EXPECT_EQ(out.path(), path);
    EXPECT_EQ(out.temp_path(), dir.file(".out.csv.tmp." + std::to_string(::getpid())));
    write_file(out.temp_path(), "partial");
    EXPECT_EQ(dir.entries(), (Strings{".out.csv.lock", ".out.csv.tmp." + std::to_string(::getpid())}));
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicOutput, CommitReplacesTheFinalFile) {
  TempDir dir;
  const auto path = dir.file("out.csv");
  write_file(path, "old");
  {
    AtomicOutput out(path);
    write_file(out.temp_path(), "new");
    EXPECT_EQ(read_file(path), "old");
    out.commit();
  }
  EXPECT_EQ(read_file(path), "new");
  EXPECT_EQ(dir.entries(), Strings{"out.csv"});
}

TEST(WriteFileAtomic, WritesTheWholeFileOrNothing) {
  TempDir dir;
  const auto path = dir.file("m.json");
  write_file(path, "old");
  write_file_atomic(path, std::string("{\"a\": 1}\n\0z", 12));
  EXPECT_EQ(read_file(path), std::string("{\"a\": 1}\n\0z", 12));
  EXPECT_EQ(dir.entries(), Strings{"m.json"});
  expect_error([&] { write_file_atomic(dir.file("no/m.json"), "x"); }, {"no/m.json"});
  EXPECT_EQ(dir.entries(), Strings{"m.json"});
}

TEST(AtomicOutput, RelativePathStaysInItsDirectory) {
  EXPECT_EQ(AtomicOutput("scores.csv").temp_path(), ".scores.csv.tmp." + std::to_string(::getpid()));
  expect_error([] { AtomicOutput("some/dir/"); }, {"some/dir/", "names no file"});
}

TEST(AtomicOutput, PlantedSymlinkAtTheTempNameIsRefusedAndItsTargetKept) {
  TempDir dir;
  const auto victim = dir.file("victim.txt");
  write_file(victim, "precious");
  const auto path = dir.file("out.csv");
  const auto temp = dir.file(".out.csv.tmp." + std::to_string(::getpid()));
  ASSERT_EQ(::symlink(victim.c_str(), temp.c_str()), 0);
  expect_error([&] { write_file_atomic(path, "scores"); }, {temp, "already exists"});
  expect_error([&] { PairWriter w(path, false); }, {temp});
  EXPECT_EQ(read_file(victim), "precious");
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_symlink(temp));  // left alone, not removed
}

TEST(AtomicOutput, StaleTempFileIsRefusedNotTruncated) {
  TempDir dir;
  const auto temp = dir.file(".out.csv.tmp." + std::to_string(::getpid()));
  write_file(temp, "someone else's");
  expect_error([&] { AtomicOutput out(dir.file("out.csv")); }, {"already exists", "remove it"});
  EXPECT_EQ(read_file(temp), "someone else's");
}

TEST(AtomicOutput, SecondWriterOfOneOutputIsRefusedUntilTheFirstIsDone) {
  TempDir dir;
  const auto path = dir.file("out.csv");
  {
    AtomicOutput first(path);
    expect_error([&] { AtomicOutput second(path); }, {"another job is writing", path, ".out.csv.lock"});
    expect_error([&] { write_file_atomic(path, "x"); }, {"another job is writing"});
    write_file(first.temp_path(), "first");
    first.commit();
  }
  EXPECT_EQ(read_file(path), "first");
  EXPECT_EQ(dir.entries(), (Strings{"out.csv"}));  // no lock or temporary file left
  write_file_atomic(path, "second");               // free again once the first is gone
  EXPECT_EQ(read_file(path), "second");
}

TEST(AtomicOutput, TemporaryFilesOfDeadWritersAreRemoved) {
  TempDir dir;
  const auto path = dir.file("out.csv");
  write_file(dir.file(".out.csv.tmp.999999999"), "left by a killed job");
  write_file(dir.file(".out.csv.tmp.12x"), "not ours: kept");
  write_file(dir.file(".other.csv.tmp.5"), "another output's: kept");
  write_file_atomic(path, "new");
  EXPECT_EQ(dir.entries(), (Strings{".other.csv.tmp.5", ".out.csv.tmp.12x", "out.csv"}));
}

TEST(AtomicOutput, MissingDirectoryNamesThePath) {
  TempDir dir;
  const auto path = dir.file("no/such/dir/out.csv");
  expect_error([&] { write_pairs(path, many_rows(3)); }, {path, "No such file or directory"});
  expect_error([&] { write_scores(dir.file("no/out.h5"), ScoreTable{{"a"}, 0, {}, {}, {}, {}, {}}); }, {"no/out.h5"});
  EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicOutput, ThrowInTheMiddleLeavesNoFile) {
  TempDir dir;
  const auto path = dir.file("pairs.tsv");
  write_file(path, "previous");
  auto rows = many_rows(100);
  rows[60].addr2 = "tab\tinside";
  expect_error([&] { write_pairs(path, rows); }, {path, "data row 61"});
  EXPECT_EQ(dir.entries(), Strings{"pairs.tsv"});
  EXPECT_EQ(read_file(path), "previous");
}

TEST(AtomicOutput, FullDiskLeavesNoFile) {
  TempDir dir;
  const auto rows = many_rows(200000);
  const auto csv = dir.file("pairs.csv");
  const auto h5 = dir.file("pairs.h5");
  ScoreTable t{{"no", "yes"}, 1, {}, {}, {}, {}, {}};
  for (const auto& r : rows) t.ids.push_back(r.id), t.status.push_back(RowStatus::ok);
  t.probs.assign(rows.size() * 2, 0.5f);
  const auto scores = dir.file("scores.h5");
  {
    FileSizeLimit limit(1 << 20);
    expect_error([&] { write_pairs(csv, rows); }, {csv, "File too large"});
    expect_error([&] { write_pairs(h5, rows); }, {h5});
    expect_error([&] { write_scores(scores, t); }, {scores});
  }
  EXPECT_TRUE(dir.entries().empty());
  write_pairs(csv, rows);  // and with room it works
  EXPECT_GT(read_file(csv).size(), std::size_t{1} << 20);
}

TEST(BufferedWriter, WritesEverythingInOrder) {
  TempDir dir;
  const auto path = dir.file("big.txt");
  std::string want;
  BufferedWriter w(path, "big.txt");
  for (int i = 0; i < 300000; ++i) {
    const auto line = std::to_string(i) + "\n";
    w.write(line);
    want += line;
  }
  w.close();
  EXPECT_EQ(read_file(path), want);
}

TEST(MappedFile, MapsAndReportsErrors) {
  TempDir dir;
  const auto path = dir.file("m.txt");
  write_file(path, "hello");
  EXPECT_EQ(MappedFile::open(path).text(), "hello");
  write_file(path, "");
  EXPECT_EQ(MappedFile::open(path).text(), "");
  expect_error([&] { MappedFile::open(dir.file("nope")); }, {dir.file("nope"), "No such file"});
  expect_error([&] { MappedFile::open(dir.file(".")); }, {"not a regular file"});
}

}  // namespace
}  // namespace mgeo::io
