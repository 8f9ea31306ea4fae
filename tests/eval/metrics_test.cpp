#include "mgeo/eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

constexpr double kTol = 1e-12;

// Two labels (0: negative, 1: match) with probs (1 - s, s) for each score s.
EvalMetrics binary(const std::vector<int>& truth, const std::vector<float>& scores) {
  std::vector<float> probs;
  for (float s : scores) probs.insert(probs.end(), {1.0f - s, s});
  return compute_metrics(truth, probs, 2, 1);
}

TEST(RocAuc, TiesCountHalf) {
  // Positive/negative pairs: (.8,.5) 1, (.8,.2) 1, (.5,.5) 1/2, (.5,.2) 1 -> 3.5 / 4.
  EXPECT_NEAR(roc_auc({0.8, 0.5, 0.5, 0.2}, {true, true, false, false}), 0.875, kTol);
  // Every score tied: no ranking information.
  EXPECT_NEAR(roc_auc({0.3, 0.3, 0.3, 0.3, 0.3}, {true, false, true, false, false}), 0.5, kTol);
  // Input order must not matter.
  EXPECT_NEAR(roc_auc({0.5, 0.2, 0.8, 0.5}, {false, false, true, true}), 0.875, kTol);
}

TEST(RocAuc, PerfectInvertedAndUndefined) {
  EXPECT_DOUBLE_EQ(roc_auc({0.9, 0.8, 0.2, 0.1}, {true, true, false, false}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.9, 0.8, 0.2, 0.1}, {false, false, true, true}), 0.0);
  EXPECT_TRUE(std::isnan(roc_auc({0.9, 0.1}, {false, false})));
  EXPECT_TRUE(std::isnan(roc_auc({0.9, 0.1}, {true, true})));
  EXPECT_THROW(roc_auc({0.9}, {true, false}), Error);
}

// Hand-computed: 3 labels, match label 2; label 1 is never predicted.
//   row truth probs          pred  score
//   0   0     .7 .2 .1       0     .1
//   1   0     .2 .1 .7       2     .7
//   2   1     .6 .3 .1       0     .1
//   3   1     .1 .2 .7       2     .7
//   4   2     .2 .2 .6       2     .6
TEST(Metrics, HandComputedMulticlass) {
  const std::vector<int> truth = {0, 0, 1, 1, 2};
  const std::vector<float> probs = {.7f, .2f, .1f, .2f, .1f, .7f, .6f, .3f, .1f, .1f, .2f, .7f, .2f, .2f, .6f};
  const auto m = compute_metrics(truth, probs, 3, 2);
  EXPECT_EQ(m.rows, 5);
  EXPECT_NEAR(m.accuracy, 0.4, kTol);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int64_t>>{{1, 0, 1}, {1, 0, 1}, {0, 0, 1}}));
  // Label 0: tp 1 of 2 predicted, 2 true.
  EXPECT_NEAR(m.classes[0].precision, 0.5, kTol);
  EXPECT_NEAR(m.classes[0].recall, 0.5, kTol);
  EXPECT_NEAR(m.classes[0].f1, 0.5, kTol);
  // Label 1 is never predicted: precision 0 by convention (zero_division=0), recall 0, F1 0.
  EXPECT_EQ(m.classes[1].predicted, 0);
  EXPECT_EQ(m.classes[1].support, 2);
  EXPECT_EQ(m.classes[1].precision, 0.0);
  EXPECT_EQ(m.classes[1].recall, 0.0);
  EXPECT_EQ(m.classes[1].f1, 0.0);
  // Label 2: tp 1 of 3 predicted, 1 true.
  EXPECT_NEAR(m.classes[2].precision, 1.0 / 3, kTol);
  EXPECT_NEAR(m.classes[2].recall, 1.0, kTol);
  EXPECT_NEAR(m.classes[2].f1, 0.5, kTol);
  EXPECT_NEAR(m.macro_precision, (0.5 + 0 + 1.0 / 3) / 3, kTol);
  EXPECT_NEAR(m.macro_recall, 0.5, kTol);
  EXPECT_NEAR(m.macro_f1, 1.0 / 3, kTol);
  EXPECT_NEAR(m.weighted_f1, (0.5 * 2 + 0 * 2 + 0.5 * 1) / 5, kTol);

  // Binary: one positive (row 4, score .6) among four negatives (.1 .7 .1 .7).
  EXPECT_EQ(m.positives, 1);
  EXPECT_EQ(m.negatives, 4);
  EXPECT_TRUE(std::isnan(m.at_model.threshold));
  EXPECT_EQ(m.at_model.tp, 1);
  EXPECT_EQ(m.at_model.fp, 2);
  EXPECT_EQ(m.at_model.fn, 0);
  EXPECT_EQ(m.at_model.tn, 2);
  EXPECT_NEAR(m.at_model.f1, 0.5, kTol);
  // Thresholds .7 (P 0 R 0), .6 (P 1/3 R 1, F1 .5), .1 (P 1/5 R 1, F1 1/3).
  ASSERT_EQ(m.pr_curve.size(), 3u);
  EXPECT_NEAR(m.pr_curve[0].threshold, 0.7, 1e-6);
  EXPECT_NEAR(m.pr_curve[2].precision, 0.2, kTol);
  EXPECT_NEAR(m.best_f1.threshold, 0.6, 1e-6);
  EXPECT_NEAR(m.best_f1.precision, 1.0 / 3, kTol);
  EXPECT_NEAR(m.best_f1.recall, 1.0, kTol);
  EXPECT_NEAR(m.best_f1.f1, 0.5, kTol);
  EXPECT_NEAR(m.average_precision, 1.0 / 3, kTol);
  EXPECT_NEAR(m.roc_auc, 0.5, kTol);  // beats two negatives (.1 .1), loses to two (.7 .7)
}

TEST(Metrics, MacroSkipsLabelsNeitherTrueNorPredicted) {
  // Label 1 never occurs at all: macro averages run over labels 0 and 2 only.
  const auto m = compute_metrics({0, 2}, {.9f, .05f, .05f, .1f, .1f, .8f}, 3, 2);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
  EXPECT_DOUBLE_EQ(m.macro_f1, 1.0);
  EXPECT_DOUBLE_EQ(m.macro_precision, 1.0);
}

TEST(Metrics, PerfectClassifier) {
  const auto m = binary({1, 1, 0, 0, 0}, {0.9f, 0.8f, 0.3f, 0.2f, 0.2f});
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
  EXPECT_DOUBLE_EQ(m.roc_auc, 1.0);
  EXPECT_DOUBLE_EQ(m.average_precision, 1.0);
  EXPECT_DOUBLE_EQ(m.best_f1.f1, 1.0);
  EXPECT_NEAR(m.best_f1.threshold, 0.8, 1e-6);  // lowest score that still has every positive
  EXPECT_DOUBLE_EQ(m.at_model.f1, 1.0);
  EXPECT_DOUBLE_EQ(m.macro_f1, 1.0);
}

TEST(Metrics, InvertedClassifier) {
  const auto m = binary({1, 1, 0, 0, 0}, {0.1f, 0.2f, 0.7f, 0.8f, 0.9f});
  EXPECT_DOUBLE_EQ(m.accuracy, 0.0);
  EXPECT_DOUBLE_EQ(m.roc_auc, 0.0);
  EXPECT_DOUBLE_EQ(m.at_model.f1, 0.0);
  EXPECT_DOUBLE_EQ(m.at_model.precision, 0.0);  // predicts the match label only for negatives
  // Only the lowest threshold (everything positive) recovers the positives: P 2/5, R 1.
  EXPECT_NEAR(m.best_f1.threshold, 0.1, 1e-6);
  EXPECT_NEAR(m.best_f1.f1, 2.0 * 2 / (2 * 2 + 3), kTol);
  // AP: recall goes 0 -> .5 at P 1/4, then .5 -> 1 at P 2/5.
  EXPECT_NEAR(m.average_precision, 0.5 * 0.25 + 0.5 * 0.4, kTol);
}

TEST(Metrics, NoPositivesGivesUndefinedRankingFigures) {
  const auto m = binary({0, 0, 0}, {0.1f, 0.6f, 0.3f});
  EXPECT_EQ(m.positives, 0);
  EXPECT_TRUE(std::isnan(m.roc_auc));
  EXPECT_TRUE(std::isnan(m.average_precision));
  EXPECT_EQ(m.best_f1.f1, 0.0);
  EXPECT_EQ(m.classes[1].precision, 0.0);  // predicted once, never right
  const auto j = to_json(m, {"no", "yes"});
  EXPECT_TRUE(j["binary"]["roc_auc"].is_null());
  EXPECT_TRUE(j["binary"]["average_precision"].is_null());
}

TEST(Metrics, ArgmaxTieTakesFirstLabel) {
  const auto m = compute_metrics({1}, {0.4f, 0.4f, 0.2f}, 3, 2);
  EXPECT_EQ(m.confusion[1][0], 1);
}

TEST(Metrics, HistogramBins) {
  // 4 bins over [0, 1]: 0 -> bin 0, .3 -> 1, .6 -> 2, 1 -> 3 (the last bin holds 1.0).
  std::vector<float> probs;
  for (float s : {0.0f, 0.3f, 0.6f, 1.0f, 0.3f}) probs.insert(probs.end(), {1 - s, s});
  const auto m = compute_metrics({0, 0, 1, 1, 1}, probs, 2, 1, 4);
  EXPECT_EQ(m.score_hist[0], (std::vector<int64_t>{1, 1, 0, 0}));
  EXPECT_EQ(m.score_hist[1], (std::vector<int64_t>{0, 1, 1, 1}));
}

TEST(Metrics, RejectsBadInput) {
  EXPECT_THROW(compute_metrics({}, {}, 2, 1), Error);
  EXPECT_THROW(compute_metrics({0}, {0.5f}, 2, 1), Error);               // probs size
  EXPECT_THROW(compute_metrics({2}, {0.5f, 0.5f}, 2, 1), Error);         // label id
  EXPECT_THROW(compute_metrics({0}, {0.5f, 0.5f}, 2, 2), Error);         // match label
  EXPECT_THROW(compute_metrics({0}, {NAN, 0.5f}, 2, 1), Error);          // unscored row
}

// A reference case: 30 rows, 3 labels, match label 2, probabilities on a 0.1 grid, so the
// match score has only 7 distinct values (ties everywhere) and two thresholds tie for the
// best F1. Expected values from scikit-learn 1.9.1 on the same float32 values:
// accuracy_score, precision_recall_fscore_support(labels=[0,1,2], zero_division=0) and its
// average='macro' / f1_score(average='weighted'), confusion_matrix, roc_auc_score and
// average_precision_score on (truth == 2, probs[:, 2]), best F1 over
// precision_recall_curve (highest threshold on a tie); predictions by numpy argmax.
TEST(Metrics, MatchesScikitLearnReference) {
  const std::vector<int> truth = {2, 2, 0, 2, 1, 1, 1, 0, 2, 0, 0, 1, 1, 1, 0,
                                  0, 0, 0, 0, 2, 0, 1, 2, 0, 0, 1, 0, 2, 0, 2};
  const std::vector<float> probs = {
      0.4f, 0.5f, 0.1f, 0.2f, 0.3f, 0.5f, 0.5f, 0.0f, 0.5f, 0.4f, 0.1f, 0.5f, 0.2f, 0.5f, 0.3f,
      0.1f, 0.7f, 0.2f, 0.3f, 0.5f, 0.2f, 0.5f, 0.0f, 0.5f, 0.6f, 0.1f, 0.3f, 0.3f, 0.2f, 0.5f,
      0.7f, 0.2f, 0.1f, 0.0f, 1.0f, 0.0f, 0.1f, 0.6f, 0.3f, 0.1f, 0.5f, 0.4f, 0.7f, 0.2f, 0.1f,
      0.5f, 0.3f, 0.2f, 0.5f, 0.1f, 0.4f, 0.2f, 0.4f, 0.4f, 0.4f, 0.3f, 0.3f, 0.4f, 0.3f, 0.3f,
      0.3f, 0.5f, 0.2f, 0.4f, 0.4f, 0.2f, 0.1f, 0.3f, 0.6f, 0.3f, 0.3f, 0.4f, 0.4f, 0.3f, 0.3f,
      0.1f, 0.5f, 0.4f, 0.7f, 0.1f, 0.2f, 0.1f, 0.3f, 0.6f, 0.1f, 0.4f, 0.5f, 0.1f, 0.5f, 0.4f,
  };
  const auto m = compute_metrics(truth, probs, 3, 2);
  constexpr double tol = 1e-9;
  EXPECT_NEAR(m.accuracy, 0.6666666666666666, tol);
  const double p[] = {0.75, 0.6363636363636364, 0.5714285714285714};
  const double r[] = {0.6428571428571429, 0.875, 0.5};
  const double f[] = {0.6923076923076923, 0.7368421052631579, 0.5333333333333333};
  const int64_t support[] = {14, 8, 8};
  for (int l = 0; l < 3; ++l) {
    SCOPED_TRACE(l);
    EXPECT_NEAR(m.classes[l].precision, p[l], tol);
    EXPECT_NEAR(m.classes[l].recall, r[l], tol);
    EXPECT_NEAR(m.classes[l].f1, f[l], tol);
    EXPECT_EQ(m.classes[l].support, support[l]);
  }
  EXPECT_NEAR(m.macro_precision, 0.6525974025974025, tol);
  EXPECT_NEAR(m.macro_recall, 0.6726190476190476, tol);
  EXPECT_NEAR(m.macro_f1, 0.6541610436347277, tol);
  EXPECT_NEAR(m.weighted_f1, 0.6617903733693207, tol);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int64_t>>{{9, 2, 3}, {1, 7, 0}, {2, 2, 4}}));
  // precision_recall_fscore_support(truth == 2, pred == 2, average='binary')
  EXPECT_NEAR(m.at_model.precision, 0.5714285714285714, tol);
  EXPECT_NEAR(m.at_model.recall, 0.5, tol);
  EXPECT_NEAR(m.at_model.f1, 0.5333333333333333, tol);
  EXPECT_NEAR(m.roc_auc, 0.7017045454545454, tol);
  EXPECT_NEAR(m.average_precision, 0.5416256157635468, tol);
  // F1 is 0.5 at thresholds 0.3 and 0.5; the higher one is reported.
  EXPECT_EQ(m.pr_curve.size(), 7u);
  EXPECT_NEAR(m.best_f1.threshold, 0.5, 1e-6);
  EXPECT_NEAR(m.best_f1.precision, 0.5, tol);
  EXPECT_NEAR(m.best_f1.recall, 0.5, tol);
  EXPECT_NEAR(m.best_f1.f1, 0.5, tol);
}

TEST(Metrics, JsonNamesLabelsAndKeepsOrder) {
  const auto m = compute_metrics({0, 1, 2}, {.8f, .1f, .1f, .1f, .8f, .1f, .1f, .1f, .8f}, 3, 2);
  const auto j = to_json(m, {"not_match", "partial_match", "exact_match"});
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["labels"][1], "partial_match");
  EXPECT_EQ(j["per_class"][2]["label"], "exact_match");
  EXPECT_EQ(j["per_class"][2]["support"], 1);
  EXPECT_EQ(j["confusion_matrix"]["counts"][1][1], 1);
  EXPECT_EQ(j["binary"]["match_label"], "exact_match");
  EXPECT_DOUBLE_EQ(j["binary"]["roc_auc"].get<double>(), 1.0);
  EXPECT_TRUE(j["binary"]["at_model"]["threshold"].is_null());
  EXPECT_EQ(j["score_histogram"]["counts"]["exact_match"][16], 1);  // .8 * 20 = 16
  EXPECT_EQ(to_json(m)["labels"][0], "0");
  EXPECT_THROW(to_json(m, {"a", "b"}), Error);
}

}  // namespace
}  // namespace mgeo::eval
