#include "mgeo/eval/link_eval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../model/test_util.h"
#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

using model::test::error_of;
using model::test::expect_contains;
using model::test::TempDir;
using model::test::write_file;

constexpr double kTol = 1e-12;
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

LinkDecision link(std::string q, std::string master, std::string best, double score, std::string reason = "") {
  return LinkDecision{std::move(q), std::move(master), std::move(best), score, std::move(reason), "ok"};
}

// Six queries, four with a true master, worked out by hand:
//   q1 -> m1, linked to m1 (0.9)            TP
//   q2 -> m2, linked to m9 (0.8)            FP (wrong master) and FN
//   q3 none,  linked to m3 (0.7)            FP (a near miss linked)
//   q4 -> m4, not linked, best m4 (0.4)     FN (missed)
//   q5 none,  not linked, best m5 (0.3)     rightly unlinked
//   q6 -> m6, no candidate                  FN (missed)
// linked 3, TP 1, FP 2, FN 3: P 1/3, R 1/4, F1 2/7; accuracy (q1, q5) 2/6.
std::vector<LinkTruth> six_truth() {
  return {{"q1", "m1"}, {"q2", "m2"}, {"q3", ""}, {"q4", "m4"}, {"q5", ""}, {"q6", "m6"}};
}
std::vector<LinkDecision> six_links() {
  return {link("q1", "m1", "m1", 0.9, "linked"),         link("q2", "m9", "m9", 0.8, "linked"),
          link("q3", "m3", "m3", 0.7, "linked"),         link("q4", "", "m4", 0.4, "below_threshold"),
          link("q5", "", "m5", 0.3, "veto_district"),     link("q6", "", "", kNone, "no_candidate")};
}

TEST(LinkMetrics, CountsAtTheLinkersDecisions) {
  const auto m = compute_link_metrics(six_links(), six_truth());
  EXPECT_EQ(m.queries, 6);
  EXPECT_EQ(m.with_master, 4);
  EXPECT_EQ(m.linked, 3);
  EXPECT_EQ(m.tp, 1);
  EXPECT_EQ(m.fp, 2);
  EXPECT_EQ(m.fp_wrong_master, 1);
  EXPECT_EQ(m.fp_no_master, 1);
  EXPECT_EQ(m.fn, 3);
  EXPECT_EQ(m.fn_unlinked, 2);
  EXPECT_EQ(m.right_unlinked, 1);
  EXPECT_NEAR(m.precision, 1.0 / 3, kTol);
  EXPECT_NEAR(m.recall, 1.0 / 4, kTol);
  EXPECT_NEAR(m.f1, 2.0 / 7, kTol);
  EXPECT_NEAR(m.accuracy, 2.0 / 6, kTol);
  EXPECT_NEAR(m.best_id_recall, 2.0 / 4, kTol);  // q1 and q4
  const std::map<std::string, int64_t> reasons{
      {"below_threshold", 1}, {"linked", 3}, {"no_candidate", 1}, {"veto_district", 1}};
  EXPECT_EQ(m.reasons, reasons);
  EXPECT_EQ(m.statuses, (std::map<std::string, int64_t>{{"ok", 6}}));
}

TEST(LinkMetrics, ThresholdSweepOnTheBestCandidate) {
  const auto m = compute_link_metrics(six_links(), six_truth());
  // Linking best_id when score >= t, from the highest score down (with_master 4):
  //   0.9: TP 1 FP 0 -> F1 2/5;  0.8: 1, 1 -> 2/6;  0.7: 1, 2 -> 2/7;
  //   0.4: 2, 2 -> 4/8 (best);   0.3: 2, 3 -> 4/9.
  ASSERT_EQ(m.curve.size(), 5u);
  EXPECT_DOUBLE_EQ(m.curve[0].threshold, 0.9);
  EXPECT_NEAR(m.curve[0].f1, 2.0 / 5, kTol);
  EXPECT_NEAR(m.curve[4].f1, 4.0 / 9, kTol);
  EXPECT_DOUBLE_EQ(m.best.threshold, 0.4);
  EXPECT_NEAR(m.best.f1, 0.5, kTol);
  EXPECT_NEAR(m.best.precision, 0.5, kTol);
  EXPECT_NEAR(m.best.recall, 0.5, kTol);
  EXPECT_EQ(m.best.tp, 2);
  EXPECT_EQ(m.best.fp, 2);
  EXPECT_EQ(m.best.fn, 2);

  ASSERT_EQ(m.sweep.size(), 19u);
  EXPECT_DOUBLE_EQ(m.sweep[0].threshold, 0.05);
  EXPECT_DOUBLE_EQ(m.sweep[18].threshold, 0.95);
  EXPECT_EQ(m.sweep[0].tp, 2);  // every scored query
  EXPECT_EQ(m.sweep[0].fp, 3);
  EXPECT_EQ(m.sweep[7].tp, 2);  // t = 0.40 takes the 0.4 score (>=)
  EXPECT_EQ(m.sweep[7].fp, 2);
  EXPECT_EQ(m.sweep[8].tp, 1);  // t = 0.45: 0.9, 0.8, 0.7
  EXPECT_EQ(m.sweep[8].fp, 2);
  EXPECT_EQ(m.sweep[18].tp + m.sweep[18].fp, 0);  // t = 0.95: nothing linked
  EXPECT_EQ(m.sweep[18].fn, 4);
  EXPECT_EQ(m.sweep[18].precision, 0.0);
  EXPECT_EQ(m.sweep[18].f1, 0.0);
}

TEST(LinkMetrics, EqualF1TakesTheLowestThreshold) {
  // with_master 2. t = 0.9: TP 1 FP 0 -> F1 2/3. t = 0.5: TP 2 FP 2 -> 4/6 = 2/3 (a tie,
  // and the lower threshold wins). t = 0.2: TP 2 FP 3 -> 4/7.
  const std::vector<LinkTruth> truth{{"a", "m1"}, {"b", "m2"}, {"c", ""}, {"d", ""}, {"e", ""}};
  const std::vector<LinkDecision> links{link("a", "m1", "m1", 0.9), link("b", "", "m2", 0.5),
                                        link("c", "", "m3", 0.5), link("d", "", "m4", 0.5),
                                        link("e", "", "m5", 0.2)};
  const auto m = compute_link_metrics(links, truth);
  ASSERT_EQ(m.curve.size(), 3u);
  EXPECT_EQ(m.curve[0].f1, m.curve[1].f1);  // exactly equal
  EXPECT_DOUBLE_EQ(m.best.threshold, 0.5);
  EXPECT_NEAR(m.best.f1, 2.0 / 3, kTol);
  EXPECT_NEAR(m.best.precision, 0.5, kTol);
  EXPECT_NEAR(m.best.recall, 1.0, kTol);
  // The linker itself linked only a: P 1, R 1/2; accuracy a, c, d, e right = 4/5.
  EXPECT_NEAR(m.f1, 2.0 / 3, kTol);
  EXPECT_NEAR(m.accuracy, 4.0 / 5, kTol);
}

TEST(LinkMetrics, NothingScoredAndPerfectLinks) {
  const std::vector<LinkTruth> truth{{"a", "m1"}, {"b", ""}};
  const auto none = compute_link_metrics({link("a", "", "", kNone), link("b", "", "", kNone)}, truth);
  EXPECT_TRUE(none.curve.empty());
  EXPECT_TRUE(std::isnan(none.best.threshold));
  EXPECT_EQ(none.best.f1, 0.0);
  EXPECT_EQ(none.f1, 0.0);
  EXPECT_NEAR(none.accuracy, 0.5, kTol);
  EXPECT_TRUE(none.reasons.empty());  // every reason empty
  const auto j = to_json(none);
  EXPECT_TRUE(j["best_threshold"]["threshold"].is_null());

  const auto perfect = compute_link_metrics({link("a", "m1", "m1", 0.9), link("b", "", "", kNone)}, truth);
  EXPECT_EQ(perfect.f1, 1.0);
  EXPECT_EQ(perfect.accuracy, 1.0);
  EXPECT_EQ(to_json(perfect)["f1"], 1.0);
}

TEST(LinkMetrics, QueriesMustMatchTheTruth) {
  const std::vector<LinkTruth> truth{{"a", "m1"}, {"b", ""}};
  expect_contains(error_of([&] { compute_link_metrics({link("a", "", "", kNone), link("zz", "", "", kNone)}, truth); }),
                  {"'zz'", "not in the truth"});
  expect_contains(error_of([&] { compute_link_metrics({link("a", "", "", kNone)}, truth); }),
                  {"'b'", "not in the links"});
  expect_contains(error_of([&] { compute_link_metrics({link("a", "", "", kNone)}, {{"a", ""}, {"a", "m"}}); }),
                  {"'a'", "twice"});
}

TEST(CandidateMetrics, RecallAtKByRank) {
  // q1 -> m1 found at rank 3; q2 -> m2 never found; q3 has no master; q4 -> m4 at rank 6.
  const std::vector<LinkTruth> truth{{"q1", "m1"}, {"q2", "m2"}, {"q3", ""}, {"q4", "m4"}};
  CandidateCounter c(truth);
  EXPECT_TRUE(c.add("q1", "m5", 1));
  EXPECT_TRUE(c.add("q1", "m1", 3));
  EXPECT_TRUE(c.add("q1", "m6", 4));
  EXPECT_TRUE(c.add("q2", "m7", 1));
  EXPECT_TRUE(c.add("q3", "m3", 1));
  EXPECT_TRUE(c.add("q3", "m8", 2));
  EXPECT_TRUE(c.add("q4", "m4", 6));
  EXPECT_FALSE(c.add("q9", "m4", 1));  // not in the truth: not counted
  const auto m = c.finish();
  EXPECT_EQ(m.queries, 4);
  EXPECT_EQ(m.with_master, 3);
  EXPECT_EQ(m.found, 2);
  EXPECT_EQ(m.pairs, 7);
  EXPECT_NEAR(m.recall, 2.0 / 3, kTol);
  EXPECT_NEAR(m.mean_per_query, 7.0 / 4, kTol);
  EXPECT_EQ(m.max_per_query, 3);
  const std::vector<std::pair<int, double>> want{{1, 0.0}, {5, 1.0 / 3}, {10, 2.0 / 3}, {20, 2.0 / 3}, {50, 2.0 / 3}};
  ASSERT_EQ(m.recall_at.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(m.recall_at[i].first, want[i].first);
    EXPECT_NEAR(m.recall_at[i].second, want[i].second, kTol) << "k=" << want[i].first;
  }
  EXPECT_NEAR(to_json(m)["recall_at"]["10"].get<double>(), 2.0 / 3, kTol);
}

TEST(ClusterMetrics, PairwiseByCounting) {
  // Truth {a,b,c},{d}: true pairs ab ac bc. Clusters {a,b},{c,d}: predicted ab cd; right: ab.
  const std::vector<std::pair<std::string, std::string>> truth{{"a", "E1"}, {"b", "E1"}, {"c", "E1"}, {"d", "E2"}};
  const auto m = compute_cluster_metrics({{"a", "c1"}, {"b", "c1"}, {"c", "c2"}, {"d", "c2"}}, truth);
  EXPECT_EQ(m.rows, 4);
  EXPECT_EQ(m.clusters, 2);
  EXPECT_EQ(m.largest_cluster, 2);
  EXPECT_EQ(m.entities, 2);
  EXPECT_EQ(m.largest_entity, 3);
  EXPECT_EQ(m.predicted_pairs, 2);
  EXPECT_EQ(m.true_pairs, 3);
  EXPECT_EQ(m.correct_pairs, 1);
  EXPECT_NEAR(m.precision, 1.0 / 2, kTol);
  EXPECT_NEAR(m.recall, 1.0 / 3, kTol);
  EXPECT_NEAR(m.f1, 2.0 / 5, kTol);

  // One cluster of all four (in another order): 6 pairs predicted, the 3 true ones among them.
  const auto all = compute_cluster_metrics({{"d", "x"}, {"c", "x"}, {"b", "x"}, {"a", "x"}}, truth);
  EXPECT_EQ(all.predicted_pairs, 6);
  EXPECT_NEAR(all.precision, 0.5, kTol);
  EXPECT_NEAR(all.recall, 1.0, kTol);
  // Singletons: nothing predicted, P = R = F1 = 0.
  const auto single = compute_cluster_metrics({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}, truth);
  EXPECT_EQ(single.predicted_pairs, 0);
  EXPECT_EQ(single.f1, 0.0);

  expect_contains(error_of([&] { compute_cluster_metrics({{"a", "1"}, {"b", "1"}, {"c", "1"}}, truth); }),
                  {"'d'", "not in the clusters"});
  expect_contains(
      error_of([&] { compute_cluster_metrics({{"a", "1"}, {"b", "1"}, {"c", "1"}, {"d", "1"}, {"e", "1"}}, truth); }),
      {"'e'", "not in the truth"});
}

TEST(LinkEvalFiles, ReadColumnsByNameInAnyOrder) {
  TempDir dir;
  // Extra columns, another order, a quoted field with a comma, CRLF, empty score and best_id.
  write_file(dir.file("links.csv"),
             "status,score,extra,master_id,query_id,reason,best_id\r\n"
             "ok,0.9,\"x, y\",m1,q1,linked,m1\r\n"
             "ok,,z,,q2,no_candidate,\r\n");
  const auto links = read_links(dir.file("links.csv"));
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].query_id, "q1");
  EXPECT_EQ(links[0].master_id, "m1");
  EXPECT_EQ(links[0].best_id, "m1");
  EXPECT_DOUBLE_EQ(links[0].score, 0.9);
  EXPECT_EQ(links[0].reason, "linked");
  EXPECT_EQ(links[0].status, "ok");
  EXPECT_TRUE(std::isnan(links[1].score));
  EXPECT_EQ(links[1].best_id, "");

  write_file(dir.file("truth.TSV"), "master_id\tquery_id\nm1\tq1\n\tq2\n");
  const auto truth = read_link_truth(dir.file("truth.TSV"));
  ASSERT_EQ(truth.size(), 2u);
  EXPECT_EQ(truth[1].query_id, "q2");
  EXPECT_EQ(truth[1].master_id, "");
  EXPECT_EQ(compute_link_metrics(links, truth).f1, 1.0);

  write_file(dir.file("cands.csv"), "rank,score,master_id,query_id\n2,0.5,m1,q1\n1,0.7,m7,q1\n");
  CandidateCounter counter(truth);
  read_candidates(dir.file("cands.csv"), counter);
  const auto c = counter.finish();
  EXPECT_EQ(c.pairs, 2);
  EXPECT_NEAR(c.recall_at[0].second, 0.0, kTol);
  EXPECT_NEAR(c.recall_at[1].second, 1.0, kTol);

  write_file(dir.file("clusters.csv"), "cluster_id,id\nc1,a\nc1,b\n");
  write_file(dir.file("entities.csv"), "id,entity_id\na,e\nb,e\n");
  EXPECT_EQ(compute_cluster_metrics(read_clusters(dir.file("clusters.csv")), read_entities(dir.file("entities.csv"))).f1,
            1.0);
}

TEST(LinkEvalFiles, ErrorsNameTheFileLineOrColumn) {
  TempDir dir;
  // A missing column names the file and the column.
  write_file(dir.file("links.csv"), "query_id,master_id,score\nq1,m1,0.9\n");
  expect_contains(error_of([&] { read_links(dir.file("links.csv")); }), {dir.file("links.csv"), "best_id"});
  write_file(dir.file("clusters.csv"), "id,cluster\na,1\n");
  expect_contains(error_of([&] { read_clusters(dir.file("clusters.csv")); }), {"clusters.csv", "'cluster_id'"});

  // A repeated query id in the truth names its line (a quoted line break counts as a line).
  write_file(dir.file("truth.csv"), "query_id,master_id,note\nq1,m1,\"two\nlines\"\nq2,,\nq1,m3,\n");
  expect_contains(error_of([&] { read_link_truth(dir.file("truth.csv")); }),
                  {dir.file("truth.csv") + ":5:", "'q1'", "line 2"});
  write_file(dir.file("entities.csv"), "id,entity_id\na,1\nb,1\na,2\n");
  expect_contains(error_of([&] { read_entities(dir.file("entities.csv")); }), {"entities.csv:4:", "'a'"});

  // Bad values and shapes name the line.
  write_file(dir.file("bad_score.csv"), "query_id,master_id,score,best_id\nq1,m1,high,m1\n");
  expect_contains(error_of([&] { read_links(dir.file("bad_score.csv")); }), {"bad_score.csv:2:", "'high'"});
  write_file(dir.file("short.csv"), "query_id,master_id\nq1,m1\nq2\n");
  expect_contains(error_of([&] { read_link_truth(dir.file("short.csv")); }), {"short.csv:3:", "1 field"});
  const std::vector<LinkTruth> truth{{"q1", "m1"}};
  CandidateCounter counter(truth);
  write_file(dir.file("cands.csv"), "query_id,master_id,rank\nq1,m1,1\nq1,m2,0\n");
  expect_contains(error_of([&] { read_candidates(dir.file("cands.csv"), counter); }), {"cands.csv:3:", "rank '0'"});
  write_file(dir.file("cands2.csv"), "query_id,master_id,rank\nqx,m1,1\n");
  expect_contains(error_of([&] { read_candidates(dir.file("cands2.csv"), counter); }), {"cands2.csv:2:", "'qx'"});

  // Files: missing, empty, and an extension that is neither CSV nor TSV.
  expect_contains(error_of([&] { read_link_truth(dir.file("absent.csv")); }), {"absent.csv"});
  write_file(dir.file("empty.csv"), "");
  expect_contains(error_of([&] { read_link_truth(dir.file("empty.csv")); }), {"empty.csv", "query_id"});
  write_file(dir.file("truth.txt"), "query_id,master_id\n");
  expect_contains(error_of([&] { read_link_truth(dir.file("truth.txt")); }), {"truth.txt", ".csv or .tsv"});
}

TEST(LinkPlot, DrawsTheCurvesAndTheBestPoint) {
  const auto m = compute_link_metrics(six_links(), six_truth());
  const auto c = render_link_plot(m);
  EXPECT_EQ(c.width(), 760);
  EXPECT_EQ(c.height(), 440);
  int red = 0;
  for (int y = 0; y < c.height(); ++y)
    for (int x = 0; x < c.width(); ++x) {
      const auto p = c.at(x, y);
      red += p.r == 214 && p.g == 39 && p.b == 40;
    }
  EXPECT_GT(red, 20);  // the ring and dashed line at the best threshold
  EXPECT_FALSE(encode_png(c).empty());
  // Nothing scored: still a figure.
  const auto none = compute_link_metrics({link("a", "", "", kNone)}, {{"a", "m1"}});
  EXPECT_EQ(render_link_plot(none).width(), 760);
}

}  // namespace
}  // namespace mgeo::eval
