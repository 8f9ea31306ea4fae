// Star clustering with the chaining and giant-cluster guards (mgeo/link/cluster.h).
#include "mgeo/link/cluster.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>

namespace mgeo::link {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// One link a < b between eligible rows.
struct Link {
  uint32_t a, b;
  float score;
};

// The canonical links: a < b, both rows eligible, sorted by (a, b), one per pair with its
// highest score. Marks the ineligible rows that some link touched.
std::vector<Link> canonical_links(uint32_t n, const std::vector<ScoredEdge>& edges, const std::vector<bool>& eligible,
                                  std::vector<bool>& ineligible_linked) {
  std::vector<Link> links;
  links.reserve(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const ScoredEdge& e = edges[i];
    if (e.a >= n || e.b >= n)
      throw std::invalid_argument("cluster_rows: edge " + std::to_string(i) + " (" + std::to_string(e.a) + ", " +
                                  std::to_string(e.b) + ") has a row >= n = " + std::to_string(n));
    if (std::isnan(e.score)) throw std::invalid_argument("cluster_rows: edge " + std::to_string(i) + " scores NaN");
    if (e.a == e.b) continue;
    const bool ok_a = eligible.empty() || eligible[e.a], ok_b = eligible.empty() || eligible[e.b];
    if (!ok_a || !ok_b) {
      if (!ok_a) ineligible_linked[e.a] = true;
      if (!ok_b) ineligible_linked[e.b] = true;
      continue;
    }
    links.push_back({std::min(e.a, e.b), std::max(e.a, e.b), e.score});
  }
  std::sort(links.begin(), links.end(), [](const Link& x, const Link& y) {
    return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.score > y.score;
  });
  // The first of each run of one pair has the highest score.
  links.erase(std::unique(links.begin(), links.end(), [](const Link& x, const Link& y) { return x.a == y.a && x.b == y.b; }),
              links.end());
  return links;
}

// Undirected adjacency (CSR), each row's neighbours ascending.
struct Graph {
  std::vector<std::size_t> offset;  // n + 1
  std::vector<uint32_t> nbr;
  std::vector<float> score;
};

Graph build_graph(uint32_t n, const std::vector<Link>& links) {
  Graph g;
  g.offset.assign(std::size_t{n} + 1, 0);
  for (const Link& l : links) ++g.offset[l.a + 1], ++g.offset[l.b + 1];
  std::partial_sum(g.offset.begin(), g.offset.end(), g.offset.begin());
  g.nbr.resize(2 * links.size());
  g.score.resize(2 * links.size());
  std::vector<std::size_t> fill(g.offset.begin(), g.offset.end() - 1);
  // Lower neighbours first (ascending, as links are sorted by a), then higher ones.
  for (const Link& l : links) g.nbr[fill[l.b]] = l.a, g.score[fill[l.b]++] = l.score;
  for (const Link& l : links) g.nbr[fill[l.a]] = l.b, g.score[fill[l.a]++] = l.score;
  return g;
}

// A row's rank as a centre when it was queued; stale once its degree has changed.
struct Entry {
  uint32_t degree;
  double score_sum;
  uint32_t row;
};

// Priority-queue order: the top is the most links, then the highest sum, then the lowest row.
bool ranks_below(const Entry& x, const Entry& y) {
  if (x.degree != y.degree) return x.degree < y.degree;
  if (x.score_sum != y.score_sum) return x.score_sum < y.score_sum;
  return x.row > y.row;
}

// Peels stars off the graph; returns each row's centre. The global best row is the best
// of its own component, and taking a star never changes another component's degrees,
// so this equals peeling each component on its own (the contract's rule).
std::vector<uint32_t> peel(uint32_t n, const Graph& g, uint32_t cap) {
  std::vector<uint32_t> centre(n, kNone), degree(n);
  std::vector<double> sum(n, 0.0);
  std::priority_queue<Entry, std::vector<Entry>, bool (*)(const Entry&, const Entry&)> queue(ranks_below);
  for (uint32_t v = 0; v < n; ++v) {
    degree[v] = static_cast<uint32_t>(g.offset[v + 1] - g.offset[v]);
    for (std::size_t i = g.offset[v]; i < g.offset[v + 1]; ++i) sum[v] += g.score[i];
    if (degree[v] > 0) queue.push({degree[v], sum[v], v});
  }
  std::vector<std::pair<float, uint32_t>> leaves;  // (score, row) of the centre's free neighbours
  std::vector<uint32_t> members, touched;
  std::vector<uint32_t> stamp(n, kNone);
  while (!queue.empty()) {
    const Entry top = queue.top();
    queue.pop();
    const uint32_t c = top.row;
    if (centre[c] != kNone || top.degree != degree[c]) continue;  // taken or stale
    leaves.clear();
    for (std::size_t i = g.offset[c]; i < g.offset[c + 1]; ++i)
      if (centre[g.nbr[i]] == kNone) leaves.emplace_back(g.score[i], g.nbr[i]);
    if (cap > 0 && leaves.size() > cap - 1) {
      const auto keep = leaves.begin() + (cap - 1);
      std::nth_element(leaves.begin(), keep, leaves.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      leaves.erase(keep, leaves.end());
    }
    members.assign(1, c);
    for (const auto& leaf : leaves) members.push_back(leaf.second);
    for (uint32_t m : members) centre[m] = c;
    // The remaining rows lose their links to the star; requeue each once with its new rank.
    touched.clear();
    for (uint32_t m : members) {
      for (std::size_t i = g.offset[m]; i < g.offset[m + 1]; ++i) {
        const uint32_t u = g.nbr[i];
        if (centre[u] != kNone) continue;
        --degree[u];
        sum[u] -= g.score[i];
        if (stamp[u] != c) stamp[u] = c, touched.push_back(u);
      }
    }
    for (uint32_t u : touched)
      if (degree[u] > 0) queue.push({degree[u], sum[u], u});
  }
  for (uint32_t v = 0; v < n; ++v)
    if (centre[v] == kNone) centre[v] = v;
  return centre;
}

uint32_t find_root(std::vector<uint32_t>& parent, uint32_t v) {
  while (parent[v] != v) v = parent[v] = parent[parent[v]];
  return v;
}

// Rows outside their connected component's largest cluster.
uint64_t count_split_off(uint32_t n, const std::vector<Link>& links, const Clustering& c) {
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  for (const Link& l : links) parent[find_root(parent, l.a)] = find_root(parent, l.b);
  std::vector<uint32_t> largest(n, 0);
  for (uint32_t v = 0; v < n; ++v) {
    uint32_t& best = largest[find_root(parent, v)];
    best = std::max(best, c.size[v]);
  }
  uint64_t kept = 0;
  for (uint32_t v = 0; v < n; ++v)
    if (parent[v] == v) kept += largest[v];
  return n - kept;
}

}  // namespace

Clustering cluster_rows(uint32_t n, const std::vector<ScoredEdge>& edges, const std::vector<bool>& eligible,
                        const ClusterOptions& options) {
  if (!eligible.empty() && eligible.size() != n)
    throw std::invalid_argument("cluster_rows: eligible has " + std::to_string(eligible.size()) +
                                " entries for n = " + std::to_string(n) + " rows");
  std::vector<bool> ineligible_linked(n, false);
  const std::vector<Link> links = canonical_links(n, edges, eligible, ineligible_linked);

  Clustering out;
  out.centre = peel(n, build_graph(n, links), options.max_cluster_size);
  out.cluster.assign(n, kNone);
  out.size.assign(n, 0);
  std::vector<uint32_t> id_of_centre(n, kNone), rows_of_id;
  for (uint32_t v = 0; v < n; ++v) {
    uint32_t& id = id_of_centre[out.centre[v]];
    if (id == kNone) id = static_cast<uint32_t>(rows_of_id.size()), rows_of_id.push_back(0);
    out.cluster[v] = id;
    ++rows_of_id[id];
  }
  for (uint32_t v = 0; v < n; ++v) out.size[v] = rows_of_id[out.cluster[v]];

  ClusterStats& s = out.stats;
  s.rows = n;
  s.clusters = rows_of_id.size();
  for (uint32_t r : rows_of_id) {
    s.singletons += r == 1;
    s.largest = std::max<uint64_t>(s.largest, r);
  }
  s.edges = links.size();
  for (const Link& l : links) s.edges_used += out.centre[l.a] == out.centre[l.b];
  s.split_off = count_split_off(n, links, out);
  s.ineligible_linked = static_cast<uint64_t>(std::count(ineligible_linked.begin(), ineligible_linked.end(), true));
  return out;
}

std::vector<std::vector<uint32_t>> cluster_members(const Clustering& c) {
  uint32_t clusters = 0;
  for (uint32_t id : c.cluster) clusters = std::max(clusters, id + 1);
  std::vector<std::vector<uint32_t>> members(clusters);
  for (uint32_t v = 0; v < c.cluster.size(); ++v) members[c.cluster[v]].push_back(v);
  return members;
}

}  // namespace mgeo::link
