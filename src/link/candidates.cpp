// BlockIndex::candidates: the key passes and the lexical pass, unioned and ranked.
#include <algorithm>

#include "index_impl.h"
#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"

namespace mgeo::link {
namespace {

// Per-thread accumulators, sized to the largest index seen and left zeroed between calls.
struct Scratch {
  std::vector<float> score;
  std::vector<uint8_t> found;
  std::vector<uint32_t> touched;
  std::vector<std::pair<uint32_t, uint32_t>> grams;  // (df, gram id)
};

Scratch& scratch(std::size_t n) {
  thread_local Scratch s;
  if (s.score.size() < n) {
    s.score.resize(n, 0.0f);
    s.found.resize(n, 0);
  }
  return s;
}

// How many key passes found a master: the popcount of the low three bits.
int key_count(uint8_t found_by) {
  static constexpr int kBits[8] = {0, 1, 1, 2, 1, 2, 2, 3};
  return kBits[found_by & (kDistrictRoadNumber | kCityRoadNumber | kDistrictPoi)];
}

}  // namespace

std::vector<Candidate> BlockIndex::candidates(std::string_view query, std::size_t k) const {
  return candidates(impl_->parser->parse(query), address::normalize(query), k);
}

std::vector<Candidate> BlockIndex::candidates(const address::Address& q, std::string_view normalized,
                                              std::size_t k) const {
  const Impl& x = *impl_;
  Scratch& s = scratch(x.ids.size());
  auto touch = [&](uint32_t m, uint8_t bit) {
    if (s.found[m] == 0) s.touched.push_back(m);
    s.found[m] |= bit;
  };

  // Key passes: never an empty key; a block over the cap is skipped.
  auto lookup = [&](int p, uint64_t key) {
    if ((x.options.passes & (1u << p)) == 0) return;
    const uint32_t b = x.keys[static_cast<std::size_t>(p)].map.find(key);
    if (b == FlatMap::kMissing) return;
    const auto& blocks = x.keys[static_cast<std::size_t>(p)];
    const uint32_t begin = blocks.begin[b], end = blocks.begin[b + 1];
    if (end - begin > x.options.block_cap) return;
    for (uint32_t i = begin; i < end; ++i) touch(blocks.members[i], static_cast<uint8_t>(1u << p));
  };
  if (q.district_code != 0) {
    lookup(0, road_number_key(kDistrictRoadNumber, q.district_code, q.road, q.number));
    lookup(2, poi_key(q.district_code, q.poi));
  } else {
    for (uint64_t d : q.district_candidates) {
      lookup(0, road_number_key(kDistrictRoadNumber, d, q.road, q.number));
      lookup(2, poi_key(d, q.poi));
    }
  }
  lookup(1, road_number_key(kCityRoadNumber, q.city_code, q.road, q.number));

  // Lexical pass: rarest n-grams first, within the posting budget; common ones skipped.
  s.grams.clear();
  if ((x.options.passes & kLexical) == 0) normalized = {};
  for (uint64_t g : ngrams(normalized, x.options.ngram)) {
    const uint32_t id = x.grams.find(g);
    if (id == FlatMap::kMissing) continue;
    const uint32_t df = x.gram_begin[id + 1] - x.gram_begin[id];
    if (df <= x.df_cap) s.grams.emplace_back(df, id);
  }
  std::sort(s.grams.begin(), s.grams.end());
  const uint64_t budget = s.touched.empty() ? x.options.posting_budget : x.options.keyed_budget;
  uint64_t read = 0;
  for (const auto& [df, id] : s.grams) {
    if (read + df > budget) break;
    read += df;
    const float w = x.idf[id];
    for (uint32_t i = x.gram_begin[id]; i < x.gram_begin[id + 1]; ++i) {
      const uint32_t m = x.postings[i];
      touch(m, kLexical);
      s.score[m] += w;
    }
  }

  // Rank: key hits first, then lexical score; province/city conflicts dropped.
  const uint32_t qp = q.province_code < 0xFFFFFFFFULL ? static_cast<uint32_t>(q.province_code) : 0;
  const uint32_t qc = q.city_code < 0xFFFFFFFFULL ? static_cast<uint32_t>(q.city_code) : 0;
  std::vector<Candidate> ranked;
  ranked.reserve(s.touched.size());
  for (uint32_t m : s.touched) {
    const uint8_t found = s.found[m];
    const bool keyed = key_count(found) > 0;
    const bool conflict = (qp != 0 && x.province[m] != 0 && x.province[m] != qp) ||
                          (qc != 0 && x.city[m] != 0 && x.city[m] != qc);
    if (keyed || !conflict) ranked.push_back({m, s.score[m] * x.doc_weight[m], found});
    s.score[m] = 0;
    s.found[m] = 0;
  }
  s.touched.clear();
  auto better = [](const Candidate& a, const Candidate& b) {
    const int ka = key_count(a.found_by), kb = key_count(b.found_by);
    if (ka != kb) return ka > kb;
    if (a.block_score != b.block_score) return a.block_score > b.block_score;
    return a.master < b.master;
  };
  if (ranked.size() > k) {
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(), better);
    ranked.resize(k);
  }
  std::sort(ranked.begin(), ranked.end(), better);
  return ranked;
}

}  // namespace mgeo::link
