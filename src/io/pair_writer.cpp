#include "mgeo/io/pair_writer.h"

#include <cstring>
#include <utility>

#include "formats.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/file.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/util/error.h"

namespace mgeo::io {

// Receives rows as (id, addr1, addr2[, label]) fields.
class PairWriter::Sink {
 public:
  virtual ~Sink() = default;
  virtual void add(const std::vector<std::string_view>& fields, int64_t row) = 0;
  virtual void close() = 0;
};

namespace {

std::vector<std::string> column_names(bool with_label) {
  std::vector<std::string> names = {"id", "addr1", "addr2"};
  if (with_label) names.emplace_back("label");
  return names;
}

class DelimitedSink final : public PairWriter::Sink {
 public:
  DelimitedSink(const std::string& path, Dialect dialect, bool with_label)
      : out_(path), writer_(out_.temp_path(), path), dialect_(dialect) {
    std::vector<std::string_view> header;
    for (const auto& name : column_names(with_label)) header.push_back(name);
    add(header, 0);
  }

  void add(const std::vector<std::string_view>& fields, int64_t row) override {
    line_.clear();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) line_.push_back(dialect_.delimiter);
      if (!append_field(line_, fields[i], dialect_))
        fail("{}: data row {}: a TSV field cannot hold a tab or line break", out_.path(), row);
    }
    line_.push_back('\n');
    writer_.write(line_);
  }

  void close() override {
    writer_.close();
    out_.commit();
  }

 private:
  AtomicOutput out_;
  BufferedWriter writer_;
  Dialect dialect_;
  std::string line_;
};

class Hdf5Sink final : public PairWriter::Sink {
 public:
  Hdf5Sink(const std::string& path, bool with_label)
      : out_(path), file_(h5::create_file(out_.temp_path(), path)), names_(column_names(with_label)) {
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

PairWriter::PairWriter(const std::string& path, bool with_label) : path_(path) {
  const auto format = format_of(path);
  if (format == Format::hdf5)
    sink_ = std::make_unique<Hdf5Sink>(path, with_label);
  else
    sink_ = std::make_unique<DelimitedSink>(path, dialect_of(format), with_label);
  fields_.resize(with_label ? 4 : 3);
}

PairWriter::PairWriter(PairWriter&&) noexcept = default;
PairWriter& PairWriter::operator=(PairWriter&&) noexcept = default;
PairWriter::~PairWriter() = default;

void PairWriter::add(std::string_view id, std::string_view addr1, std::string_view addr2, std::string_view label) {
  MGEO_CHECK(sink_, "{}: add() after close() or a failed write", path_);
  fields_[0] = id, fields_[1] = addr1, fields_[2] = addr2;
  if (fields_.size() == 4) fields_[3] = label;
  try {
    sink_->add(fields_, rows_ + 1);
  } catch (...) {
    sink_.reset();  // removes the temp file
    throw;
  }
  ++rows_;
}

void PairWriter::close() {
  MGEO_CHECK(sink_, "{}: close() after close() or a failed write", path_);
  const auto sink = std::move(sink_);  // gone after this call, whatever happens
  sink->close();
}

void write_pairs(const std::string& path, const std::vector<PairRow>& rows, const std::vector<std::string>* labels) {
  MGEO_CHECK(!labels || labels->size() == rows.size(), "{}: {} labels for {} rows", path,
             labels ? labels->size() : 0, rows.size());
  PairWriter writer(path, labels != nullptr);
  for (std::size_t i = 0; i < rows.size(); ++i)
    writer.add(rows[i].id, rows[i].addr1, rows[i].addr2, labels ? std::string_view((*labels)[i]) : std::string_view());
  writer.close();
}

}  // namespace mgeo::io
