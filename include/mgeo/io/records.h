// mgeo/io/records.h — records and fields of delimited text (CSV per RFC 4180, TSV).
//
// Contract: pure functions over caller-owned text; views returned point into it.
// CSV: a field that starts with '"' is quoted, may hold delimiters, quotes written as ""
// and line breaks; a '"' inside an unquoted field is an ordinary character. TSV has no
// quoting. Records end at LF or CRLF; a final record needs no line break, and empty
// lines at the end of the text are not records. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mgeo::io {

struct Dialect {
  char delimiter = ',';
  bool quoting = true;
};
inline constexpr Dialect kCsv{',', true};
inline constexpr Dialect kTsv{'\t', false};

// Where each record of a text starts, built in one pass. Compact: one offset per record
// plus one entry per record that spans several lines.
class RecordIndex {
 public:
  std::size_t size() const { return offsets_.size() - 1; }
  // Record i without its line break.
  std::string_view record(std::string_view text, std::size_t i) const;
  // 1-based line of the text where record i starts.
  int64_t line(std::size_t i) const;

 private:
  friend RecordIndex scan_records(std::string_view, Dialect, std::string_view,
                                  const std::function<void(std::string_view)>&);
  std::vector<uint64_t> offsets_{0};  // record i is text[offsets_[i], offsets_[i + 1])
  // (record, line breaks inside records 0..record), for records holding line breaks.
  std::vector<std::pair<uint64_t, uint64_t>> inner_breaks_;
};

// Indexes the records of `text`. Throws mgeo::Error "<name>:<line>: unterminated quoted
// field" when a quoted field runs to the end of the text. `scanned`, when given, is called
// with each further 32 MiB of text it has finished with (for MappedFile::release).
RecordIndex scan_records(std::string_view text, Dialect dialect, std::string_view name,
                         const std::function<void(std::string_view)>& scanned = {});

// One field of a record as stored: `quoted` fields hold "" for each quote.
struct Field {
  std::string_view stored;
  bool quoted = false;
  std::string value() const;  // the field's text
};

// Splits one record (no line break) into fields. Returns false when a closing quote is
// followed by something other than a delimiter; `fields` then still holds every field.
bool split_record(std::string_view record, Dialect dialect, std::vector<Field>& fields);

// Appends `value` as one field, quoted when needed. Returns false and appends nothing
// for a TSV value holding a tab or line break, which TSV cannot represent.
[[nodiscard]] bool append_field(std::string& out, std::string_view value, Dialect dialect);

}  // namespace mgeo::io
