// Parquet input: the row groups a read() overlaps, one at a time, and only the columns asked for.
#include "../formats.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/exception.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/properties.h>

#include <algorithm>

#include "mgeo/util/error.h"
#include "../input_check.h"
#include "mgeo/util/regular_file.h"
#include "parquet_internal.h"

namespace mgeo::io {
namespace {

// What one row group's columns may take once decoded (their uncompressed size, as the
// file declares it): 4096 bytes per byte of file, as for HDF5 (hdf5.h), and at most
// 8 GiB; and the rows a row group may declare. Larger is an error, not an allocation.
constexpr uint64_t kMaxExpansion = 4096;
constexpr uint64_t kMaxRowGroupBytes = uint64_t{8} << 30;
constexpr int64_t kMaxRowGroupRows = int64_t{1} << 26;

enum class Kind { text, integer, other };

Kind kind_of(const arrow::DataType& t) {
  switch (t.id()) {
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW:
      return Kind::text;
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
      return Kind::integer;
    case arrow::Type::DICTIONARY:
      return kind_of(*static_cast<const arrow::DictionaryType&>(t).value_type());
    default:
      return Kind::other;
  }
}

// Values of some rows of one column: views into Arrow's buffers, or into `scratch` for
// integers (printed in decimal). scratch is reserved up front, so views stay valid.
struct Cells {
  std::vector<std::string_view> values;
  std::vector<char> null;
  std::vector<std::string> scratch;

  void reset(std::size_t rows) {
    values.clear(), null.clear(), scratch.clear();
    values.reserve(rows), null.reserve(rows), scratch.reserve(rows);
  }
};

template <class ArrayT>
void add_integer(const arrow::Array& a, int64_t i, Cells& out) {
  out.scratch.push_back(fmt::format("{}", static_cast<const ArrayT&>(a).Value(i)));
  out.values.emplace_back(out.scratch.back());
}

// Appends the value at index i of `a` (text, integers, or a dictionary of either).
void add_cell(const arrow::Array& a, int64_t i, Cells& out, const std::string& what) {
  if (a.IsNull(i)) {
    out.values.emplace_back();
    out.null.push_back(1);
    return;
  }
  switch (a.type_id()) {
    case arrow::Type::STRING:
    case arrow::Type::BINARY:
      out.values.push_back(static_cast<const arrow::BinaryArray&>(a).GetView(i));
      break;
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
      out.values.push_back(static_cast<const arrow::LargeBinaryArray&>(a).GetView(i));
      break;
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW:
      out.values.push_back(static_cast<const arrow::BinaryViewArray&>(a).GetView(i));
      break;
    case arrow::Type::DICTIONARY: {
      const auto& d = static_cast<const arrow::DictionaryArray&>(a);
      const int64_t k = d.GetValueIndex(i);
      MGEO_CHECK(k >= 0 && k < d.dictionary()->length(), "{}: dictionary index {} out of range [0, {})", what, k,
                 d.dictionary()->length());
      return add_cell(*d.dictionary(), k, out, what);
    }
    case arrow::Type::INT8: add_integer<arrow::Int8Array>(a, i, out); break;
    case arrow::Type::INT16: add_integer<arrow::Int16Array>(a, i, out); break;
    case arrow::Type::INT32: add_integer<arrow::Int32Array>(a, i, out); break;
    case arrow::Type::INT64: add_integer<arrow::Int64Array>(a, i, out); break;
    case arrow::Type::UINT8: add_integer<arrow::UInt8Array>(a, i, out); break;
    case arrow::Type::UINT16: add_integer<arrow::UInt16Array>(a, i, out); break;
    case arrow::Type::UINT32: add_integer<arrow::UInt32Array>(a, i, out); break;
    case arrow::Type::UINT64: add_integer<arrow::UInt64Array>(a, i, out); break;
    default: fail("{}: holds {}, neither strings nor integers", what, a.type()->ToString());
  }
  out.null.push_back(0);
}

// Rows [b, e) of a column of one row group.
void add_cells(const arrow::ChunkedArray& column, int64_t b, int64_t e, Cells& out, const std::string& what) {
  int64_t base = 0;
  for (const auto& chunk : column.chunks()) {
    const int64_t n = chunk->length();
    for (int64_t r = std::max(b, base); r < std::min(e, base + n); ++r) add_cell(*chunk, r - base, out, what);
    base += n;
    if (base >= e) break;
  }
}

struct Column {
  std::string name;
  int leaf = -1;  // Parquet column index
  Kind kind = Kind::other;
  std::string type;  // as Arrow names it, for messages
};

class ParquetSource final : public PairSource {
 public:
  ParquetSource(const std::string& path, const ReadOptions& opts)
      : path_(path),
        opts_(opts),
        budget_(std::min(require_regular_file(path, "input") * kMaxExpansion, kMaxRowGroupBytes)),
        required_{"id", opts.addr1_column, opts.addr2_column} {
    pq::guarded(path_ + ": not a readable Parquet file", [&] { open_file(); });
    for (std::size_t r = 0; r < required_.size(); ++r) {
      const Column& c = column(required_[r]);
      const bool fits = c.kind == Kind::text || (r == 0 && c.kind == Kind::integer);
      if (!fits)
        fail("{}: column '{}' has type {}; expected {}", path_, c.name, c.type,
             r == 0 ? "strings or integers" : "strings (string, large_string, binary or a dictionary of them)");
      if (std::find(pair_leaves_.begin(), pair_leaves_.end(), c.leaf) == pair_leaves_.end())
        pair_leaves_.push_back(c.leaf);
    }
    for (const auto& c : columns_)
      if (c.kind != Kind::other && std::find(required_.begin(), required_.end(), c.name) == required_.end())
        extra_.push_back(c.name);
  }

  int64_t size() const override { return starts_.back(); }

  std::vector<PairRow> read(int64_t begin, int64_t end) override {
    check_range(begin, end);
    std::vector<PairRow> rows;
    rows.reserve(static_cast<std::size_t>(end - begin));
    for_groups(begin, end, pair_leaves_, [&](const arrow::Table& t, int64_t lo, int64_t hi, int64_t first) {
      for (int k = 0; k < 3; ++k) {
        cells_[k].reset(static_cast<std::size_t>(hi - lo));
        add_cells(*t.GetColumnByName(required_[k]), lo, hi, cells_[k], what(required_[k]));
      }
      for (std::size_t i = 0; i < cells_[0].values.size(); ++i) {
        const int64_t line = first + static_cast<int64_t>(i) + 1;
        if (cells_[0].null[i] || cells_[1].null[i] || cells_[2].null[i]) {
          rows.push_back(malformed_row(cells_[0].values[i], line, opts_));
          rows.back().status = RowStatus::null_value;
        } else {
          rows.push_back(make_row(cells_[0].values[i], cells_[1].values[i], cells_[2].values[i], line, opts_));
        }
      }
    });
    return rows;
  }

  std::vector<std::string> extra_columns() const override { return extra_; }

  std::vector<std::string> read_column(const std::string& name, int64_t begin, int64_t end) override {
    check_range(begin, end);
    const bool known = std::find(required_.begin(), required_.end(), name) != required_.end() ||
                       std::find(extra_.begin(), extra_.end(), name) != extra_.end();
    if (!known) fail("{}: no column '{}' of strings or integers", path_, name);
    std::vector<std::string> values;
    values.reserve(static_cast<std::size_t>(end - begin));
    for_groups(begin, end, {column(name).leaf}, [&](const arrow::Table& t, int64_t lo, int64_t hi, int64_t) {
      cells_[0].reset(static_cast<std::size_t>(hi - lo));
      add_cells(*t.GetColumnByName(name), lo, hi, cells_[0], what(name));
      for (const auto& v : cells_[0].values) values.emplace_back(v);  // a null reads as ""
    });
    return values;
  }

 private:
  std::string what(const std::string& name) const { return fmt::format("{}: column '{}'", path_, name); }

  void open_file() {
    auto file = pq::value(arrow::io::ReadableFile::Open(path_), path_);
    auto raw = parquet::ParquetFileReader::Open(file);
    const auto meta = raw->metadata();
    // Text columns are decoded to plain strings even where the file stores a dictionary:
    // addresses are mostly distinct, and asking Arrow for dictionary arrays made it hash every
    // plain-encoded page into one (a 300k-row read took 1.1-1.6 s against 0.26 s).
    const parquet::ArrowReaderProperties props;
    starts_.push_back(0);
    for (int g = 0; g < meta->num_row_groups(); ++g) {
      const int64_t n = meta->RowGroup(g)->num_rows();
      MGEO_CHECK(n >= 0 && n <= kMaxRowGroupRows, "{}: row group {} declares {} rows (at most {})", path_, g, n,
                 kMaxRowGroupRows);
      starts_.push_back(starts_.back() + n);
    }
    MGEO_CHECK(starts_.back() == meta->num_rows(), "{}: the row groups hold {} rows but the file declares {}", path_,
               starts_.back(), meta->num_rows());
    reader_ = pq::value(parquet::arrow::FileReader::Make(arrow::default_memory_pool(), std::move(raw), props), path_);
    for (const auto& f : reader_->manifest().schema_fields) {
      for (const auto& c : columns_)
        MGEO_CHECK(c.name != f.field->name(), "{}: column '{}' appears more than once", path_, c.name);
      const auto kind = f.is_leaf() ? kind_of(*f.field->type()) : Kind::other;  // nested: never text
      columns_.push_back({f.field->name(), f.column_index, kind, f.field->type()->ToString()});
    }
  }

  const Column& column(const std::string& name) const {
    for (const auto& c : columns_)
      if (c.name == name) return c;
    std::vector<std::string> names;
    for (const auto& c : columns_) names.push_back(c.name);
    fail("{}: missing column '{}' (a Parquet input needs columns {}; found: {})", path_, name,
         fmt::join(required_, ", "), fmt::join(names, ", "));
  }

  // Calls f(table, lo, hi, first) for each row group overlapping [begin, end): rows
  // [lo, hi) of the group's table are rows [first, first + hi - lo) of the file.
  template <class F>
  void for_groups(int64_t begin, int64_t end, const std::vector<int>& leaves, F&& f) {
    auto g = static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), begin) - starts_.begin()) - 1;
    for (; begin < end; ++g) {
      const int64_t lo = begin - starts_[g], hi = std::min(end, starts_[g + 1]) - starts_[g];
      if (hi > lo) f(load(g, leaves), lo, hi, begin);
      begin = starts_[g] + hi;
    }
  }

  // Row group g's columns `leaves`, decoded; only the last group loaded stays in memory.
  const arrow::Table& load(int g, const std::vector<int>& leaves) {
    if (g == cached_group_ && leaves == cached_leaves_) return *cached_;
    cached_.reset();
    cached_group_ = -1;
    const std::string where = fmt::format("{}: row group {}", path_, g);
    pq::guarded(where, [&] {
      uint64_t bytes = 0;
      const auto rg = reader_->parquet_reader()->metadata()->RowGroup(g);
      for (int leaf : leaves) {
        const int64_t n = rg->ColumnChunk(leaf)->total_uncompressed_size();
        MGEO_CHECK(n >= 0, "{}: a column declares {} bytes", where, n);
        bytes += static_cast<uint64_t>(n);
      }
      MGEO_CHECK(bytes <= budget_, "{}: its columns take {} bytes uncompressed, more than {} allowed for this file",
                 where, bytes, budget_);
      cached_ = pq::value(reader_->ReadRowGroup(g, leaves), where);
      const int64_t rows = starts_[g + 1] - starts_[g];
      MGEO_CHECK(cached_->num_rows() == rows, "{}: holds {} rows but declares {}", where, cached_->num_rows(), rows);
      for (const auto& col : cached_->columns()) {
        MGEO_CHECK(col->length() == rows, "{}: a column holds {} rows, not {}", where, col->length(), rows);
        for (const auto& chunk : col->chunks()) pq::check(chunk->Validate(), where);
      }
    });
    cached_group_ = g;
    cached_leaves_ = leaves;
    return *cached_;
  }

  void check_range(int64_t begin, int64_t end) const {
    MGEO_CHECK(0 <= begin && begin <= end && end <= size(), "{}: rows [{}, {}) out of range [0, {})", path_, begin,
               end, size());
  }

  std::string path_;
  ReadOptions opts_;
  uint64_t budget_;  // bytes one row group's columns may take, decoded
  std::vector<std::string> required_;  // id and the two address columns' names
  std::unique_ptr<parquet::arrow::FileReader> reader_;
  std::vector<Column> columns_;    // top-level columns, in file order
  std::vector<int> pair_leaves_;   // the Parquet columns read() reads
  std::vector<int64_t> starts_;    // first row of each row group, then size()
  std::vector<std::string> extra_;
  std::shared_ptr<arrow::Table> cached_;
  int cached_group_ = -1;
  std::vector<int> cached_leaves_;
  Cells cells_[3];
};

}  // namespace

std::unique_ptr<PairSource> open_parquet_in_process(const std::string& path, const ReadOptions& opts) {
  return std::make_unique<ParquetSource>(path, opts);
}

std::unique_ptr<PairSource> open_parquet(const std::string& path, const ReadOptions& opts) {
  if (input_check_enabled(Format::parquet)) check_input_in_child(path, opts, Format::parquet);
  return open_parquet_in_process(path, opts);
}

namespace pq {

void fail_status(const arrow::Status& status, const std::string& what) { fail("{}: {}", what, status.ToString()); }

}  // namespace pq
}  // namespace mgeo::io
