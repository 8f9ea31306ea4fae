#include "mgeo/io/score_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "formats.h"
#include "sinks.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/file.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/util/error.h"

namespace mgeo::io {
namespace {

constexpr std::size_t kBlockRows = 1 << 16;

void check_table(const std::string& path, const ScoreTable& t) {
  const auto n = t.ids.size();
  MGEO_CHECK(!t.labels.empty(), "{}: score table has no labels", path);
  MGEO_CHECK(t.score_label >= 0 && static_cast<std::size_t>(t.score_label) < t.labels.size(),
             "{}: score label index {} is not one of {} labels", path, t.score_label, t.labels.size());
  MGEO_CHECK(t.probs.size() == n * t.labels.size() && t.status.size() == n,
             "{}: score table has {} ids, {} probabilities and {} statuses for {} labels", path, n, t.probs.size(),
             t.status.size(), t.labels.size());
  MGEO_CHECK(t.extra.size() == n * t.extra_columns.size(),
             "{}: score table has {} extra values for {} ids and {} extra columns", path, t.extra.size(), n,
             t.extra_columns.size());
}

// Extra columns may not take the name of a column or dataset of their own or of each other.
void check_extra_columns(const std::string& path, const std::vector<std::string>& labels,
                         const std::vector<std::string>& extra) {
  std::vector<std::string> taken = {"id", "score", "label", "probs", "status"};
  for (const auto& l : labels) taken.push_back("prob_" + l);
  for (const auto& name : extra) {
    MGEO_CHECK(!name.empty() && std::find(taken.begin(), taken.end(), name) == taken.end(),
               "{}: extra column name '{}' is empty or already taken", path, name);
    taken.push_back(name);
  }
}

void append_float(std::string& out, float v) {
  if (!std::isnan(v)) fmt::format_to(std::back_inserter(out), "{}", v);
}

class DelimitedScores final : public ScoreWriter::Impl {
 public:
  DelimitedScores(const std::string& path, Dialect dialect, const std::vector<std::string>& labels,
                  const std::vector<std::string>& extra_columns)
      : out_(path), writer_(out_.temp_path(), path), d_(dialect) {
    start_row();
    for (const auto& h : score_columns(labels, extra_columns)) field(h);
    end_row("header");
  }

  void append(const ScoreTable& t) override {
    for (std::size_t i = 0; i < t.ids.size(); ++i) write_row(t, i);
    rows += static_cast<int64_t>(t.ids.size());
  }

  void commit() override {
    writer_.close();
    out_.commit();
  }

 private:
  void write_row(const ScoreTable& t, std::size_t i) {
    start_row();
    field(t.ids[i]);
    next();
    append_float(line_, probs_of(t, i)[t.score_label]);
    field(best_label(t, i));
    for (std::size_t l = 0; l < t.labels.size(); ++l) {
      next();
      append_float(line_, probs_of(t, i)[l]);
    }
    field(status_name(t.status[i]));
    const std::size_t extra = t.extra_columns.size();
    for (std::size_t c = 0; c < extra; ++c) field(t.extra[i * extra + c]);
    end_row(fmt::format("row {}", rows + static_cast<int64_t>(i) + 1));
  }

  void start_row() {
    line_.clear();
    first_ = true;
  }
  void next() {
    if (!first_) line_.push_back(d_.delimiter);
    first_ = false;
  }
  void field(std::string_view v) {
    next();
    representable_ = append_field(line_, v, d_) && representable_;
  }
  void end_row(const std::string& where) {
    if (!representable_) fail("{}: {}: a TSV field cannot hold a tab or line break", out_.path(), where);
    line_.push_back('\n');
    writer_.write(line_);
  }

  AtomicOutput out_;
  BufferedWriter writer_;
  Dialect d_;
  std::string line_;
  bool first_ = true;
  bool representable_ = true;
};

class Hdf5Scores final : public ScoreWriter::Impl {
 public:
  Hdf5Scores(const std::string& path, const std::vector<std::string>& labels,
             const std::vector<std::string>& extra_columns)
      : out_(path),
        file_(h5::create_file(out_.temp_path(), path)),
        id_(create("id", str_, 0, false)),
        score_(create("score", f32_, 0, true)),
        label_(create("label", str_, 0, false)),
        probs_(create("probs", f32_, labels.size(), true)),
        status_(create("status", str_, 0, false)) {
    for (const auto& name : extra_columns) {
      extra_names_.push_back(name);
      extra_.push_back(create(name, str_, 0, false));
    }
    h5::write_string_attribute(file_, "labels", labels, out_.path() + ": attribute 'labels'");
  }

  void append(const ScoreTable& t) override {
    for (std::size_t b = 0; b < t.ids.size(); b += kBlockRows) write_block(t, b, std::min(t.ids.size(), b + kBlockRows));
    rows += static_cast<int64_t>(t.ids.size());
  }

  void commit() override {
    for (auto* ds : {&id_, &score_, &label_, &probs_, &status_}) ds->close(out_.path());
    for (auto& ds : extra_) ds.close(out_.path());
    file_.close(out_.path());
    out_.commit();
  }

 private:
  std::string what(const std::string& name) const { return fmt::format("{}: dataset '{}'", out_.path(), name); }

  h5::Dataset create(const std::string& name, const h5::Datatype& type, std::size_t cols, bool compress) {
    return h5::create_rows(file_, name, type, cols, compress, what(name));
  }

  void write_block(const ScoreTable& t, std::size_t b, std::size_t e) {
    ids_.clear(), labels_.clear(), statuses_.clear(), scores_.clear();
    for (auto i = b; i < e; ++i) {
      ids_.push_back(t.ids[i].c_str());
      labels_.push_back(best_label(t, i));
      statuses_.push_back(status_name(t.status[i]));
      scores_.push_back(probs_of(t, i)[t.score_label]);
    }
    h5::append_strings(id_, ids_, what("id"));
    h5::append_rows(score_, H5T_NATIVE_FLOAT, scores_.data(), e - b, what("score"));
    h5::append_strings(label_, labels_, what("label"));
    h5::append_rows(probs_, H5T_NATIVE_FLOAT, probs_of(t, b), e - b, what("probs"));
    h5::append_strings(status_, statuses_, what("status"));
    const std::size_t extra = t.extra_columns.size();
    for (std::size_t c = 0; c < extra; ++c) {
      values_.clear();
      for (auto i = b; i < e; ++i) values_.push_back(t.extra[i * extra + c].c_str());
      h5::append_strings(extra_[c], values_, what(extra_names_[c]));
    }
  }

  const h5::Datatype str_ = h5::vlen_utf8();
  const h5::Datatype f32_ = h5::Datatype(H5Tcopy(H5T_IEEE_F32LE));
  AtomicOutput out_;
  h5::File file_;
  h5::Dataset id_, score_, label_, probs_, status_;
  std::vector<std::string> extra_names_;
  std::vector<h5::Dataset> extra_;
  std::vector<const char*> ids_, labels_, statuses_, values_;  // one block's columns
  std::vector<float> scores_;
};

}  // namespace

ScoreWriter::ScoreWriter(const std::string& path, std::vector<std::string> labels, int score_label,
                         std::vector<std::string> extra_columns) {
  ScoreTable header;
  header.labels = std::move(labels);
  header.score_label = score_label;
  check_table(path, header);
  check_extra_columns(path, header.labels, extra_columns);
  labels_ = std::move(header.labels);
  extra_columns_ = std::move(extra_columns);
  score_label_ = score_label;
  const auto format = format_of(path);
  if (format == Format::hdf5)
    impl_ = std::make_unique<Hdf5Scores>(path, labels_, extra_columns_);
  else if (format == Format::parquet)
    impl_ = open_parquet_scores(path, labels_, extra_columns_);
  else
    impl_ = std::make_unique<DelimitedScores>(path, dialect_of(format), labels_, extra_columns_);
  path_ = path;
}

ScoreWriter::~ScoreWriter() = default;

void ScoreWriter::append(const ScoreTable& block) {
  MGEO_CHECK(impl_ != nullptr, "{}: append after commit", path_);
  check_table(path_, block);
  MGEO_CHECK(block.labels == labels_ && block.score_label == score_label_,
             "{}: appended rows have other labels or another score label than the file", path_);
  MGEO_CHECK(block.extra_columns == extra_columns_, "{}: appended rows have other extra columns than the file",
             path_);
  impl_->append(block);
}

void ScoreWriter::commit() {
  MGEO_CHECK(impl_ != nullptr, "{}: committed twice", path_);
  impl_->commit();
  rows_ = impl_->rows;
  impl_.reset();
}

int64_t ScoreWriter::rows() const { return impl_ ? impl_->rows : rows_; }

void write_scores(const std::string& path, const ScoreTable& table) {
  ScoreWriter w(path, table.labels, table.score_label, table.extra_columns);
  w.append(table);
  w.commit();
}

}  // namespace mgeo::io
