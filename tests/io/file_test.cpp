#include "mgeo/io/file.h"

#include <gtest/gtest.h>

#include <string>

#include <sys/stat.h>

#include "io_test_util.h"
#include "mgeo/io/pair_source.h"

namespace mgeo::io {
namespace {

using testing::TempDir;

TEST(MappedFile, ReleasedPagesReadBackTheSame) {
  TempDir dir;
  const auto path = dir.file("big.txt");
  std::string content;
  for (int i = 0; content.size() < (1u << 20); ++i) content += "row " + std::to_string(i) + ",北京市海淀区\n";
  testing::write_file(path, content);
  const auto f = MappedFile::open(path);
  ASSERT_EQ(f.text(), content);
  f.release(f.text().substr(100, 500000));  // an unaligned piece in the middle
  EXPECT_EQ(f.text(), content);
  f.release(f.text());
  EXPECT_EQ(f.text(), content);
  f.release(std::string_view("not in the map"));  // ignored
  EXPECT_EQ(f.text().substr(0, 6), "row 0,");
}

}  // namespace
}  // namespace mgeo::io

namespace mgeo::io {
namespace {

TEST(MappedFile, FifoIsRefusedWithoutWaitingForAWriter) {
  testing::TempDir dir;
  const auto fifo = dir.file("in.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  testing::expect_error([&] { MappedFile::open(fifo); }, {fifo, "not a regular file"});
  testing::expect_error([&] { PairSource::open(fifo); }, {fifo, "a FIFO"});
}

}  // namespace
}  // namespace mgeo::io
