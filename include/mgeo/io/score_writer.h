// mgeo/io/score_writer.h — the result file of a scoring job.
//
// Contract: a ScoreWriter streams rows to a temporary file, appended in blocks, and
// commit() renames it into place (atomic_file.h): on any failure it throws mgeo::Error
// naming the path, and a writer destroyed before commit() leaves no file. write_scores()
// writes a whole table that way. Formats, by extension:
//   .csv/.tsv/.txt  columns id, score, label, prob_<label>..., status, then the extra
//                   columns; floats in the shortest form that reads back to the same
//                   float; unscored rows have empty score, label and prob_ fields
//   .h5/.hdf5       datasets id, label, status (variable-length UTF-8 strings), score
//                   (f32, N), probs (f32, N x labels, compressed), and one 1-D string
//                   dataset per extra column; root attribute `labels` (the label
//                   names); unscored rows hold NaN and label ""
//   .parquet        the CSV's columns: id, label, status and extra columns strings, score
//                   and prob_<label> float32; unscored rows hold nulls in score, label and
//                   prob_ (a NaN probability is written as null); row groups of 128k rows,
//                   zstd-compressed (snappy where Arrow lacks zstd)
// Extra columns are string columns named by the caller (score --explain's cmp_<field>);
// their names must be distinct and not one of the columns or datasets above.
// Rows are written in table order, in blocks, so large tables are fine. Thread-safe for
// distinct paths apart from HDF5 (see hdf5.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mgeo/io/pairs.h"

namespace mgeo::io {

struct ScoreTable {
  std::vector<std::string> labels;  // label names in model order (id2label)
  int score_label = 0;              // the score column is probs[:, score_label]
  std::vector<std::string> ids;
  std::vector<float> probs;         // ids.size() x labels.size(), row-major; NaN for unscored rows
  std::vector<RowStatus> status;
  std::vector<std::string> extra_columns;  // names of string columns written after status
  std::vector<std::string> extra;          // ids.size() x extra_columns.size(), row-major
};

class ScoreWriter {
 public:
  // Opens the temporary file and writes the header (CSV), creates the datasets (HDF5) or
  // the schema (Parquet).
  ScoreWriter(const std::string& path, std::vector<std::string> labels, int score_label,
              std::vector<std::string> extra_columns = {});
  ScoreWriter(const ScoreWriter&) = delete;
  ScoreWriter& operator=(const ScoreWriter&) = delete;
  ~ScoreWriter();

  // Appends the rows of `block`, whose labels, score_label and extra_columns must match
  // the writer's.
  void append(const ScoreTable& block);
  // Closes the file and renames it to the final path. No append() after it.
  void commit();
  int64_t rows() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::vector<std::string> labels_;
  std::vector<std::string> extra_columns_;
  int score_label_ = 0;
  int64_t rows_ = 0;
};

void write_scores(const std::string& path, const ScoreTable& table);

}  // namespace mgeo::io
