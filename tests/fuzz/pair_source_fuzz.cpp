// The CSV/TSV pair reader (PairSource::open, as `score` reads --input): the input is the
// file, read as .csv and as .tsv. Checks pairs.h's promises on every row.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"

namespace {

void check_rows(const std::vector<mgeo::io::PairRow>& rows, int64_t n) {
  FUZZ_CHECK(static_cast<int64_t>(rows.size()) == n, "one row per data row");
  int64_t line = 1;
  for (const auto& r : rows) {
    FUZZ_CHECK(r.line > line, "rows in file order, after the header");
    line = r.line;
    FUZZ_CHECK(mgeo::utf8::valid(r.id) && r.id.find('\0') == std::string::npos, "id is clean UTF-8");
    if (r.status != mgeo::io::RowStatus::ok) FUZZ_CHECK(r.addr1.empty() && r.addr2.empty(), "flagged rows are empty");
  }
}

void read_all(const std::string& path) {
  mgeo::io::ReadOptions opts;
  opts.max_field_bytes = 256;  // reachable within -max_len
  try {
    auto source = mgeo::io::PairSource::open(path, opts);
    const int64_t n = source->size();
    FUZZ_CHECK(n >= 0, "size() >= 0");
    const auto rows = source->read(0, n);
    check_rows(rows, n);
    const auto head = source->read(0, n / 2), tail = source->read(n / 2, n);
    FUZZ_CHECK(head.size() + tail.size() == rows.size(), "reads in parts cover the rows");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& part = i < head.size() ? head[i] : tail[i - head.size()];
      FUZZ_CHECK(part.id == rows[i].id && part.addr1 == rows[i].addr1 && part.addr2 == rows[i].addr2 &&
                     part.status == rows[i].status && part.line == rows[i].line,
                 "a row reads the same again");
    }
    for (const auto& column : source->extra_columns())
      FUZZ_CHECK(static_cast<int64_t>(source->read_column(column, 0, n).size()) == n, "one value per row");
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile csv("pairs.csv"), tsv("pairs.tsv");
  read_all(csv.write(data, size));
  read_all(tsv.write(data, size));
  return 0;
}
