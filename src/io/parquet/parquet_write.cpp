// Parquet output: the score file (ScoreWriter) and text tables (TableWriter, PairWriter),
// buffered to row groups of kRowGroupRows rows, zstd-compressed where Arrow has zstd.
#include "../formats.h"
#include "../sinks.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <arrow/util/compression.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include <cmath>

#include "mgeo/io/atomic_file.h"
#include "parquet_internal.h"

namespace mgeo::io {
namespace {

constexpr int64_t kRowGroupRows = int64_t{1} << 17;

arrow::Compression::type best_codec() {
  for (auto codec : {arrow::Compression::ZSTD, arrow::Compression::SNAPPY})
    if (arrow::util::Codec::IsAvailable(codec)) return codec;
  return arrow::Compression::UNCOMPRESSED;
}

// A Parquet file written to an AtomicOutput's temporary file, one row group a write().
class ParquetFile {
 public:
  ParquetFile(const std::string& path, std::shared_ptr<arrow::Schema> schema)
      : out_(path), schema_(std::move(schema)) {
    pq::guarded(path, [&] {
      stream_ = pq::value(arrow::io::FileOutputStream::Open(out_.temp_path()), path);
      const auto props =
          parquet::WriterProperties::Builder().compression(best_codec())->max_row_group_length(kRowGroupRows)->build();
      const auto arrow_props = parquet::ArrowWriterProperties::Builder().store_schema()->build();
      writer_ = pq::value(
          parquet::arrow::FileWriter::Open(*schema_, arrow::default_memory_pool(), stream_, props, arrow_props), path);
    });
  }

  const std::string& path() const { return out_.path(); }

  // Finishes `builders` (one per schema field, in order) into one row group.
  void write(std::vector<arrow::ArrayBuilder*> builders, int64_t rows) {
    if (rows == 0) return;
    pq::guarded(path(), [&] {
      std::vector<std::shared_ptr<arrow::Array>> arrays;
      for (auto* b : builders) arrays.push_back(pq::value(b->Finish(), path()));
      const auto table = arrow::Table::Make(schema_, arrays, rows);
      pq::check(writer_->WriteTable(*table, kRowGroupRows), path());
    });
  }

  void commit() {
    pq::guarded(path(), [&] {
      pq::check(writer_->Close(), path());
      pq::check(stream_->Close(), path());
    });
    out_.commit();
  }

 private:
  AtomicOutput out_;  // declared first: the stream is closed before the temp file goes
  std::shared_ptr<arrow::Schema> schema_;
  std::shared_ptr<arrow::io::FileOutputStream> stream_;
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
};

class ParquetScores final : public ScoreWriter::Impl {
 public:
  ParquetScores(const std::string& path, const std::vector<std::string>& labels,
                const std::vector<std::string>& extra_columns)
      : file_(path, schema(labels, extra_columns)), probs_(labels.size()), extra_(extra_columns.size()) {}

  void append(const ScoreTable& t) override {
    const std::size_t extra = t.extra_columns.size();
    const auto& what = file_.path();
    for (std::size_t i = 0; i < t.ids.size(); ++i) {
      pq::check(id_.Append(t.ids[i]), what);
      add_float(score_, probs_of(t, i)[t.score_label]);
      pq::check(scored(t, i) ? label_.Append(best_label(t, i)) : label_.AppendNull(), what);
      for (std::size_t l = 0; l < t.labels.size(); ++l) add_float(probs_[l], probs_of(t, i)[l]);
      pq::check(status_.Append(status_name(t.status[i])), what);
      for (std::size_t c = 0; c < extra; ++c) pq::check(extra_[c].Append(t.extra[i * extra + c]), what);
      if (++pending_ == kRowGroupRows) flush();
    }
    rows += static_cast<int64_t>(t.ids.size());
  }

  void commit() override {
    flush();
    file_.commit();
  }

 private:
  static std::shared_ptr<arrow::Schema> schema(const std::vector<std::string>& labels,
                                               const std::vector<std::string>& extra_columns) {
    const auto names = score_columns(labels, extra_columns);
    arrow::FieldVector fields;
    for (std::size_t c = 0; c < names.size(); ++c) {
      const bool is_float = c == 1 || (c >= 3 && c < 3 + labels.size());  // score, prob_*
      fields.push_back(arrow::field(names[c], is_float ? arrow::float32() : arrow::utf8()));
    }
    return arrow::schema(fields);
  }

  void add_float(arrow::FloatBuilder& b, float v) {  // NaN (unscored) is written as null
    pq::check(std::isnan(v) ? b.AppendNull() : b.Append(v), file_.path());
  }

  void flush() {
    std::vector<arrow::ArrayBuilder*> builders = {&id_, &score_, &label_};
    for (auto& b : probs_) builders.push_back(&b);
    builders.push_back(&status_);
    for (auto& b : extra_) builders.push_back(&b);
    file_.write(builders, pending_);
    pending_ = 0;
  }

  ParquetFile file_;
  arrow::StringBuilder id_, label_, status_;
  arrow::FloatBuilder score_;
  std::vector<arrow::FloatBuilder> probs_;
  std::vector<arrow::StringBuilder> extra_;
  int64_t pending_ = 0;  // rows in the builders
};

class ParquetTable final : public TableWriter::Sink {
 public:
  ParquetTable(const std::string& path, const std::vector<std::string>& columns)
      : file_(path, schema(columns)), builders_(columns.size()) {}

  void add(const std::vector<std::string_view>& fields, int64_t) override {
    for (std::size_t c = 0; c < fields.size(); ++c) pq::check(builders_[c].Append(fields[c]), file_.path());
    if (++pending_ == kRowGroupRows) flush();
  }

  void close() override {
    flush();
    file_.commit();
  }

  bool can_hold(std::string_view) const override { return true; }

 private:
  static std::shared_ptr<arrow::Schema> schema(const std::vector<std::string>& columns) {
    arrow::FieldVector fields;
    for (const auto& name : columns) fields.push_back(arrow::field(name, arrow::utf8()));
    return arrow::schema(fields);
  }

  void flush() {
    std::vector<arrow::ArrayBuilder*> builders;
    for (auto& b : builders_) builders.push_back(&b);
    file_.write(builders, pending_);
    pending_ = 0;
  }

  ParquetFile file_;
  std::vector<arrow::StringBuilder> builders_;
  int64_t pending_ = 0;
};

}  // namespace

std::unique_ptr<ScoreWriter::Impl> open_parquet_scores(const std::string& path, const std::vector<std::string>& labels,
                                                      const std::vector<std::string>& extra_columns) {
  return std::make_unique<ParquetScores>(path, labels, extra_columns);
}

std::unique_ptr<TableWriter::Sink> open_parquet_table(const std::string& path,
                                                      const std::vector<std::string>& columns) {
  return std::make_unique<ParquetTable>(path, columns);
}

}  // namespace mgeo::io
