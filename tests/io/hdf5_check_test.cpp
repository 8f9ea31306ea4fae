// Hostile HDF5 inputs: damaged variants of valid files, made deterministically here, must
// end in an mgeo::Error naming the file or in rows that keep the reader's contract, and
// never crash or hang this process (HDF5 1.10.8 itself crashes or loops on many of them).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <map>

#include "hdf5_test_util.h"
#include "io_test_util.h"
#include "read_all.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/pair_writer.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::mutate;
using testing::Outcome;
using testing::ScopedEnv;
using testing::TempDir;
using Strings = std::vector<std::string>;

Strings numbered(const std::string& prefix, int n) {
  Strings out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

// Valid inputs as three kinds of writer make them: contiguous variable-length strings (h5py's
// default), fixed-length strings, and this tool's own chunked, compressed layout.
std::vector<std::string> seed_files(const TempDir& dir) {
  const auto vlen = dir.file("seed_vlen.h5"), fixed = dir.file("seed_fixed.h5"), own = dir.file("seed_own.h5");
  {
    auto f = h5::create_file(vlen, vlen);
    testing::write_vlen(f, "id", numbered("p", 20));
    testing::write_vlen(f, "addr1", numbered("浙江省杭州市余杭区文一西路", 20));
    testing::write_vlen(f, "addr2", numbered("杭州 余杭 ", 20));
    std::vector<int64_t> label(20, 1);
    testing::write_dataset(f, "label", h5::Datatype(H5Tcopy(H5T_NATIVE_INT64)), {20}, label.data());
  }
  {
    auto f = h5::create_file(fixed, fixed);
    testing::write_fixed(f, "id", numbered("p", 20), 8, H5T_STR_NULLPAD);
    testing::write_fixed(f, "addr1", numbered("北京市海淀区", 20), 40, H5T_STR_NULLTERM);
    testing::write_fixed(f, "addr2", numbered("海淀 ", 20), 24, H5T_STR_SPACEPAD);
  }
  std::vector<PairRow> rows(20);
  Strings labels(20, "exact_match");
  for (int i = 0; i < 20; ++i) rows[i] = {"p" + std::to_string(i), "上海市浦东新区" + std::to_string(i), "浦东"};
  write_pairs(own, rows, &labels);
  return {vlen, fixed, own};
}

// read_all(path[, &message]) with this format's crash text (read_all.h).
Outcome read_all(const std::string& path, std::string* message = nullptr) {
  return testing::read_all(path, "the HDF5 library", message);
}

TEST(Hdf5Check, DamagedFilesEndInAnErrorNeverACrashOrHang) {
  ScopedEnv limit("MGEO_HDF5_CHECK_SECONDS", "2");
  TempDir dir;
  std::map<Outcome, int> seen;
  std::string crash_message;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& seed : seed_files(dir)) {
    ASSERT_EQ(read_all(seed), Outcome::read) << seed;
    const auto bytes = testing::read_file(seed);
    for (uint32_t k = 0; k < 100; ++k) {  // byte flips
      const auto path = dir.file("flip.h5");
      testing::write_file(path, mutate(bytes, k));
      std::string message;
      const auto outcome = read_all(path, &message);
      ++seen[outcome];
      if (outcome == Outcome::crash && crash_message.empty()) crash_message = message;
    }
    for (std::size_t cut = 1; cut < 16; ++cut) {  // truncated files
      const auto path = dir.file("cut.h5");
      testing::write_file(path, bytes.substr(0, bytes.size() * cut / 16));
      ++seen[read_all(path)];
    }
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("read %d, error %d, library crash %d, timeout %d in %.1f s\n", seen[Outcome::read],
              seen[Outcome::error], seen[Outcome::crash], seen[Outcome::timeout], seconds);
  EXPECT_GT(seen[Outcome::error], 0);
#if H5_VERS_MAJOR == 1 && H5_VERS_MINOR == 10 && H5_VERS_RELEASE <= 8
  // The library these variants crash: the check must have met (and survived) some crashes.
  EXPECT_GT(seen[Outcome::crash], 0);
  EXPECT_NE(crash_message.find("crashed (SIG"), std::string::npos) << crash_message;
#endif
}

// Without the check, the same kind of file kills the process that reads it: the check is
// what keeps the job alive.
TEST(Hdf5CheckDeathTest, ACrashingFileKillsAReaderWithoutTheCheck) {
  ScopedEnv limit("MGEO_HDF5_CHECK_SECONDS", "2");
  TempDir dir;
  const auto bytes = testing::read_file(seed_files(dir)[0]);
  const auto path = dir.file("crash.h5");
  for (uint32_t k = 0; k < 120; ++k) {
    testing::write_file(path, mutate(bytes, k));
    if (read_all(path) != Outcome::crash) continue;
    EXPECT_DEATH(
        {
          ::setenv("MGEO_HDF5_CHECK", "0", 1);
          try {
            read_all(path);
          } catch (...) {
          }
          std::exit(0);  // a clean return is not the death expected
        },
        "");
    return;
  }
  GTEST_SKIP() << "no variant crashes this HDF5 library";
}

TEST(Hdf5Check, TheTimeLimitMustBeANumberOfSeconds) {
  TempDir dir;
  const auto seed = seed_files(dir)[0];
  ScopedEnv limit("MGEO_HDF5_CHECK_SECONDS", "soon");
  expect_error([&] { PairSource::open(seed); }, {"MGEO_HDF5_CHECK_SECONDS", "soon"});
  ScopedEnv off("MGEO_HDF5_CHECK", "0");  // no check, no limit to read
  EXPECT_EQ(PairSource::open(seed)->size(), 20);
}

}  // namespace
}  // namespace mgeo::io
