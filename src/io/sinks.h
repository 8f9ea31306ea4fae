// Internal to mgeo_io: the per-format back ends of ScoreWriter and TableWriter, so a
// format's writer can live in its own file (parquet_write.cpp), and the score helpers
// every back end shares.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/io/score_writer.h"
#include "mgeo/io/table_writer.h"

namespace mgeo::io {

class ScoreWriter::Impl {
 public:
  virtual ~Impl() = default;
  virtual void append(const ScoreTable& block) = 0;
  virtual void commit() = 0;
  int64_t rows = 0;
};

class TableWriter::Sink {
 public:
  virtual ~Sink() = default;
  virtual void add(const std::vector<std::string_view>& fields, int64_t row) = 0;
  virtual void close() = 0;
  virtual bool can_hold(std::string_view value) const = 0;
};

// Row i's probabilities; the row is unscored when its score is NaN.
inline const float* probs_of(const ScoreTable& t, std::size_t i) { return &t.probs[i * t.labels.size()]; }
inline bool scored(const ScoreTable& t, std::size_t i) { return !std::isnan(probs_of(t, i)[t.score_label]); }

// The label of the highest probability; "" for an unscored row.
inline const char* best_label(const ScoreTable& t, std::size_t i) {
  if (!scored(t, i)) return "";
  const float* p = probs_of(t, i);
  return t.labels[std::max_element(p, p + t.labels.size()) - p].c_str();
}

// The columns of a CSV/TSV or Parquet score file, in order: id, score, label, prob_<label>
// for each label, status, then the extra columns. Columns 1 .. 2 + labels.size() other
// than label (2) hold floats.
inline std::vector<std::string> score_columns(const std::vector<std::string>& labels,
                                              const std::vector<std::string>& extra_columns) {
  std::vector<std::string> columns = {"id", "score", "label"};
  for (const auto& l : labels) columns.push_back("prob_" + l);
  columns.emplace_back("status");
  columns.insert(columns.end(), extra_columns.begin(), extra_columns.end());
  return columns;
}

// Parquet back ends (parquet_write.cpp); they throw mgeo::Error in a build without Parquet.
std::unique_ptr<ScoreWriter::Impl> open_parquet_scores(const std::string& path, const std::vector<std::string>& labels,
                                                      const std::vector<std::string>& extra_columns);
std::unique_ptr<TableWriter::Sink> open_parquet_table(const std::string& path,
                                                      const std::vector<std::string>& columns);

}  // namespace mgeo::io
