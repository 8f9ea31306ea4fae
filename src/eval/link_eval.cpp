#include "mgeo/eval/link_eval.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>

#include "mgeo/io/file.h"
#include "mgeo/io/records.h"
#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kRecallAt[] = {1, 5, 10, 20, 50};

double ratio(int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); }


ThresholdPoint make_point(double t, int64_t tp, int64_t fp, int64_t with_master) {
  ThresholdPoint p;
  p.threshold = t;
  p.tp = tp, p.fp = fp, p.fn = with_master - tp;
  p.precision = ratio(tp, tp + fp);
  p.recall = ratio(tp, with_master);
  p.f1 = ratio(2 * tp, tp + fp + with_master);  // 2TP / (2TP + FP + FN)
  return p;
}

// query id -> index into `rows`; fails on a repeated id.
template <class Rows, class Key>
std::unordered_map<std::string_view, std::size_t> index_by(const Rows& rows, Key key, const char* what) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string_view id = key(rows[i]);
    MGEO_CHECK(index.emplace(id, i).second, "{}: id '{}' appears twice", what, id);
  }
  return index;
}

int64_t pairs(int64_t n) { return n * (n - 1) / 2; }

nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

}  // namespace

LinkMetrics compute_link_metrics(const std::vector<LinkDecision>& links, const std::vector<LinkTruth>& truth) {
  const auto index = index_by(truth, [](const LinkTruth& t) -> std::string_view { return t.query_id; }, "truth");
  std::vector<char> seen(truth.size(), 0);
  LinkMetrics m;
  m.queries = static_cast<int64_t>(links.size());
  std::vector<std::pair<double, bool>> scored;  // (score, best_id is the true master)
  int64_t best_right = 0;
  for (const auto& l : links) {
    const auto it = index.find(l.query_id);
    MGEO_CHECK(it != index.end(), "query '{}' of the links is not in the truth", l.query_id);
    MGEO_CHECK(!seen[it->second], "links: query '{}' appears twice", l.query_id);
    seen[it->second] = 1;
    const std::string& want = truth[it->second].master_id;
    const bool has_master = !want.empty(), linked = !l.master_id.empty();
    const bool right = has_master && linked && l.master_id == want;
    m.with_master += has_master;
    m.linked += linked;
    m.tp += right;
    if (linked && !right) ++(has_master ? m.fp_wrong_master : m.fp_no_master);
    if (has_master && !right) {
      ++m.fn;
      m.fn_unlinked += !linked;
    }
    m.right_unlinked += !has_master && !linked;
    const bool best_right_here = has_master && l.best_id == want;
    best_right += best_right_here;
    if (!l.best_id.empty() && !std::isnan(l.score)) scored.emplace_back(l.score, best_right_here);
    ++m.reasons[l.reason];
    ++m.statuses[l.status];
  }
  for (std::size_t i = 0; i < truth.size(); ++i)
    MGEO_CHECK(seen[i], "query '{}' of the truth is not in the links", truth[i].query_id);
  m.fp = m.fp_wrong_master + m.fp_no_master;
  m.precision = ratio(m.tp, m.linked);
  m.recall = ratio(m.tp, m.with_master);
  m.f1 = ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn);
  m.accuracy = ratio(m.tp + m.right_unlinked, m.queries);
  m.best_id_recall = ratio(best_right, m.with_master);

  // Highest score first; a point per distinct score, counting every query at or above it.
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  int64_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < scored.size();) {
    const double s = scored[i].first;
    for (; i < scored.size() && scored[i].first == s; ++i) ++(scored[i].second ? tp : fp);
    m.curve.push_back(make_point(s, tp, fp, m.with_master));
  }
  m.best = make_point(kNaN, 0, 0, m.with_master);
  m.best.f1 = -1;
  for (const auto& p : m.curve)
    if (p.f1 >= m.best.f1) m.best = p;  // ">=": the lowest threshold on a tie
  if (m.curve.empty()) m.best.f1 = 0;
  if (m.reasons.size() == 1 && m.reasons.count("")) m.reasons.clear();  // all empty: no reason column
  if (m.statuses.size() == 1 && m.statuses.count("")) m.statuses.clear();
  for (int k = 1; k <= 19; ++k) m.sweep.push_back(at_threshold(m, k / 20.0));
  return m;
}

ThresholdPoint at_threshold(const LinkMetrics& m, double t) {
  // curve is highest first: the points with threshold >= t lead; the last of them links
  // exactly the queries with score >= t.
  const auto end = std::partition_point(m.curve.begin(), m.curve.end(),
                                        [t](const ThresholdPoint& p) { return p.threshold >= t; });
  ThresholdPoint p = end == m.curve.begin() ? make_point(t, 0, 0, m.with_master) : *(end - 1);
  p.threshold = t;
  return p;
}

CandidateCounter::CandidateCounter(const std::vector<LinkTruth>& truth) {
  queries_.reserve(truth.size());
  for (const auto& t : truth) {
    const bool fresh = queries_.emplace(t.query_id, Query{t.master_id, 0, -1}).second;
    MGEO_CHECK(fresh, "truth: query '{}' appears twice", t.query_id);
  }
}

bool CandidateCounter::add(std::string_view query_id, std::string_view master_id, int64_t rank) {
  const auto it = queries_.find(std::string(query_id));
  if (it == queries_.end()) return false;
  Query& q = it->second;
  ++q.count;
  ++pairs_;
  if (!q.master.empty() && master_id == q.master && (q.best_rank < 0 || rank < q.best_rank)) q.best_rank = rank;
  return true;
}

CandidateMetrics CandidateCounter::finish() const {
  CandidateMetrics m;
  m.queries = static_cast<int64_t>(queries_.size());
  m.pairs = pairs_;
  std::vector<int64_t> at(std::size(kRecallAt), 0);
  for (const auto& [id, q] : queries_) {
    m.max_per_query = std::max(m.max_per_query, q.count);
    if (q.master.empty()) continue;
    ++m.with_master;
    if (q.best_rank < 1) continue;
    ++m.found;
    for (std::size_t k = 0; k < at.size(); ++k) at[k] += q.best_rank <= kRecallAt[k];
  }
  m.recall = ratio(m.found, m.with_master);
  m.mean_per_query = ratio(m.pairs, m.queries);
  for (std::size_t k = 0; k < at.size(); ++k) m.recall_at.emplace_back(kRecallAt[k], ratio(at[k], m.with_master));
  return m;
}

ClusterMetrics compute_cluster_metrics(const std::vector<std::pair<std::string, std::string>>& clusters,
                                       const std::vector<std::pair<std::string, std::string>>& truth) {
  using Row = std::pair<std::string, std::string>;
  const auto index = index_by(truth, [](const Row& r) -> std::string_view { return r.first; }, "truth");
  // Dense numbers for entity and cluster names.
  std::unordered_map<std::string_view, uint32_t> entity_no, cluster_no;
  std::vector<uint32_t> entity_of(truth.size());
  std::vector<int64_t> entity_size, cluster_size;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto [it, fresh] = entity_no.emplace(truth[i].second, static_cast<uint32_t>(entity_size.size()));
    if (fresh) entity_size.push_back(0);
    entity_of[i] = it->second;
    ++entity_size[it->second];
  }
  std::vector<char> seen(truth.size(), 0);
  std::unordered_map<uint64_t, int64_t> cell;  // cluster << 32 | entity -> rows
  for (const auto& [id, cluster] : clusters) {
    const auto it = index.find(id);
    MGEO_CHECK(it != index.end(), "id '{}' of the clusters is not in the truth", id);
    MGEO_CHECK(!seen[it->second], "clusters: id '{}' appears twice", id);
    seen[it->second] = 1;
    const auto [c, fresh] = cluster_no.emplace(cluster, static_cast<uint32_t>(cluster_size.size()));
    if (fresh) cluster_size.push_back(0);
    ++cluster_size[c->second];
    ++cell[uint64_t{c->second} << 32 | entity_of[it->second]];
  }
  for (std::size_t i = 0; i < truth.size(); ++i)
    MGEO_CHECK(seen[i], "id '{}' of the truth is not in the clusters", truth[i].first);

  ClusterMetrics m;
  m.rows = static_cast<int64_t>(clusters.size());
  m.clusters = static_cast<int64_t>(cluster_size.size());
  m.entities = static_cast<int64_t>(entity_size.size());
  for (const auto n : cluster_size) m.predicted_pairs += pairs(n), m.largest_cluster = std::max(m.largest_cluster, n);
  for (const auto n : entity_size) m.true_pairs += pairs(n), m.largest_entity = std::max(m.largest_entity, n);
  for (const auto& [key, n] : cell) m.correct_pairs += pairs(n);
  m.precision = ratio(m.correct_pairs, m.predicted_pairs);
  m.recall = ratio(m.correct_pairs, m.true_pairs);
  m.f1 = ratio(2 * m.correct_pairs, m.predicted_pairs + m.true_pairs);
  return m;
}


nlohmann::json to_json(const ThresholdPoint& p) {
  return {{"threshold", number(p.threshold)}, {"precision", p.precision}, {"recall", p.recall}, {"f1", p.f1},
          {"tp", p.tp},               {"fp", p.fp},               {"fn", p.fn}};
}

nlohmann::json to_json(const LinkMetrics& m) {
  nlohmann::json sweep = nlohmann::json::array();
  for (const auto& p : m.sweep) sweep.push_back(to_json(p));
  return {{"queries", m.queries},
          {"with_master", m.with_master},
          {"without_master", m.queries - m.with_master},
          {"linked", m.linked},
          {"tp", m.tp},
          {"fp", m.fp},
          {"fn", m.fn},
          {"fp_wrong_master", m.fp_wrong_master},
          {"fp_no_master", m.fp_no_master},
          {"fn_unlinked", m.fn_unlinked},
          {"right_unlinked", m.right_unlinked},
          {"precision", m.precision},
          {"recall", m.recall},
          {"f1", m.f1},
          {"accuracy", m.accuracy},
          {"best_id_recall", m.best_id_recall},
          {"best_threshold", to_json(m.best)},
          {"sweep", sweep},
          {"reasons", m.reasons},
          {"statuses", m.statuses}};
}

nlohmann::json to_json(const CandidateMetrics& m) {
  nlohmann::json at = nlohmann::json::object();
  for (const auto& [k, r] : m.recall_at) at[std::to_string(k)] = r;
  return {{"queries", m.queries},
          {"with_master", m.with_master},
          {"found", m.found},
          {"pairs", m.pairs},
          {"recall", m.recall},
          {"mean_per_query", m.mean_per_query},
          {"max_per_query", m.max_per_query},
          {"recall_at", at}};
}

nlohmann::json to_json(const ClusterMetrics& m) {
  return {{"rows", m.rows},
          {"clusters", m.clusters},
          {"largest_cluster", m.largest_cluster},
          {"entities", m.entities},
          {"largest_entity", m.largest_entity},
          {"predicted_pairs", m.predicted_pairs},
          {"true_pairs", m.true_pairs},
          {"correct_pairs", m.correct_pairs},
          {"precision", m.precision},
          {"recall", m.recall},
          {"f1", m.f1}};
}

}  // namespace mgeo::eval
