// BlockIndex: building the index from the master rows.
#include "mgeo/link/block_index.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "index_impl.h"
#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"
#include "mgeo/util/error.h"

namespace mgeo::link {
namespace {

constexpr std::array<Pass, 3> kKeyPasses = {kDistrictRoadNumber, kCityRoadNumber, kDistrictPoi};

uint32_t code32(uint64_t code) { return code < 0xFFFFFFFFULL ? static_cast<uint32_t>(code) : 0; }

void build_blocks(KeyBlocks& blocks, std::vector<std::pair<uint64_t, uint32_t>>& entries) {
  std::sort(entries.begin(), entries.end());
  blocks.members.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i == 0 || entries[i].first != entries[i - 1].first) {
      blocks.map.insert(entries[i].first, static_cast<uint32_t>(blocks.begin.size()));
      blocks.begin.push_back(static_cast<uint32_t>(i));
    }
    blocks.members.push_back(entries[i].second);
  }
  blocks.begin.push_back(static_cast<uint32_t>(entries.size()));
  blocks.begin.shrink_to_fit();
}

}  // namespace

BlockIndex::BlockIndex(const address::Parser& parser, const std::vector<std::string>& ids,
                       const std::vector<std::string>& addresses, BlockOptions options)
    : impl_(std::make_unique<Impl>()) {
  MGEO_CHECK(ids.size() == addresses.size(), "block index: {} ids but {} addresses", ids.size(), addresses.size());
  MGEO_CHECK(addresses.size() < 0xFFFFFFFFULL, "block index: {} masters (at most 2^32 - 2)", addresses.size());
  MGEO_CHECK(options.ngram == 2 || options.ngram == 3, "block index: ngram must be 2 or 3, got {}", options.ngram);
  Impl& x = *impl_;
  x.parser = &parser;
  x.options = options;
  x.ids = ids;
  const std::size_t n = addresses.size();
  x.province.resize(n);
  x.city.resize(n);
  x.doc_weight.resize(n);
  x.df_cap = options.df_cap != 0 ? options.df_cap : std::max<uint32_t>(2000, static_cast<uint32_t>(n / 100));

  std::array<std::vector<std::pair<uint64_t, uint32_t>>, 3> entries;
  std::vector<uint32_t> doc_grams, doc_begin(n + 1, 0), df;
  std::vector<uint32_t> length(n);
  doc_grams.reserve(n * 24);
  for (std::size_t m = 0; m < n; ++m) {
    const address::Address a = parser.parse(addresses[m]);
    x.province[m] = code32(a.province_code);
    x.city[m] = code32(a.city_code);
    for (std::size_t p = 0; p < kKeyPasses.size(); ++p) {
      const uint64_t key = address_key(kKeyPasses[p], a);
      if (key != 0) entries[p].emplace_back(key, static_cast<uint32_t>(m));
    }
    const std::vector<uint64_t> grams = ngrams(address::normalize(addresses[m]), options.ngram);
    length[m] = static_cast<uint32_t>(grams.size());
    for (uint64_t g : grams) {
      if (g == 0) continue;
      const uint32_t id = x.grams.insert(g, static_cast<uint32_t>(df.size())).first;
      if (id == df.size()) df.push_back(0);
      ++df[id];
      doc_grams.push_back(id);
    }
    doc_begin[m + 1] = static_cast<uint32_t>(doc_grams.size());
  }
  for (std::size_t p = 0; p < kKeyPasses.size(); ++p) {
    x.stats.key_entries[p] = entries[p].size();
    build_blocks(x.keys[p], entries[p]);
    std::vector<std::pair<uint64_t, uint32_t>>().swap(entries[p]);
  }

  // The inverted index: postings of gram g at postings[gram_begin[g] .. gram_begin[g + 1]).
  x.gram_begin.assign(df.size() + 1, 0);
  for (std::size_t g = 0; g < df.size(); ++g) x.gram_begin[g + 1] = x.gram_begin[g] + df[g];
  x.postings.resize(doc_grams.size());
  std::vector<uint32_t> fill(x.gram_begin.begin(), x.gram_begin.end() - 1);
  for (std::size_t m = 0; m < n; ++m) {
    for (uint32_t i = doc_begin[m]; i < doc_begin[m + 1]; ++i) x.postings[fill[doc_grams[i]]++] = static_cast<uint32_t>(m);
  }
  x.idf.resize(df.size());
  const double docs = static_cast<double>(n);
  for (std::size_t g = 0; g < df.size(); ++g) {
    x.idf[g] = static_cast<float>(std::log(1.0 + (docs - df[g] + 0.5) / (df[g] + 0.5)));
  }
  double total = 0;
  for (uint32_t l : length) total += l;
  const double avg = n == 0 ? 1.0 : std::max(1.0, total / docs);
  const double k1 = options.bm25_k1, b = options.bm25_b;
  for (std::size_t m = 0; m < n; ++m) {
    x.doc_weight[m] = static_cast<float>((k1 + 1) / (1 + k1 * (1 - b + b * length[m] / avg)));
  }

  BlockStats& s = x.stats;
  s.masters = n;
  s.grams = df.size();
  s.postings = x.postings.size();
  s.bytes = (x.province.capacity() + x.city.capacity() + x.gram_begin.capacity() + x.postings.capacity()) *
                sizeof(uint32_t) +
            (x.doc_weight.capacity() + x.idf.capacity()) * sizeof(float) + x.grams.bytes();
  for (const KeyBlocks& k : x.keys) s.bytes += k.bytes();
  for (const std::string& id : x.ids) s.bytes += sizeof(std::string) + (id.size() > 15 ? id.capacity() : 0);
}

BlockIndex::~BlockIndex() = default;
BlockIndex::BlockIndex(BlockIndex&&) noexcept = default;
BlockIndex& BlockIndex::operator=(BlockIndex&&) noexcept = default;

std::size_t BlockIndex::size() const { return impl_->ids.size(); }
const std::string& BlockIndex::id(uint32_t master) const { return impl_->ids.at(master); }
const BlockStats& BlockIndex::stats() const { return impl_->stats; }
const address::Parser& BlockIndex::parser() const { return *impl_->parser; }

}  // namespace mgeo::link
