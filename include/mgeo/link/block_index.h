// mgeo/link/block_index.h — candidate generation (blocking) for linking addresses to a master list.
//
// Contract: a BlockIndex is built once from the master rows (id + address text): each
// address is parsed (address::Parser) and reduced to compact keys — its province and city
// codes, the hashes of its key passes and its character n-grams — the Address itself is
// not kept. After the constructor it is immutable: candidates() may run on any number of
// threads at once (each thread keeps its own scratch space).
//
// candidates(query, k) unions these passes (mgeo/link/keys.h):
//   key passes  district + road + number; city + road + number; district + poi. A pass
//               never looks up an empty key; a block holding more than block_cap masters
//               is skipped for that pass (the lexical pass still runs). An ambiguous
//               district (朝阳区 alone) looks up each district it may be.
//   lexical     top-k by BM25 over the n-grams of the normalized address (address::
//               normalize, ASCII lower-cased); n-grams in more than df_cap masters are
//               skipped, and at most posting_budget postings (keyed_budget when a key
//               pass found a master) are read a query, the rarest n-grams first.
//               Masters found by this pass alone whose province or city code conflicts
//               with the query's resolved one are dropped.
// Ranking: masters found by more key passes first, then by lexical score, then by index;
// cut at k, so a k-list is the prefix of a longer list for the same query.
// REQUIRES: at most 2^32 - 1 masters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/address/address.h"
#include "mgeo/link/keys.h"

namespace mgeo::address {
class Parser;
}

namespace mgeo::link {

struct BlockOptions {
  uint32_t block_cap = 64;         // key blocks larger than this are skipped for that pass
  int ngram = 3;                   // 3 (trigrams) or 2 (bigrams)
  uint32_t df_cap = 0;             // n-grams in more masters are skipped; 0: max(2000, masters / 100)
  uint32_t posting_budget = 4000;  // postings read a query by the lexical pass, at most
  uint32_t keyed_budget = 250;     // the same when a key pass found a master already
  float bm25_k1 = 1.2f, bm25_b = 0.75f;
  uint8_t passes = kDistrictRoadNumber | kCityRoadNumber | kDistrictPoi | kLexical;  // the passes run
};

struct Candidate {
  uint32_t master = 0;     // index into the master rows
  float block_score = 0;   // lexical BM25 score (0 when the lexical pass did not reach it)
  uint8_t found_by = 0;    // bits of Pass
};

struct BlockStats {
  uint64_t masters = 0, grams = 0, postings = 0;
  uint64_t key_entries[3] = {0, 0, 0};  // masters with a key, per key pass
  uint64_t bytes = 0;                   // the index's own arrays, ids included
};

class BlockIndex {
 public:
  BlockIndex(const address::Parser& parser, const std::vector<std::string>& ids,
             const std::vector<std::string>& addresses, BlockOptions options = {});
  ~BlockIndex();
  BlockIndex(BlockIndex&&) noexcept;
  BlockIndex& operator=(BlockIndex&&) noexcept;

  std::vector<Candidate> candidates(std::string_view query, std::size_t k) const;
  // `parsed` is parse(query); `normalized` is address::normalize(query).
  std::vector<Candidate> candidates(const address::Address& parsed, std::string_view normalized, std::size_t k) const;

  std::size_t size() const;
  const std::string& id(uint32_t master) const;
  const BlockStats& stats() const;
  const address::Parser& parser() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mgeo::link
