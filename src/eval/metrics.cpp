#include "mgeo/eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>

#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(int64_t num, int64_t den) { return den == 0 ? 0.0 : static_cast<double>(num) / den; }

// F1 from counts (2tp / (2tp + fp + fn)): equal F1 values compare equal, whatever the counts.
double f1_of(int64_t tp, int64_t predicted, int64_t actual) { return ratio(2 * tp, predicted + actual); }

BinaryStats binary_stats(double threshold, int64_t tp, int64_t fp, int64_t positives, int64_t negatives) {
  BinaryStats b;
  b.threshold = threshold;
  b.tp = tp, b.fp = fp, b.fn = positives - tp, b.tn = negatives - fp;
  b.precision = ratio(tp, tp + fp);
  b.recall = ratio(tp, positives);
  b.f1 = f1_of(tp, tp + fp, positives);
  return b;
}

int argmax(const float* p, int n) { return static_cast<int>(std::max_element(p, p + n) - p); }

// Indices of `scores`, highest score first (stable, so equal scores keep input order).
std::vector<size_t> order_desc(const std::vector<double>& scores) {
  std::vector<size_t> idx(scores.size());
  std::iota(idx.begin(), idx.end(), size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return idx;
}

// Precision-recall points at each distinct score, plus the best-F1 point and AP.
void binary_curve(const std::vector<double>& scores, const std::vector<bool>& positive, EvalMetrics& m) {
  const auto idx = order_desc(scores);
  int64_t tp = 0, fp = 0;
  double prev_recall = 0, ap = 0;
  bool have_best = false;
  for (size_t i = 0; i < idx.size();) {
    const double t = scores[idx[i]];
    for (; i < idx.size() && scores[idx[i]] == t; ++i) positive[idx[i]] ? ++tp : ++fp;
    const auto b = binary_stats(t, tp, fp, m.positives, m.negatives);
    m.pr_curve.push_back({t, b.precision, b.recall});
    ap += (b.recall - prev_recall) * b.precision;
    prev_recall = b.recall;
    if (!have_best || b.f1 > m.best_f1.f1) {
      m.best_f1 = b;
      have_best = true;
    }
  }
  m.average_precision = m.positives == 0 ? kNaN : ap;
}

nlohmann::json num(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

nlohmann::json to_json(const BinaryStats& b) {
  return {{"threshold", num(b.threshold)}, {"precision", b.precision}, {"recall", b.recall}, {"f1", b.f1},
          {"tp", b.tp}, {"fp", b.fp}, {"fn", b.fn}, {"tn", b.tn}};
}

}  // namespace

double roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  MGEO_CHECK(scores.size() == positive.size(), "roc_auc: {} scores but {} labels", scores.size(), positive.size());
  std::vector<size_t> idx(scores.size());
  std::iota(idx.begin(), idx.end(), size_t{0});
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double rank_sum = 0;  // sum of the (1-based, tie-averaged) ranks of the positive rows
  int64_t pos = 0;
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    int64_t group_pos = 0;
    for (; j < idx.size() && scores[idx[j]] == scores[idx[i]]; ++j) group_pos += positive[idx[j]];
    const double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    rank_sum += avg_rank * group_pos;
    pos += group_pos;
    i = j;
  }
  const auto neg = static_cast<int64_t>(scores.size()) - pos;
  if (pos == 0 || neg == 0) return kNaN;
  return (rank_sum - static_cast<double>(pos) * (pos + 1) / 2) / (static_cast<double>(pos) * neg);
}

EvalMetrics compute_metrics(const std::vector<int>& truth, const std::vector<float>& probs, int num_labels,
                            int match_label, int hist_bins) {
  MGEO_CHECK(num_labels >= 1, "metrics: need at least one label (got {})", num_labels);
  MGEO_CHECK(match_label >= 0 && match_label < num_labels, "metrics: match label {} is not in [0, {})", match_label,
             num_labels);
  MGEO_CHECK(hist_bins >= 1, "metrics: need at least one histogram bin (got {})", hist_bins);
  const auto n = truth.size();
  MGEO_CHECK(n > 0, "metrics: no rows to evaluate");
  MGEO_CHECK(probs.size() == n * num_labels, "metrics: {} probabilities for {} rows x {} labels", probs.size(), n,
             num_labels);

  EvalMetrics m;
  m.rows = static_cast<int64_t>(n);
  m.num_labels = num_labels, m.match_label = match_label, m.hist_bins = hist_bins;
  m.confusion.assign(num_labels, std::vector<int64_t>(num_labels, 0));
  m.score_hist.assign(num_labels, std::vector<int64_t>(hist_bins, 0));
  std::vector<double> scores(n);
  std::vector<bool> positive(n);
  int64_t tp = 0, fp = 0;
  for (size_t i = 0; i < n; ++i) {
    const float* p = &probs[i * num_labels];
    MGEO_CHECK(truth[i] >= 0 && truth[i] < num_labels, "metrics: row {} has label id {}, not in [0, {})", i,
               truth[i], num_labels);
    for (int l = 0; l < num_labels; ++l)
      MGEO_CHECK(std::isfinite(p[l]), "metrics: row {} has a non-finite probability", i);
    const int pred = argmax(p, num_labels);
    ++m.confusion[truth[i]][pred];
    scores[i] = p[match_label];
    positive[i] = truth[i] == match_label;
    positive[i] ? ++m.positives : ++m.negatives;
    if (pred == match_label) positive[i] ? ++tp : ++fp;
    const double s = std::clamp(scores[i], 0.0, 1.0);
    ++m.score_hist[truth[i]][std::min(hist_bins - 1, static_cast<int>(s * hist_bins))];
  }

  int64_t correct = 0, used = 0;
  double sum_p = 0, sum_r = 0, sum_f = 0, weighted = 0;
  m.classes.resize(num_labels);
  for (int l = 0; l < num_labels; ++l) {
    auto& c = m.classes[l];
    for (int k = 0; k < num_labels; ++k) c.support += m.confusion[l][k], c.predicted += m.confusion[k][l];
    correct += m.confusion[l][l];
    c.precision = ratio(m.confusion[l][l], c.predicted);
    c.recall = ratio(m.confusion[l][l], c.support);
    c.f1 = f1_of(m.confusion[l][l], c.predicted, c.support);
    weighted += c.f1 * c.support;
    if (c.support == 0 && c.predicted == 0) continue;
    ++used, sum_p += c.precision, sum_r += c.recall, sum_f += c.f1;
  }
  m.accuracy = ratio(correct, m.rows);
  m.macro_precision = sum_p / used, m.macro_recall = sum_r / used, m.macro_f1 = sum_f / used;
  m.weighted_f1 = weighted / m.rows;

  m.at_model = binary_stats(kNaN, tp, fp, m.positives, m.negatives);
  binary_curve(scores, positive, m);
  m.roc_auc = roc_auc(scores, positive);
  return m;
}

nlohmann::json to_json(const EvalMetrics& m, const std::vector<std::string>& names) {
  MGEO_CHECK(names.empty() || names.size() == static_cast<size_t>(m.num_labels),
             "metrics: {} label names for {} labels", names.size(), m.num_labels);
  auto name = [&](int l) { return names.empty() ? std::to_string(l) : names[l]; };
  nlohmann::json labels = nlohmann::json::array(), classes = nlohmann::json::array();
  nlohmann::json hist = nlohmann::json::object();
  for (int l = 0; l < m.num_labels; ++l) {
    const auto& c = m.classes[l];
    labels.push_back(name(l));
    classes.push_back({{"label", name(l)}, {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1},
                       {"support", c.support}, {"predicted", c.predicted}});
    hist[name(l)] = m.score_hist[l];
  }
  return {{"rows", m.rows},
          {"labels", labels},
          {"accuracy", m.accuracy},
          {"macro_precision", m.macro_precision},
          {"macro_recall", m.macro_recall},
          {"macro_f1", m.macro_f1},
          {"weighted_f1", m.weighted_f1},
          {"per_class", classes},
          {"confusion_matrix", {{"rows", "true label"}, {"cols", "predicted label"}, {"counts", m.confusion}}},
          {"binary",
           {{"match_label", name(m.match_label)},
            {"score", "probability of the match label"},
            {"positives", m.positives},
            {"negatives", m.negatives},
            {"at_model", to_json(m.at_model)},
            {"best_f1", to_json(m.best_f1)},
            {"roc_auc", num(m.roc_auc)},
            {"average_precision", num(m.average_precision)}}},
          {"score_histogram", {{"bins", m.hist_bins}, {"range", {0.0, 1.0}}, {"counts", hist}}}};
}

}  // namespace mgeo::eval
