#include "mgeo/link/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <utility>

namespace mgeo::link {
namespace {

using Rows = std::vector<uint32_t>;
using Members = std::vector<Rows>;

// The best score per unordered pair among eligible rows (the graph clustered).
std::map<std::pair<uint32_t, uint32_t>, float> pair_scores(const std::vector<ScoredEdge>& edges,
                                                            const std::vector<bool>& eligible) {
  std::map<std::pair<uint32_t, uint32_t>, float> best;
  for (const ScoredEdge& e : edges) {
    if (e.a == e.b) continue;
    if (!eligible.empty() && (!eligible[e.a] || !eligible[e.b])) continue;
    const auto key = std::make_pair(std::min(e.a, e.b), std::max(e.a, e.b));
    auto [it, fresh] = best.emplace(key, e.score);
    if (!fresh) it->second = std::max(it->second, e.score);
  }
  return best;
}

// The contract read literally: take the component of the lowest remaining row, recount
// degrees and score sums from scratch, take the centre's star, repeat. O(n^2) per star.
Rows reference_centres(uint32_t n, const std::vector<ScoredEdge>& edges, const std::vector<bool>& eligible,
                       uint32_t cap) {
  std::vector<std::vector<std::pair<uint32_t, float>>> adj(n);
  for (const auto& [key, score] : pair_scores(edges, eligible)) {
    adj[key.first].emplace_back(key.second, score);
    adj[key.second].emplace_back(key.first, score);
  }
  for (auto& list : adj) std::sort(list.begin(), list.end());
  Rows centre(n, UINT32_MAX);
  for (uint32_t start = 0; start < n; ++start) {
    while (centre[start] == UINT32_MAX) {
      Rows component{start};
      std::vector<bool> seen(n, false);
      seen[start] = true;
      for (std::size_t i = 0; i < component.size(); ++i)
        for (const auto& [u, s] : adj[component[i]])
          if (centre[u] == UINT32_MAX && !seen[u]) seen[u] = true, component.push_back(u);
      uint32_t best = UINT32_MAX, best_degree = 0;
      double best_sum = 0;
      for (uint32_t v : component) {
        uint32_t degree = 0;
        double sum = 0;
        for (const auto& [u, s] : adj[v])
          if (centre[u] == UINT32_MAX) ++degree, sum += s;
        if (best == UINT32_MAX || degree > best_degree || (degree == best_degree && sum > best_sum) ||
            (degree == best_degree && sum == best_sum && v < best))
          best = v, best_degree = degree, best_sum = sum;
      }
      std::vector<std::pair<float, uint32_t>> leaves;
      for (const auto& [u, s] : adj[best])
        if (centre[u] == UINT32_MAX) leaves.emplace_back(-s, u);  // highest score, then lowest row
      std::sort(leaves.begin(), leaves.end());
      if (cap > 0 && leaves.size() > cap - 1) leaves.resize(cap - 1);
      centre[best] = best;
      for (const auto& leaf : leaves) centre[leaf.second] = best;
    }
  }
  return centre;
}

// The invariants every clustering keeps, whatever the graph.
void expect_invariants(uint32_t n, const std::vector<ScoredEdge>& edges, const std::vector<bool>& eligible,
                       uint32_t cap, const Clustering& c) {
  ASSERT_EQ(c.cluster.size(), n);
  ASSERT_EQ(c.centre.size(), n);
  ASSERT_EQ(c.size.size(), n);
  const auto scores = pair_scores(edges, eligible);
  const Members members = cluster_members(c);
  ASSERT_EQ(members.size(), c.stats.clusters);
  uint64_t rows = 0, largest = 0, singletons = 0, used = 0;
  for (std::size_t id = 0; id < members.size(); ++id) {
    const Rows& m = members[id];
    ASSERT_FALSE(m.empty()) << id;
    if (id > 0) {
      EXPECT_LT(members[id - 1][0], m[0]) << "clusters numbered by their smallest row";
    }
    const uint32_t centre = c.centre[m[0]];
    EXPECT_EQ(c.cluster[centre], id);
    if (cap > 0) {
      EXPECT_LE(m.size(), cap);
    }
    for (uint32_t v : m) {
      EXPECT_EQ(c.centre[v], centre) << v;
      EXPECT_EQ(c.size[v], m.size()) << v;
      if (v != centre) {
        EXPECT_TRUE(scores.count({std::min(v, centre), std::max(v, centre)}))
            << v << " is not linked to its centre " << centre;
      }
      if (!eligible.empty() && !eligible[v]) {
        EXPECT_EQ(m.size(), 1u) << "ineligible row " << v;
      }
    }
    rows += m.size();
    largest = std::max<uint64_t>(largest, m.size());
    singletons += m.size() == 1;
  }
  EXPECT_EQ(rows, n) << "every row in exactly one cluster";
  for (const auto& [key, s] : scores) used += c.centre[key.first] == c.centre[key.second];
  EXPECT_EQ(c.stats.rows, n);
  EXPECT_EQ(c.stats.largest, largest);
  EXPECT_EQ(c.stats.singletons, singletons);
  EXPECT_EQ(c.stats.edges, scores.size());
  EXPECT_EQ(c.stats.edges_used, used);
}

Clustering checked(uint32_t n, const std::vector<ScoredEdge>& edges, const std::vector<bool>& eligible = {},
                   uint32_t cap = 0) {
  Clustering c = cluster_rows(n, edges, eligible, ClusterOptions{cap});
  expect_invariants(n, edges, eligible, cap, c);
  return c;
}

std::vector<ScoredEdge> path(uint32_t n, float score = 0.9f) {
  std::vector<ScoredEdge> edges;
  for (uint32_t v = 0; v + 1 < n; ++v) edges.push_back({v, v + 1, score});
  return edges;
}

TEST(Cluster, NoEdgesGivesSingletons) {
  const Clustering c = checked(4, {});
  EXPECT_EQ(c.cluster, (Rows{0, 1, 2, 3}));
  EXPECT_EQ(c.centre, (Rows{0, 1, 2, 3}));
  EXPECT_EQ(c.stats.clusters, 4u);
  EXPECT_EQ(c.stats.singletons, 4u);
  EXPECT_EQ(c.stats.largest, 1u);
  EXPECT_EQ(checked(0, {}).stats.clusters, 0u);
}

TEST(Cluster, PathOfThreeIsAStarAtItsMiddle) {
  // A-B-C, A and C not linked: B links to both, so the star rule keeps all three.
  const Clustering c = checked(3, {{0, 1, 0.9f}, {1, 2, 0.8f}});
  EXPECT_EQ(c.cluster, (Rows{0, 0, 0}));
  EXPECT_EQ(c.centre, (Rows{1, 1, 1}));
  EXPECT_EQ(c.stats.split_off, 0u);
}

TEST(Cluster, PathOfFourSplitsByTheTieRule) {
  // A-B-C-D: B and C tie on degree 2.
  {  // equal scores: the lower row (B) is the centre; D is split off
    const Clustering c = checked(4, path(4));
    EXPECT_EQ(c.centre, (Rows{1, 1, 1, 3}));
    EXPECT_EQ(c.cluster, (Rows{0, 0, 0, 1}));
    EXPECT_EQ(c.size, (Rows{3, 3, 3, 1}));
    EXPECT_EQ(c.stats.split_off, 1u);
  }
  {  // C-D scores higher: C has the higher score sum and takes B and D; A is split off
    const Clustering c = checked(4, {{0, 1, 0.9f}, {1, 2, 0.9f}, {2, 3, 0.95f}});
    EXPECT_EQ(c.centre, (Rows{0, 2, 2, 2}));
    EXPECT_EQ(c.cluster, (Rows{0, 1, 1, 1}));
    EXPECT_EQ(c.stats.split_off, 1u);
  }
}

TEST(Cluster, TriangleIsOneCluster) {
  const Clustering c = checked(3, {{0, 1, 0.7f}, {1, 2, 0.8f}, {2, 0, 0.9f}});
  EXPECT_EQ(c.cluster, (Rows{0, 0, 0}));
  // All have degree 2; sums 1.6, 1.5, 1.7: row 2 is the centre.
  EXPECT_EQ(c.centre, (Rows{2, 2, 2}));
  EXPECT_EQ(c.stats.edges_used, 3u);
}

TEST(Cluster, StarIsOneClusterAtItsHub) {
  std::vector<ScoredEdge> edges;
  for (uint32_t leaf = 0; leaf < 6; ++leaf)
    if (leaf != 3) edges.push_back({leaf, 3, 0.6f + 0.05f * static_cast<float>(leaf)});
  const Clustering c = checked(6, edges);
  EXPECT_EQ(c.centre, (Rows{3, 3, 3, 3, 3, 3}));
  EXPECT_EQ(c.stats.clusters, 1u);
  EXPECT_EQ(c.stats.largest, 6u);
  EXPECT_EQ(c.stats.edges_used, 5u);
}

TEST(Cluster, DisjointPairs) {
  const Clustering c = checked(5, {{3, 1, 0.9f}, {0, 4, 0.8f}});
  EXPECT_EQ(c.cluster, (Rows{0, 1, 2, 1, 0}));
  EXPECT_EQ(c.size, (Rows{2, 2, 1, 2, 2}));
  // A pair's rows tie on everything: the lower row is the centre.
  EXPECT_EQ(c.centre, (Rows{0, 1, 2, 1, 0}));
  EXPECT_EQ(c.stats.clusters, 3u);
  EXPECT_EQ(c.stats.singletons, 1u);
}

TEST(Cluster, DuplicateAndReversedEdgesCountOnceAtTheirBestScore) {
  // Path 0-1-2-3 with 2-3 found from both sides; its best score (0.95) makes 2 the centre.
  const std::vector<ScoredEdge> edges = {{0, 1, 0.9f}, {2, 1, 0.9f}, {1, 2, 0.9f},
                                         {3, 2, 0.95f}, {2, 3, 0.6f}, {1, 1, 1.0f}};
  const Clustering c = checked(4, edges);
  EXPECT_EQ(c.centre, (Rows{0, 2, 2, 2}));
  EXPECT_EQ(c.stats.edges, 3u);
  // With the low copy of 2-3 alone, 1 has the higher sum (1.8 against 1.5) and is the centre.
  EXPECT_EQ(checked(4, {{0, 1, 0.9f}, {2, 1, 0.9f}, {2, 3, 0.6f}}).centre, (Rows{1, 1, 1, 3}));
}

TEST(Cluster, IneligibleHubStaysAloneAndJoinsNothing) {
  // Row 0 (say an empty address) links to every other row; 1-2 also link to each other.
  std::vector<ScoredEdge> edges;
  for (uint32_t v = 1; v < 8; ++v) edges.push_back({0, v, 0.99f});
  edges.push_back({1, 2, 0.8f});
  std::vector<bool> eligible(8, true);
  eligible[0] = false;
  const Clustering c = checked(8, edges, eligible);
  EXPECT_EQ(c.size[0], 1u);
  EXPECT_EQ(c.centre, (Rows{0, 1, 1, 3, 4, 5, 6, 7}));
  EXPECT_EQ(c.stats.clusters, 7u);
  EXPECT_EQ(c.stats.edges, 1u);
  EXPECT_EQ(c.stats.ineligible_linked, 1u);
  // Without the guard the hub would take every row.
  EXPECT_EQ(checked(8, edges).stats.largest, 8u);
}

TEST(Cluster, LongPathGivesStarsOfAtMostThree) {
  const Clustering c = checked(10, path(10));
  EXPECT_EQ(c.stats.largest, 3u);
  // Equal scores: 1 takes 0-2, then 4 takes 3-5, 7 takes 6-8, 9 is alone.
  EXPECT_EQ(c.centre, (Rows{1, 1, 1, 4, 4, 4, 7, 7, 7, 9}));
  EXPECT_EQ(c.stats.clusters, 4u);
  EXPECT_EQ(c.stats.split_off, 7u);
  EXPECT_EQ(c.stats.edges_used, 6u);
}

TEST(Cluster, CapKeepsTheCentreAndItsBestNeighbours) {
  // Hub 0 with leaves 1..5 scoring 0.91..0.95; leaves 1 and 2 also link to each other.
  std::vector<ScoredEdge> edges;
  for (uint32_t v = 1; v <= 5; ++v) edges.push_back({0, v, 0.9f + 0.01f * static_cast<float>(v)});
  edges.push_back({1, 2, 0.7f});
  const Clustering c = checked(6, edges, {}, 3);
  // The hub keeps its two best leaves (5, 4); 1 and 2 then pair up; 3 is left alone.
  EXPECT_EQ(c.centre, (Rows{0, 1, 1, 3, 0, 0}));
  EXPECT_EQ(c.stats.largest, 3u);
  EXPECT_EQ(c.stats.split_off, 3u);
  EXPECT_EQ(checked(6, edges, {}, 0).stats.largest, 6u);
  EXPECT_EQ(checked(6, edges, {}, 1).stats.clusters, 6u);
  // A cap at or above the star's size changes nothing.
  EXPECT_EQ(checked(6, edges, {}, 6).centre, checked(6, edges).centre);
}

TEST(Cluster, RejectsBadInput) {
  EXPECT_THROW(cluster_rows(3, {{0, 3, 0.9f}}), std::invalid_argument);
  EXPECT_THROW(cluster_rows(3, {}, std::vector<bool>(2, true)), std::invalid_argument);
  EXPECT_THROW(cluster_rows(3, {{0, 1, std::nanf("")}}), std::invalid_argument);
}

// Seeded random graphs: the invariants hold, the result matches the literal rule, and
// neither the order nor the direction of the edges changes it.
TEST(Cluster, RandomGraphsKeepTheInvariantsWhateverTheEdgeOrder) {
  constexpr uint32_t n = 200;
  const float kScores[] = {0.6f, 0.7f, 0.8f, 0.9f};  // few values, so ties happen
  for (uint32_t seed = 1; seed <= 24; ++seed) {
    std::mt19937 rng(seed);
    const uint32_t m = 50 + 100 * (seed % 8);  // from sparse chains to dense blobs
    std::vector<ScoredEdge> edges;
    for (uint32_t i = 0; i < m; ++i) {
      const uint32_t a = rng() % n, b = rng() % n;
      edges.push_back({a, b, kScores[rng() % 4]});
      if (rng() % 5 == 0) edges.push_back({b, a, kScores[rng() % 4]});  // found from both sides
    }
    std::vector<bool> eligible;
    if (seed % 3 == 0) {
      eligible.assign(n, true);
      for (uint32_t v = 0; v < n; v += 17) eligible[v] = false;
    }
    for (uint32_t cap : {0u, 3u, 5u}) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << " cap " << cap);
      const Clustering c = checked(n, edges, eligible, cap);
      EXPECT_EQ(c.centre, reference_centres(n, edges, eligible, cap));
      std::vector<ScoredEdge> shuffled = edges;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      for (ScoredEdge& e : shuffled)
        if (rng() % 2) std::swap(e.a, e.b);
      const Clustering d = cluster_rows(n, shuffled, eligible, ClusterOptions{cap});
      EXPECT_EQ(d.cluster, c.cluster);
      EXPECT_EQ(d.centre, c.centre);
      EXPECT_EQ(d.size, c.size);
      EXPECT_EQ(d.stats.edges_used, c.stats.edges_used);
      EXPECT_EQ(d.stats.split_off, c.stats.split_off);
    }
  }
}

TEST(Cluster, LargeSparseGraphIsFast) {
  // 200k rows in short chains and one 20k-leaf star: well under a second.
  constexpr uint32_t n = 200000;
  std::vector<ScoredEdge> edges;
  for (uint32_t v = 0; v + 1 < 180000; ++v)
    if (v % 7 != 6) edges.push_back({v, v + 1, 0.9f});
  for (uint32_t v = 180001; v < n; ++v) edges.push_back({180000, v, 0.8f});
  const Clustering c = cluster_rows(n, edges);
  EXPECT_EQ(c.stats.largest, 20000u);
  EXPECT_EQ(c.size[180000], 20000u);
}

}  // namespace
}  // namespace mgeo::link
