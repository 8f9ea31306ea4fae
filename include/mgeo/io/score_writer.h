// mgeo/io/score_writer.h — the result file of a scoring job.
//
// Contract: write_scores() writes the whole table to a temporary file and renames it
// into place (atomic_file.h): on any failure it throws mgeo::Error naming the path and
// leaves no file. Formats, by extension:
//   .csv/.tsv/.txt  columns id, score, label, prob_<label>..., status; floats in the
//                   shortest form that reads back to the same float; unscored rows have
//                   empty score, label and prob_ fields
//   .h5/.hdf5       datasets id, label, status (variable-length UTF-8 strings), score
//                   (f32, N), probs (f32, N x labels, compressed); root attribute
//                   `labels` (the label names); unscored rows hold NaN and label ""
// Rows are written in table order, in blocks, so large tables are fine. Thread-safe for
// distinct paths apart from HDF5 (see hdf5.h).
#pragma once

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
};

void write_scores(const std::string& path, const ScoreTable& table);

}  // namespace mgeo::io
