// mgeo/eval/metrics.h — how well a classifier's probabilities fit the true labels.
//
// Contract: pure functions over evaluated rows only (the caller drops flagged and
// unlabelled rows). A row's prediction is its most probable label, the first one on a
// tie (as in the score file). Conventions, as in scikit-learn with zero_division=0:
// precision is 0 for a class that is never predicted, recall 0 for a class with no
// rows, F1 0 when precision + recall is 0. Macro averages run over the labels that
// occur as truth or prediction. The binary question "same place?" takes the match label
// as positive and everything else as negative, with probs[:, match] as the score; a
// row is positive at threshold t when its score >= t. ROC-AUC is the Mann–Whitney
// statistic with tied scores given their average rank; average precision is
// sum (R_k - R_{k-1}) P_k over the distinct thresholds, highest first. Undefined figures
// (no positive or no negative rows) are NaN, and null in JSON. Invalid arguments throw
// mgeo::Error. Thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mgeo::eval {

struct ClassStats {
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;    // rows with this true label
  int64_t predicted = 0;  // rows predicted as this label
};

struct BinaryStats {
  double threshold = 0;  // NaN for the model's own decision (argmax)
  double precision = 0, recall = 0, f1 = 0;
  int64_t tp = 0, fp = 0, fn = 0, tn = 0;
};

struct PrPoint {
  double threshold, precision, recall;
};

struct EvalMetrics {
  int64_t rows = 0;  // evaluated rows
  int num_labels = 0, match_label = 0;
  double accuracy = 0;
  double macro_precision = 0, macro_recall = 0, macro_f1 = 0, weighted_f1 = 0;
  std::vector<ClassStats> classes;               // by label id
  std::vector<std::vector<int64_t>> confusion;   // [true][predicted]
  int64_t positives = 0, negatives = 0;          // rows of the binary question
  BinaryStats at_model;                          // positive = predicted label is the match label
  BinaryStats best_f1;                           // the threshold with the highest F1 (highest t on a tie)
  double roc_auc = 0, average_precision = 0;
  std::vector<PrPoint> pr_curve;                 // one point per distinct score, highest first
  // Histogram of the match-label score per true label: hist_bins equal bins over [0, 1]
  // (a score of 1 falls in the last bin).
  int hist_bins = 0;
  std::vector<std::vector<int64_t>> score_hist;  // [true label][bin]
};

// truth[i] in [0, num_labels); probs is truth.size() x num_labels, row-major, finite.
EvalMetrics compute_metrics(const std::vector<int>& truth, const std::vector<float>& probs, int num_labels,
                            int match_label, int hist_bins = 20);

// ROC-AUC of `scores` against `positive` (Mann–Whitney, average ranks for ties).
double roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive);

// Everything but pr_curve. Labels are named by `names` (size num_labels), or by their
// ids when `names` is empty.
nlohmann::json to_json(const EvalMetrics& m, const std::vector<std::string>& names = {});

}  // namespace mgeo::eval
