#include "mgeo/io/file.h"

#include <gtest/gtest.h>

#include <string>

#include "io_test_util.h"

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
