// mgeo/align/address_table.h — a table of single addresses (id, address) held in memory.
//
// Contract: read_address_table(path) reads every data row of a .csv/.tsv/.h5/.parquet file with
// columns (datasets) `id` and `address` (others ignored) through io::PairSource, so the
// same rules flag bad rows: a row keeps its place with a status other than ok
// (malformed_row, invalid_utf8, empty_address, nul_byte, field_too_long, null_value) and an empty
// address; an id seen on an earlier row is flagged duplicate_id. Nothing is dropped.
// File-level problems (missing file or column) throw mgeo::Error naming the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mgeo/io/pairs.h"
#include "mgeo/io/table_writer.h"

namespace mgeo::align {

struct AddressTable {
  std::string path;
  std::vector<std::string> ids, addresses;
  std::vector<io::RowStatus> status;
  std::vector<int64_t> lines;  // 1-based line (HDF5: row + 1) of each row

  std::size_t size() const { return ids.size(); }
  bool ok(std::size_t i) const { return status[i] == io::RowStatus::ok; }
  int64_t flagged() const;  // rows whose status is not ok
};

AddressTable read_address_table(const std::string& path, std::size_t max_field_bytes = 4096);

// Throws mgeo::Error naming the table's file and line, the id and the output when an id
// of `t` cannot be written to `out` (a tab or line break in an id, for a .tsv output):
// checked once the table is read, so a job never fails on it after its work is done.
void require_writable_ids(const AddressTable& t, const io::TableWriter& out);

}  // namespace mgeo::align
