// read_all(): a damaged-input test's reader. Opens `path` as the tool does (through the
// child-process pre-check where the format has one) and reads every row and extra column,
// checking each block's row count and that a row's id is clean UTF-8 without NUL and an
// unscorable row keeps no addresses. An mgeo::Error must name the file; its text tells a
// library crash or a timeout in the pre-check from an ordinary error.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "mgeo/io/pair_source.h"
#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"

namespace mgeo::io::testing {

enum class Outcome { read, error, crash, timeout };

// `library` is how the pre-check names the format's library in a crash ("the HDF5
// library", "the Parquet library (Arrow)"); `message`, when given, receives the error.
inline Outcome read_all(const std::string& path, const std::string& library, std::string* message = nullptr) {
  constexpr int64_t kBlock = 1 << 16;
  try {
    auto src = PairSource::open(path);
    const int64_t n = src->size();
    for (int64_t b = 0; b < n; b += kBlock) {
      const auto rows = src->read(b, std::min(n, b + kBlock));
      EXPECT_EQ(static_cast<int64_t>(rows.size()), std::min(n, b + kBlock) - b) << path;
      for (const auto& r : rows) {
        EXPECT_TRUE(utf8::valid(r.id) && r.id.find('\0') == std::string::npos) << path << " row " << r.line;
        if (r.status != RowStatus::ok) {
          EXPECT_TRUE(r.addr1.empty() && r.addr2.empty()) << path << " row " << r.line;
        }
      }
    }
    for (const auto& column : src->extra_columns()) src->read_column(column, 0, n);
    return Outcome::read;
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    if (message) *message = what;
    if (what.find(library + " crashed (SIG") != std::string::npos) return Outcome::crash;
    if (what.find("took more than") != std::string::npos) return Outcome::timeout;
    return Outcome::error;
  }
}

}  // namespace mgeo::io::testing
