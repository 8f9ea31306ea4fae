// csv_rows.h — line-by-line reading of the divisions CSV files (plain or gzip).
//
// Contract: CsvRows opens one file and yields its data rows split into fields, with
// double-quoted fields unquoted ("" inside quotes is one quote). The header must equal
// the expected one. Every error throws mgeo::Error naming the file and line. The gzip
// handle is owned (closed by the destructor). Not thread-safe; one reader per file.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::synth::detail {

class CsvRows {
 public:
  // Opens `path`; a name ending in .gz is read through zlib.
  CsvRows(std::string path, std::string_view expected_header);
  ~CsvRows();
  CsvRows(const CsvRows&) = delete;
  CsvRows& operator=(const CsvRows&) = delete;

  // Reads the next data row into fields(); false at end of file. Blank lines are skipped.
  bool next();
  const std::vector<std::string_view>& fields() const { return fields_; }
  int64_t line() const { return line_; }
  const std::string& path() const { return path_; }

  // Field `i` as a decimal code; throws naming the file, line and column.
  uint64_t code(std::size_t i) const;
  // Throws mgeo::Error "<path>:<line>: <message>".
  [[noreturn]] void fail(std::string_view message) const;

  class Source;

 private:
  bool read_line();
  void split();

  std::string path_;
  std::unique_ptr<Source> source_;
  std::string buf_;
  std::vector<std::string_view> fields_;
  std::deque<std::string> unquoted_;  // storage for fields with "" escapes (stable addresses)
  std::size_t columns_ = 0;
  int64_t line_ = 0;
};

}  // namespace mgeo::synth::detail
