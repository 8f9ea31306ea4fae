// mgeo/io/pairs.h — the row model shared by every pair reader and writer.
//
// Contract: a reader never drops a data row. A row with a problem keeps its place and
// line and carries a RowStatus other than ok; its id holds whatever could be read and
// is always valid UTF-8 without NUL bytes (bad bytes become U+FFFD). File-level
// problems throw mgeo::Error instead. Value types and pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::io {

// Why a row is not scored. The values are stable (they travel as bytes between ranks).
enum class RowStatus : uint8_t {
  ok = 0,
  malformed_row,   // wrong number of fields, or text after a closing quote
  invalid_utf8,    // id, addr1 or addr2 is not valid UTF-8
  empty_address,   // addr1 or addr2 is empty or only white space
  nul_byte,        // id, addr1 or addr2 holds a NUL byte
  field_too_long,  // id, addr1 or addr2 takes more than ReadOptions::max_field_bytes
  duplicate_id,    // the id appeared on an earlier row; set by the caller (find_duplicates)
  non_finite,      // the model gave a NaN or infinite probability; set by the scoring job
  id_escaped,      // the id holds a tab or line break that a .tsv output cannot hold: it is
                   // written with \t, \n and \r escaped; set by the scoring job
  null_value,      // id, addr1 or addr2 is null (a Parquet input); the id is kept as "" when null
};
constexpr RowStatus kLastRowStatus = RowStatus::null_value;

// "ok", "malformed_row", ...: the status as written to score files.
const char* status_name(RowStatus status);

struct PairRow {
  std::string id, addr1, addr2;   // addresses are empty when the row is flagged
  RowStatus status = RowStatus::ok;
  int64_t line = 0;  // 1-based line where the record starts (HDF5: row index + 1)
};

struct ReadOptions {
  std::size_t max_field_bytes = 4096;  // bytes a field may take in the file
  // The columns (HDF5: datasets) read as addr1 and addr2. Both may name the same column:
  // a table of single addresses (id,address) is read with both set to "address".
  std::string addr1_column = "addr1", addr2_column = "addr2";
};

// Builds a row from the decoded id and address fields at `line`. The first problem found
// sets the status, checked in this order: field_too_long, nul_byte, invalid_utf8,
// empty_address. An oversized id is kept as "".
PairRow make_row(std::string_view id, std::string_view addr1, std::string_view addr2, int64_t line,
                 const ReadOptions& opts);

// A row whose fields could not be split: malformed_row, keeping `id` as far as it is usable.
PairRow malformed_row(std::string_view id, int64_t line, const ReadOptions& opts);

// True when `s` is empty or holds only white space (Unicode White_Space, U+200B, U+FEFF).
bool is_blank(std::string_view s);

// `s` with each invalid UTF-8 sequence and each NUL byte replaced by U+FFFD.
std::string sanitize_utf8(std::string_view s);

// result[i] is true when ids[i] equals an earlier id; first occurrences stay false.
std::vector<bool> find_duplicates(const std::vector<std::string>& ids);

}  // namespace mgeo::io
