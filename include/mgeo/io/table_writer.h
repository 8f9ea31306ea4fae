// mgeo/io/table_writer.h — streaming a table of text columns to CSV, TSV or HDF5.
//
// Contract: a TableWriter streams rows into a temporary file through large buffers
// (CSV/TSV: a header line naming the columns, then one line a row), row-chunked 1-D
// string datasets, one per column (HDF5), or string columns in zstd row groups of 128k
// rows, buffered until a row group is full (Parquet); close() publishes the file atomically
// (atomic_file.h). A writer destroyed before close(), or one whose add() or close()
// threw, leaves no file; after close() or a throw, further add() or close() calls throw.
// Values are written as given: CSV quotes where needed; TSV and HDF5 reject values they
// cannot hold (a tab or line break in TSV, a NUL byte in HDF5) with mgeo::Error naming
// the file, row and column; Parquet holds any value. The format follows the extension
// (.csv, .tsv/.txt, .h5/.hdf5, .parquet). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::io {

class TableWriter {
 public:
  TableWriter(const std::string& path, std::vector<std::string> columns);
  TableWriter(TableWriter&&) noexcept;
  TableWriter& operator=(TableWriter&&) noexcept;
  ~TableWriter();

  // One value per column, in column order (mgeo::Error otherwise).
  void add(const std::vector<std::string_view>& fields);
  void close();
  // Whether add() can write `value` as a field (a .tsv field holds no tab or line break,
  // an HDF5 string no NUL byte), so callers can check their values before any work.
  bool can_hold(std::string_view value) const;
  int64_t rows() const { return rows_; }
  const std::string& path() const { return path_; }
  const std::vector<std::string>& columns() const { return columns_; }

  class Sink;

 private:
  std::string path_;
  std::vector<std::string> columns_;
  std::unique_ptr<Sink> sink_;  // null once closed or failed
  int64_t rows_ = 0;
};

}  // namespace mgeo::io
