// mgeo/io/pair_writer.h — writing pair files in the formats PairSource reads.
//
// Contract: a PairWriter streams rows into a temporary file through large buffers
// (CSV/TSV), row-chunked datasets (HDF5) or row groups (Parquet, string columns), so millions of rows cost little memory and
// few system calls; close() publishes the file atomically (atomic_file.h). A writer
// destroyed before close(), or one whose add() or close() threw, leaves no file; after
// close() or a throw, further add() or close() calls throw.
// Values are written as given: CSV quotes where needed; TSV and HDF5 reject values
// they cannot hold (a tab or line break in TSV, a NUL byte in HDF5) with mgeo::Error
// naming the file and row. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/io/pairs.h"

namespace mgeo::io {

class PairWriter {
 public:
  // Writes `path` (.csv, .tsv/.txt, .h5/.hdf5, .parquet): columns id, addr1, addr2 and, with
  // `with_label`, label.
  PairWriter(const std::string& path, bool with_label);
  PairWriter(PairWriter&&) noexcept;
  PairWriter& operator=(PairWriter&&) noexcept;
  ~PairWriter();

  // `label` is ignored unless the writer was made with_label.
  void add(std::string_view id, std::string_view addr1, std::string_view addr2, std::string_view label = {});
  void close();
  int64_t rows() const { return rows_; }

  class Sink;

 private:
  std::string path_;
  std::unique_ptr<Sink> sink_;            // null once closed or failed
  std::vector<std::string_view> fields_;  // the row being added
  int64_t rows_ = 0;
};

// Writes `rows` (their id, addr1, addr2; status and line are ignored) and, when given,
// one label per row.
void write_pairs(const std::string& path, const std::vector<PairRow>& rows,
                 const std::vector<std::string>* labels = nullptr);

}  // namespace mgeo::io
