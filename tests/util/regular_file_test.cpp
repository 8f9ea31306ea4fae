#include "mgeo/util/regular_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "mgeo/util/error.h"

namespace mgeo {
namespace {

std::string error_of(const std::string& path, uint64_t max = UINT64_MAX) {
  try {
    require_regular_file(path, "vocab file", max);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(RegularFile, AcceptsAFileAndReturnsItsSize) {
  const auto dir = std::filesystem::temp_directory_path() / ("mgeo_rf_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "vocab.txt").string();
  std::ofstream(file) << "[PAD]\n";
  EXPECT_EQ(require_regular_file(file, "vocab file"), 6u);
  EXPECT_NE(error_of(file, 5).find("more than the 5 allowed"), std::string::npos);

  const auto fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of(fifo).find("a FIFO"), std::string::npos) << error_of(fifo);
  EXPECT_NE(error_of(dir.string()).find("a directory"), std::string::npos);
  EXPECT_NE(error_of((dir / "missing").string()).find("No such file"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(RegularFile, DevicesAreRefused) {
  const auto e = error_of("/dev/zero");
  EXPECT_NE(e.find("vocab file /dev/zero"), std::string::npos) << e;
  EXPECT_NE(e.find("a device"), std::string::npos) << e;
}

}  // namespace
}  // namespace mgeo
