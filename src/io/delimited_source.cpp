// CSV/TSV input: the file is mapped, its records indexed once, and rows parsed on demand.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "formats.h"
#include "mgeo/io/file.h"
#include "mgeo/util/error.h"

namespace mgeo::io {
namespace {

std::string_view without_bom(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return text;
}

std::string trim_spaces(std::string s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

class DelimitedSource final : public PairSource {
 public:
  DelimitedSource(const std::string& path, Dialect dialect, const ReadOptions& opts)
      : path_(path),
        dialect_(dialect),
        opts_(opts),
        file_(MappedFile::open(path)),
        text_(without_bom(file_.text())),
        index_(scan_records(text_, dialect, path, [this](std::string_view done) { file_.release(done); })) {
    read_header();
  }

  int64_t size() const override { return static_cast<int64_t>(index_.size()) - 1; }

  std::vector<PairRow> read(int64_t begin, int64_t end) override {
    check_range(begin, end);
    std::vector<PairRow> rows;
    rows.reserve(end - begin);
    for (auto i = begin; i < end; ++i) rows.push_back(parse_row(i + 1));
    if (begin < end) {  // the rows are copied out: let their pages go
      const auto first = index_.record(text_, begin + 1), last = index_.record(text_, end);
      file_.release(std::string_view(first.data(), last.data() + last.size() - first.data()));
    }
    return rows;
  }

  std::vector<std::string> extra_columns() const override {
    std::vector<std::string> extra;
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (c != id_ && c != addr1_ && c != addr2_) extra.push_back(columns_[c]);
    return extra;
  }

  std::vector<std::string> read_column(const std::string& name, int64_t begin, int64_t end) override {
    check_range(begin, end);
    const auto c = column(name);
    if (c == columns_.size()) fail("{}: no column '{}'", path_, name);
    std::vector<std::string> values;
    values.reserve(end - begin);
    for (auto i = begin; i < end; ++i) {
      const bool ok = split(i + 1);
      values.push_back(ok ? fields_[c].value() : std::string());
    }
    return values;
  }

 private:
  void read_header() {
    if (index_.size() == 0) fail("{}: empty file; expected a header naming {}", path_, fmt::join(required(), ", "));
    const auto header = index_.record(text_, 0);
    if (!split_record(header, dialect_, fields_)) fail("{}:1: malformed header (text after a closing quote)", path_);
    for (const auto& f : fields_) {  // a hash of the names: linear in the columns, whatever their number
      auto name = trim_spaces(f.value());
      if (!by_name_.emplace(name, columns_.size()).second)
        fail("{}:1: column '{}' appears twice in the header", path_, name);
      columns_.push_back(std::move(name));
    }
    id_ = column("id"), addr1_ = column(opts_.addr1_column), addr2_ = column(opts_.addr2_column);
    std::vector<std::string> missing;
    for (const auto& name : required())
      if (column(name) == columns_.size() && std::find(missing.begin(), missing.end(), name) == missing.end())
        missing.push_back(name);
    if (!missing.empty())
      fail("{}:1: header lacks column(s) {} (found: {})", path_, fmt::join(missing, ", "), fmt::join(columns_, ", "));
  }

  std::vector<std::string> required() const { return {"id", opts_.addr1_column, opts_.addr2_column}; }

  std::size_t column(const std::string& name) const {
    const auto it = by_name_.find(name);
    return it == by_name_.end() ? columns_.size() : it->second;
  }

  void check_range(int64_t begin, int64_t end) const {
    MGEO_CHECK(0 <= begin && begin <= end && end <= size(), "{}: rows [{}, {}) out of range [0, {})", path_,
               begin, end, size());
  }

  // Splits record `r` into fields_; true when it is well formed with one field per column.
  bool split(std::size_t r) {
    return split_record(index_.record(text_, r), dialect_, fields_) && fields_.size() == columns_.size();
  }

  // A field's text; oversized quoted fields stay undecoded (make_row only measures them).
  std::string_view text_of(const Field& f, std::string& scratch) const {
    if (!f.quoted || f.stored.size() > opts_.max_field_bytes) return f.stored;
    scratch = f.value();
    return scratch;
  }

  PairRow parse_row(std::size_t r) {
    const auto line = index_.line(r);
    if (!split(r)) {
      const auto id = id_ < fields_.size() ? text_of(fields_[id_], scratch_[0]) : std::string_view();
      return malformed_row(id, line, opts_);
    }
    return make_row(text_of(fields_[id_], scratch_[0]), text_of(fields_[addr1_], scratch_[1]),
                    text_of(fields_[addr2_], scratch_[2]), line, opts_);
  }

  std::string path_;
  Dialect dialect_;
  ReadOptions opts_;
  MappedFile file_;
  std::string_view text_;
  RecordIndex index_;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, std::size_t> by_name_;  // column name -> position
  std::size_t id_ = 0, addr1_ = 0, addr2_ = 0;
  std::vector<Field> fields_;      // reused between rows
  std::string scratch_[3];         // decoded quoted fields of the current row
};

}  // namespace

std::unique_ptr<PairSource> open_delimited(const std::string& path, Dialect dialect, const ReadOptions& opts) {
  return std::make_unique<DelimitedSource>(path, dialect, opts);
}

}  // namespace mgeo::io
