#include "mgeo/util/fingerprint.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "mgeo/util/error.h"

namespace mgeo {
namespace {

TEST(Fingerprint, FileAndBytesAgreeAcrossBlockBoundaries) {
  const std::string path = ::testing::TempDir() + "/fingerprint_input.bin";
  for (const std::size_t n : {0UL, 1UL, 31UL, 32UL, 33UL, (1UL << 20) - 1, (1UL << 20) + 5, 3UL << 20}) {
    std::string bytes(n, '\0');
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>((i * 131 + n) & 0xFF);
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(n));
    EXPECT_EQ(hash_file(path), hash_bytes(bytes)) << n << " bytes";
  }
  std::remove(path.c_str());
}

TEST(Fingerprint, SeesEveryByteLengthAndSeed) {
  std::string a(1000, 'x');
  const uint64_t base = hash_bytes(a);
  for (std::size_t i : {0UL, 31UL, 32UL, 500UL, 999UL}) {
    std::string b = a;
    b[i] ^= 1;
    EXPECT_NE(hash_bytes(b), base) << "byte " << i;
  }
  EXPECT_NE(hash_bytes(std::string(1001, 'x')), base);
  EXPECT_NE(hash_bytes(a, 1), base);
  EXPECT_NE(hash_bytes(std::string(1, '\0')), hash_bytes(std::string()));
  EXPECT_EQ(hex64(0xABCULL), "0000000000000abc");
}

TEST(Fingerprint, MissingFileNamesThePath) {
  try {
    hash_file("/nonexistent/mgeo-fingerprint");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/mgeo-fingerprint"), std::string::npos);
  }
}

}  // namespace
}  // namespace mgeo
