// The HDF5 pair reader as `score --input pairs.h5` runs it: PairSource::open reads the file
// through in a child process first (this executable started again, under limits), then
// reads it here. A finding is this process crashing or a broken promise of pairs.h; the
// HDF5 library's own crashes and loops on damaged files stay in the child and come back
// as mgeo::Error.
//
// MGEO_HDF5_CHECK=0 fuzzes the reader in this process alone (much faster): HDF5 1.10.8
// then crashes on damaged files within seconds, in the library rather than in our code.
// MGEO_HDF5_CHECK_SECONDS is 5 unless set, below the runner's -timeout.
#include <stdlib.h>

#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"

namespace {

constexpr int64_t kBlock = 1 << 14;

bool same(const mgeo::io::PairRow& a, const mgeo::io::PairRow& b) {
  return a.id == b.id && a.addr1 == b.addr1 && a.addr2 == b.addr2 && a.status == b.status && a.line == b.line;
}

void check_rows(const std::vector<mgeo::io::PairRow>& rows, int64_t begin, int64_t end) {
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

void read_all(const std::string& path) {
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

}  // namespace

// HDF5 1.10.8 leaks the object header it was decoding when a damaged one fails to load
// (H5O_protect under H5Dopen2, on a file the check read through without error). Memory
// that HDF5 allocated is its own to lose; what this reader allocates is still checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:libhdf5_serial.so\n"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("MGEO_HDF5_CHECK_SECONDS", "5", 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile file("pairs.h5");
  read_all(file.write(data, size));
  return 0;
}
