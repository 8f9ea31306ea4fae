// mgeo/link/cluster.h — the clustering stage of `dedupe`: accepted links -> entities.
//
// Contract: a pure function, thread-safe; the result depends only on the set of
// {pair, max score} in the edges, never on their order or direction.
//
// Input: n rows 0..n-1 and the accepted links among them (the caller has applied the
// threshold and the vetoes). A pair may appear more than once, either way round: it
// counts once, with its highest score. Self-links are ignored.
//
// Giant-cluster guard: a row that is not `eligible` (empty, flagged or too generic an
// address) is a singleton whatever links touch it, and no two rows are joined through it.
//
// Chaining guard ("star" clusters): connected components alone chain A ~ B ~ C where A
// and C are different places (建国路8号 ~ 建国路8号A座 ~ 建国路88号). So every cluster is a
// star: each member has an accepted link to the cluster's centre. Per connected component:
//   1. the centre is the row with the most links (degree), ties -> the highest sum of
//      link scores, ties -> the lowest row index;
//   2. the centre and all its neighbours become one cluster (the whole component when
//      the centre links to every other row); with max_cluster_size = m > 0 only the centre
//      and its m - 1 highest-scoring neighbours (ties -> lowest index) are taken;
//   3. the taken rows and their links are removed, the components of what remains are
//      recomputed, and each is peeled again from 1. Degrees and score sums count only
//      the links among the rows still remaining.
// So a path never clusters beyond 3 rows: A-B-C is one star centred at B (B links to
// both), while A-B-C-D gives {A, B, C} + {D} (B and C tie on degree; the higher score sum,
// then the lower index, takes the centre). Only links to the centre are vouched for:
// two leaves of one star need not link to each other.
// Cost: O((n + links) log(n + links)): one sort of the links and one priority queue of
// rows; peeling the global best row is the same as peeling each component on its own.
// REQUIRES: every edge endpoint < n, no score NaN; eligible is empty (all eligible) or
// has n entries. Throws std::invalid_argument (with the values) otherwise.
#pragma once

#include <cstdint>
#include <vector>

namespace mgeo::link {

struct ScoredEdge {
  uint32_t a = 0, b = 0;  // row indices, either order
  float score = 0;        // the link's probability
};

struct ClusterOptions {
  uint32_t max_cluster_size = 0;  // 0: no cap; otherwise a cluster holds at most this many rows
};

struct ClusterStats {
  uint64_t rows = 0;
  uint64_t clusters = 0;           // singletons included
  uint64_t singletons = 0;         // clusters of one row
  uint64_t largest = 0;            // rows in the largest cluster
  uint64_t edges = 0;              // distinct links between eligible rows (the graph clustered)
  uint64_t edges_used = 0;         // of those, links with both rows in one cluster
  uint64_t split_off = 0;          // rows outside their component's largest cluster (chaining guard, cap)
  uint64_t ineligible_linked = 0;  // ineligible rows that had a link (kept apart by the giant-cluster guard)
};

struct Clustering {
  std::vector<uint32_t> cluster;  // per row: cluster index, 0.. in order of each cluster's smallest row
  std::vector<uint32_t> centre;   // per row: the centre row of its cluster (a singleton is its own)
  std::vector<uint32_t> size;     // per row: rows in its cluster
  ClusterStats stats;
};

Clustering cluster_rows(uint32_t n, const std::vector<ScoredEdge>& edges, const std::vector<bool>& eligible = {},
                        const ClusterOptions& options = {});

// The rows of each cluster, ascending, indexed by cluster index.
std::vector<std::vector<uint32_t>> cluster_members(const Clustering& c);

}  // namespace mgeo::link
