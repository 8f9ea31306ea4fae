#include "mgeo/io/output_paths.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "io_test_util.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::TempDir;
using testing::write_file;

TEST(CheckOutputs, DistinctFilesPass) {
  TempDir dir;
  write_file(dir.file("in.csv"), "id,addr1,addr2\n");
  write_file(dir.file("old.csv"), "x");  // an existing output is replaced later, not refused
  check_outputs({{"--input", dir.file("in.csv")}},
                {{"--output", dir.file("old.csv")}, {"--metrics", dir.file("m.json")}, {"--candidates-output", ""}});
}

TEST(CheckOutputs, OutputThatIsTheInputIsRefused) {
  TempDir dir;
  const auto in = dir.file("in.csv");
  write_file(in, "id,addr1,addr2\n");
  expect_error([&] { check_outputs({{"--input", in}}, {{"--output", in}}); }, {"--output", "--input", "destroy"});
  // the same file by another spelling, a symlink and a hard link
  std::filesystem::create_directory(dir.file("sub"));
  expect_error([&] { check_outputs({{"--input", in}}, {{"--output", dir.file("sub/../in.csv")}}); }, {"same file"});
  ASSERT_EQ(::symlink(in.c_str(), dir.file("link.csv").c_str()), 0);
  expect_error([&] { check_outputs({{"--input", in}}, {{"--output", dir.file("link.csv")}}); }, {"same file"});
  ASSERT_EQ(::link(in.c_str(), dir.file("hard.csv").c_str()), 0);
  expect_error([&] { check_outputs({{"--input", in}}, {{"--output", dir.file("hard.csv")}}); }, {"same file"});
}

TEST(CheckOutputs, TwoOutputsOnOneFileAreRefused) {
  TempDir dir;
  expect_error([&] { check_outputs({}, {{"--output", dir.file("a.csv")}, {"--metrics", dir.file("a.csv")}}); },
               {"--output", "--metrics", "same file"});
}

TEST(CheckOutputs, DirectoryOrMissingDirectoryIsRefused) {
  TempDir dir;
  expect_error([&] { check_outputs({}, {{"--output", dir.file("")}}); }, {"--output", "is a directory"});
  expect_error([&] { check_outputs({}, {{"--metrics", dir.file("nowhere/m.json")}}); },
               {"--metrics", "does not exist"});
}

}  // namespace
}  // namespace mgeo::io
