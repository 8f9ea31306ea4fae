// mgeo/io/pair_source.h — random access to the address pairs of one input file.
//
// Contract: a PairSource owns its open file (a read-only map for CSV/TSV, an HDF5 file
// id) for its lifetime. open() checks the file as a whole (header or datasets) and
// throws mgeo::Error naming the file (and line) when it cannot be read; read() never
// throws for a bad row but flags it (see pairs.h), so read(0, size()) yields exactly
// one PairRow per data row, in file order. Formats, by extension:
//   .csv             RFC 4180, header naming id, addr1, addr2 in any order (+ other columns)
//   .tsv, .txt       tab-separated, no quoting, same header
//   .h5, .hdf5       1-D datasets id, addr1, addr2 (+ others of the same length), holding
//                    variable- or fixed-length strings
//   .parquet         top-level columns id (strings or integers, printed in decimal),
//                    addr1, addr2 (string, large_string, string_view, binary or large_binary
//                    holding UTF-8, plain or dictionary-encoded) + other string/integer
//                    columns; a null id or address flags the row null_value, a null in
//                    read_column() reads as "". read() decodes only the row groups it
//                    overlaps and only its columns, keeping the last row group's decoded
//                    columns as a cache; a row group whose columns declare more than 4096
//                    bytes per byte of file (at most 8 GiB) or 2^26 rows is refused.
//                    Needs a build with Parquet (mgeo/io/format.h)
// CRLF line breaks and a UTF-8 byte order mark are accepted. Not thread-safe.
//
// HDF5 and Parquet inputs are untrusted: open() first reads the whole file (every row of
// every column read() and read_column() can return, then closes it) with the same reader
// in a child process limited in CPU time, wall-clock time (MGEO_HDF5_CHECK_SECONDS or
// MGEO_PARQUET_CHECK_SECONDS, default 60 s + 1 s per 16 MiB) and memory (2 GiB), because
// the HDF5 library can crash or loop forever on a damaged file, and Arrow's Parquet reader,
// which turns most damage into an error, still may on a hostile one; a crash, a timeout or
// an error there becomes an mgeo::Error naming the file (and the format and signal). That
// costs one process start and one more read of the file. MGEO_HDF5_CHECK=0 and
// MGEO_PARQUET_CHECK=0 skip the check for that format: for trusted inputs only. Either
// way, what a dataset or row group declares is bounded by the file's size (hdf5.h, above)
// before anything is allocated for it, and an HDF5 string holding a NUL byte is flagged
// nul_byte rather than cut.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mgeo/io/pairs.h"

namespace mgeo::io {

class PairSource {
 public:
  static std::unique_ptr<PairSource> open(const std::string& path, ReadOptions opts = {});
  virtual ~PairSource() = default;

  virtual int64_t size() const = 0;  // number of data rows
  // Rows [begin, end) in file order; requires 0 <= begin <= end <= size().
  virtual std::vector<PairRow> read(int64_t begin, int64_t end) = 0;
  // Columns besides id, addr1 and addr2, in file order (HDF5: name order; Parquet: those
  // of strings or integers).
  virtual std::vector<std::string> extra_columns() const = 0;
  // Values of any column for rows [begin, end); "" where a CSV/TSV row lacks the field or
  // a Parquet value is null.
  virtual std::vector<std::string> read_column(const std::string& name, int64_t begin, int64_t end) = 0;
};

}  // namespace mgeo::io
