#include "mgeo/io/table_writer.h"

#include <cstring>
#include <utility>

#include "formats.h"
#include "sinks.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/file.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/io/records.h"
#include "mgeo/util/error.h"

namespace mgeo::io {

namespace {

class DelimitedSink final : public TableWriter::Sink {
 public:
  DelimitedSink(const std::string& path, Dialect dialect, const std::vector<std::string>& columns)
      : out_(path), writer_(out_.temp_path(), path), dialect_(dialect), columns_(columns) {
    std::vector<std::string_view> header(columns.begin(), columns.end());
    add(header, 0);
  }

  void add(const std::vector<std::string_view>& fields, int64_t row) override {
    line_.clear();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) line_.push_back(dialect_.delimiter);
      if (!append_field(line_, fields[i], dialect_))
        fail("{}: data row {}, column {}: a TSV field cannot hold a tab or line break", out_.path(), row,
             columns_[i]);
    }
    line_.push_back('\n');
    writer_.write(line_);
  }

  void close() override {
    writer_.close();
    out_.commit();
  }

  bool can_hold(std::string_view value) const override {
    std::string scratch;
    return append_field(scratch, value, dialect_);
  }

 private:
  AtomicOutput out_;
  BufferedWriter writer_;
  Dialect dialect_;
  std::vector<std::string> columns_;
  std::string line_;
};

class Hdf5Sink final : public TableWriter::Sink {
 public:
  Hdf5Sink(const std::string& path, const std::vector<std::string>& columns)
      : out_(path), file_(h5::create_file(out_.temp_path(), path)), names_(columns) {
    const auto type = h5::vlen_utf8();
    for (const auto& name : names_) columns_.push_back(h5::create_rows(file_, name, type, 0, false, what(name)));
    pending_.resize(names_.size());
  }

  void add(const std::vector<std::string_view>& fields, int64_t row) override {
    for (std::size_t c = 0; c < fields.size(); ++c)
      if (std::memchr(fields[c].data(), '\0', fields[c].size()))
        fail("{}: data row {}: an HDF5 string cannot hold a NUL byte ({})", out_.path(), row, names_[c]);
    for (std::size_t c = 0; c < fields.size(); ++c) pending_[c].emplace_back(fields[c]);
    if (pending_[0].size() == kBlockRows) flush();
  }

  bool can_hold(std::string_view value) const override { return value.find('\0') == std::string_view::npos; }

  void close() override {
    flush();
    for (std::size_t c = 0; c < columns_.size(); ++c) columns_[c].close(what(names_[c]));
    file_.close(out_.path());
    out_.commit();
  }

 private:
  static constexpr std::size_t kBlockRows = 1 << 16;

  std::string what(const std::string& name) const { return out_.path() + ": dataset '" + name + "'"; }

  void flush() {
    std::vector<const char*> ptrs;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      ptrs.clear();
      for (const auto& s : pending_[c]) ptrs.push_back(s.c_str());
      h5::append_strings(columns_[c], ptrs, what(names_[c]));
      pending_[c].clear();
    }
  }

  AtomicOutput out_;
  h5::File file_;
  std::vector<std::string> names_;
  std::vector<h5::Dataset> columns_;
  std::vector<std::vector<std::string>> pending_;  // per column, rows not yet written
};

}  // namespace

TableWriter::TableWriter(const std::string& path, std::vector<std::string> columns)
    : path_(path), columns_(std::move(columns)) {
  MGEO_CHECK(!columns_.empty(), "{}: a table needs at least one column", path_);
  const auto format = format_of(path);
  if (format == Format::hdf5)
    sink_ = std::make_unique<Hdf5Sink>(path, columns_);
  else if (format == Format::parquet)
    sink_ = open_parquet_table(path, columns_);
  else
    sink_ = std::make_unique<DelimitedSink>(path, dialect_of(format), columns_);
}

TableWriter::TableWriter(TableWriter&&) noexcept = default;
TableWriter& TableWriter::operator=(TableWriter&&) noexcept = default;
TableWriter::~TableWriter() = default;

void TableWriter::add(const std::vector<std::string_view>& fields) {
  MGEO_CHECK(sink_, "{}: add() after close() or a failed write", path_);
  MGEO_CHECK(fields.size() == columns_.size(), "{}: data row {} has {} values for {} columns", path_, rows_ + 1,
             fields.size(), columns_.size());
  try {
    sink_->add(fields, rows_ + 1);
  } catch (...) {
    sink_.reset();  // removes the temp file
    throw;
  }
  ++rows_;
}

bool TableWriter::can_hold(std::string_view value) const {
  MGEO_CHECK(sink_, "{}: can_hold() after close() or a failed write", path_);
  return sink_->can_hold(value);
}

void TableWriter::close() {
  MGEO_CHECK(sink_, "{}: close() after close() or a failed write", path_);
  const auto sink = std::move(sink_);  // gone after this call, whatever happens
  sink->close();
}

}  // namespace mgeo::io
