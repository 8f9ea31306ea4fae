// The checks of a fuzzed table reader (hdf5_fuzz.cpp, parquet_fuzz.cpp): PairSource::open
// and every row and extra column read in blocks, each row read again from another range.
// A finding is a crash or a broken promise of pairs.h; an mgeo::Error is a rejection.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"

namespace mgeo::fuzz {

constexpr int64_t kBlock = 1 << 14;

inline bool same(const mgeo::io::PairRow& a, const mgeo::io::PairRow& b) {
  return a.id == b.id && a.addr1 == b.addr1 && a.addr2 == b.addr2 && a.status == b.status && a.line == b.line;
}

inline void check_rows(const std::vector<mgeo::io::PairRow>& rows, int64_t begin, int64_t end) {
  FUZZ_CHECK(static_cast<int64_t>(rows.size()) == end - begin, "one row per data row");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    FUZZ_CHECK(r.line == begin + static_cast<int64_t>(i) + 1, "line is the row index + 1");
    FUZZ_CHECK(mgeo::utf8::valid(r.id) && r.id.find('\0') == std::string::npos, "id is clean UTF-8");
    if (r.status == mgeo::io::RowStatus::ok) {
      FUZZ_CHECK(r.addr1.find('\0') == std::string::npos && r.addr2.find('\0') == std::string::npos,
                 "an ok row holds no NUL");
    } else {
      FUZZ_CHECK(r.addr1.empty() && r.addr2.empty(), "flagged rows are empty");
    }
  }
}

inline void read_table(const std::string& path) {
  mgeo::io::ReadOptions opts;
  opts.max_field_bytes = 256;  // reachable within -max_len
  try {
    auto source = mgeo::io::PairSource::open(path, opts);
    const int64_t n = source->size();
    FUZZ_CHECK(n >= 0, "size() >= 0");
    for (int64_t b = 0; b < n; b += kBlock) {
      const int64_t e = std::min(n, b + kBlock);
      const auto rows = source->read(b, e);
      check_rows(rows, b, e);
      const int64_t mid = b + (e - b) / 2;  // a row reads the same in another range
      const auto again = source->read(mid, e);
      for (std::size_t i = 0; i < again.size(); ++i)
        FUZZ_CHECK(same(again[i], rows[static_cast<std::size_t>(mid - b) + i]), "a row reads the same again");
    }
    for (const auto& column : source->extra_columns()) {
      try {  // an extra column may be of a type the reader refuses (floats, say)
        for (int64_t b = 0; b < n; b += kBlock)
          FUZZ_CHECK(static_cast<int64_t>(source->read_column(column, b, std::min(n, b + kBlock)).size()) ==
                         std::min(n, b + kBlock) - b,
                     "one value per row");
      } catch (const mgeo::Error& e) {
        mgeo::fuzz::rejected(e);
      }
    }
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
  }
}

}  // namespace mgeo::fuzz
