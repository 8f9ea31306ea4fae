// mgeo/eval/link_eval.h — how well links (query -> master) and clusters (dedupe) fit the truth.
//
// Contract: the compute_* functions are pure. Link metrics count, per query: TP = linked
// to its true master; FP = linked to anything else (also when it has no true master);
// FN = it has a true master and is not linked to it (a wrong link is an FP and an FN).
// Precision is 0 when nothing is linked, recall 0 when no query has a true master, F1 0
// when both are 0 (as in metrics.h). Accuracy counts the queries linked to their true
// master or rightly left unlinked. The threshold sweep asks what a plain threshold on
// the linker's best candidate would give: at t a query links to best_id iff it has one,
// its score is a number and score >= t. Cluster metrics are pairwise: a pair of rows is
// predicted when both share a cluster and true when both share an entity, counted per
// cluster x entity intersection (n*(n-1)/2), never by listing pairs.
// The readers take a .csv (RFC 4180) or .tsv (any letter case) with a header row (a
// UTF-8 BOM is skipped), find their columns by name in any order and ignore others.
// A missing file or column, a row with the wrong number of fields, an unparsable score
// or rank, or a repeated id throws mgeo::Error naming the file and line or column (a links
// row whose status is duplicate_id, the link job's mark on a repeated query id, is skipped); the
// compute_* functions throw naming the first id one side has and the other lacks.
// Thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mgeo/eval/png.h"

namespace mgeo::eval {

// One row of a links file (columns query_id, master_id, score, best_id; reason and
// status when present).
struct LinkDecision {
  std::string query_id;
  std::string master_id;  // empty: not linked
  std::string best_id;    // the best non-vetoed candidate; empty: none
  double score = 0;       // its probability; NaN when empty
  std::string reason, status;
};

// One row of a link truth file (columns query_id, master_id).
struct LinkTruth {
  std::string query_id;
  std::string master_id;  // empty: the query has no true master
};

// Precision, recall and F1 of linking to best_id at one threshold.
struct ThresholdPoint {
  double threshold = 0;  // NaN when there is no score to threshold
  double precision = 0, recall = 0, f1 = 0;
  int64_t tp = 0, fp = 0, fn = 0;
};

struct LinkMetrics {
  int64_t queries = 0;        // rows of the links (= of the truth)
  int64_t with_master = 0;    // queries with a true master
  int64_t linked = 0;
  int64_t tp = 0, fp = 0, fn = 0;
  int64_t fp_wrong_master = 0;  // linked, but to another master than the true one
  int64_t fp_no_master = 0;     // linked, with no true master (a near miss linked)
  int64_t fn_unlinked = 0;      // a true master, and not linked at all
  int64_t right_unlinked = 0;   // no true master and not linked
  double precision = 0, recall = 0, f1 = 0, accuracy = 0;
  double best_id_recall = 0;  // fraction of with_master queries whose best_id is the true master
  ThresholdPoint best;        // the F1-optimal threshold among the distinct scores (the lowest on a tie)
  std::vector<ThresholdPoint> sweep;  // t = 0.05, 0.10, ..., 0.95
  // Rows per value of reason and status; empty when every value is empty (no such column).
  std::map<std::string, int64_t> reasons, statuses;
  // One point per distinct score, highest first: what linking at t = that score gives.
  std::vector<ThresholdPoint> curve;
};

// Throws mgeo::Error naming the first query of `links` that `truth` lacks, then the first
// of `truth` that `links` lacks, or a query id repeated in either.
LinkMetrics compute_link_metrics(const std::vector<LinkDecision>& links, const std::vector<LinkTruth>& truth);

// The sweep point at threshold t, from m.curve (t may be any number).
ThresholdPoint at_threshold(const LinkMetrics& m, double t);

// Candidate pairs (query_id, master_id, 1-based rank) measured against the truth.
struct CandidateMetrics {
  int64_t queries = 0;      // queries of the truth
  int64_t with_master = 0;  // of which with a true master
  int64_t found = 0;        // with_master queries whose true master is a candidate
  int64_t pairs = 0;        // candidate rows
  double recall = 0;        // found / with_master (0 when with_master is 0)
  double mean_per_query = 0;  // pairs / queries
  int64_t max_per_query = 0;
  std::vector<std::pair<int, double>> recall_at;  // (k, recall with rank <= k) for k = 1, 5, 10, 20, 50
};

// Accumulates candidate rows one at a time, so a large candidate file need not be held.
class CandidateCounter {
 public:
  explicit CandidateCounter(const std::vector<LinkTruth>& truth);
  // False (and nothing counted) when the query is not in the truth.
  bool add(std::string_view query_id, std::string_view master_id, int64_t rank);
  CandidateMetrics finish() const;

 private:
  struct Query {
    std::string master;  // the true master; empty: none
    int64_t count = 0;
    int64_t best_rank = -1;  // smallest rank at which the true master appears; -1: never
  };
  std::unordered_map<std::string, Query> queries_;
  int64_t pairs_ = 0;
};

// Pairwise metrics of a clustering against true entities.
struct ClusterMetrics {
  int64_t rows = 0;
  int64_t clusters = 0, largest_cluster = 0;
  int64_t entities = 0, largest_entity = 0;
  int64_t predicted_pairs = 0, true_pairs = 0, correct_pairs = 0;
  double precision = 0, recall = 0, f1 = 0;  // 0 when the denominator is 0
};

// (id, cluster_id) and (id, entity_id) rows over the same ids. Throws mgeo::Error naming
// the first id one side lacks or a repeated id.
ClusterMetrics compute_cluster_metrics(const std::vector<std::pair<std::string, std::string>>& clusters,
                                       const std::vector<std::pair<std::string, std::string>>& truth);

// Readers (see the contract above for formats and errors).
std::vector<LinkDecision> read_links(const std::string& path);
std::vector<LinkTruth> read_link_truth(const std::string& path);             // query_id, master_id
void read_candidates(const std::string& path, CandidateCounter& counter);    // query_id, master_id, rank
std::vector<std::pair<std::string, std::string>> read_clusters(const std::string& path);  // id, cluster_id
std::vector<std::pair<std::string, std::string>> read_entities(const std::string& path);  // id, entity_id

// JSON of the metrics (curve left out); NaN is written as null.
nlohmann::json to_json(const ThresholdPoint& p);
nlohmann::json to_json(const LinkMetrics& m);
nlohmann::json to_json(const CandidateMetrics& m);
nlohmann::json to_json(const ClusterMetrics& m);

// A 760x440 figure: precision, recall and F1 of linking to best_id against the threshold
// over [0, 1] (precision left out where nothing is linked), the F1-optimal threshold
// ringed on the F1 curve and marked by a dashed line, and the linker's own F1 as a
// dashed level with its P/R in the legend.
Canvas render_link_plot(const LinkMetrics& m);

}  // namespace mgeo::eval
