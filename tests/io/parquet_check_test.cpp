// Hostile Parquet inputs: PairSource::open() reads a .parquet file through in a child
// process first (src/io/input_check.cpp, as for HDF5), so a damaged file ends in an
// mgeo::Error naming it, at open(), and never crashes or hangs this process;
// MGEO_PARQUET_CHECK=0 skips that child. Fixtures: tests/reference/make_parquet_fixtures.py.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "io_test_util.h"
#include "read_all.h"
#include "mgeo/io/format.h"
#include "mgeo/io/pair_source.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::mutate;
using testing::Outcome;
using testing::ScopedEnv;
using testing::TempDir;

std::string fixture(const std::string& name) { return std::string(MGEO_FIXTURE_DIR) + "/parquet/" + name; }

#define REQUIRE_PARQUET()                                                       \
  if (!parquet_supported()) GTEST_SKIP() << "this build has no Parquet support"

// read_all(path[, &message]) with this format's crash text (read_all.h).
Outcome read_all(const std::string& path, std::string* message = nullptr) {
  return testing::read_all(path, "the Parquet library (Arrow)", message);
}

TEST(ParquetCheck, FilesTheChildReadsOpen) {
  REQUIRE_PARQUET();
  std::ifstream f(fixture("expected.json"));
  ASSERT_TRUE(f.good()) << "missing " << fixture("expected.json") << " (ctest runs fixture_parquet first)";
  const auto expected = nlohmann::json::parse(f);
  ASSERT_FALSE(expected["good"].empty());
  for (const auto& [name, want] : expected["good"].items()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(read_all(fixture(name + ".parquet")), Outcome::read);
    EXPECT_EQ(PairSource::open(fixture(name + ".parquet"))->size(), static_cast<int64_t>(want["rows"].size()));
  }
}

// damaged.parquet has its footer intact and its data pages garbled: this process opens it
// fine and fails only when it reads row group 0, so an error at open() is the child's.
TEST(ParquetCheck, DamagedPagesFailAtOpenOnlyWithTheCheck) {
  REQUIRE_PARQUET();
  const auto damaged = fixture("damaged.parquet");
  expect_error([&] { PairSource::open(damaged); }, {damaged, "row group 0"});
  {
    ScopedEnv off("MGEO_HDF5_CHECK", "0");  // the HDF5 switch leaves Parquet checked
    expect_error([&] { PairSource::open(damaged); }, {damaged, "row group 0"});
  }
  ScopedEnv off("MGEO_PARQUET_CHECK", "0");
  auto src = PairSource::open(damaged);  // no child: nothing read yet
  expect_error([&] { src->read(0, src->size()); }, {damaged, "row group 0"});
}

TEST(ParquetCheck, TruncatedAndForeignFilesNameTheFile) {
  REQUIRE_PARQUET();
  for (const char* name : {"truncated", "text"}) {
    const auto path = fixture(std::string(name) + ".parquet");
    expect_error([&] { PairSource::open(path); }, {path, "not a readable Parquet file"});
  }
}

TEST(ParquetCheck, DamagedFilesEndInAnErrorNeverACrashOrHang) {
  REQUIRE_PARQUET();
  ScopedEnv limit("MGEO_PARQUET_CHECK_SECONDS", "5");
  TempDir dir;
  std::map<Outcome, int> seen;
  const auto start = std::chrono::steady_clock::now();
  for (const char* seed : {"plain", "dict", "nulls"}) {
    const auto bytes = testing::read_file(fixture(std::string(seed) + ".parquet"));
    ASSERT_FALSE(bytes.empty()) << seed;
    for (uint32_t k = 0; k < 40; ++k) {  // byte flips
      const auto path = dir.file("flip.parquet");
      testing::write_file(path, mutate(bytes, k));
      ++seen[read_all(path)];
    }
    for (std::size_t cut = 1; cut < 8; ++cut) {  // truncated files
      const auto path = dir.file("cut.parquet");
      testing::write_file(path, bytes.substr(0, bytes.size() * cut / 8));
      const auto outcome = read_all(path);
      EXPECT_NE(outcome, Outcome::read) << seed << " cut " << cut << "/8";
      ++seen[outcome];
    }
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("read %d, error %d, library crash %d, timeout %d in %.1f s\n", seen[Outcome::read],
              seen[Outcome::error], seen[Outcome::crash], seen[Outcome::timeout], seconds);
  EXPECT_GT(seen[Outcome::error], 0);
}

TEST(ParquetCheck, TheTimeLimitMustBeANumberOfSeconds) {
  REQUIRE_PARQUET();
  const auto plain = fixture("plain.parquet");
  ScopedEnv limit("MGEO_PARQUET_CHECK_SECONDS", "soon");
  expect_error([&] { PairSource::open(plain); }, {"MGEO_PARQUET_CHECK_SECONDS", "soon"});
  {
    ScopedEnv hdf5("MGEO_HDF5_CHECK_SECONDS", "2");  // each format has its own limit
    expect_error([&] { PairSource::open(plain); }, {"MGEO_PARQUET_CHECK_SECONDS", "soon"});
  }
  ScopedEnv off("MGEO_PARQUET_CHECK", "0");  // no check, no limit to read
  EXPECT_GT(PairSource::open(plain)->size(), 0);
}

}  // namespace
}  // namespace mgeo::io
