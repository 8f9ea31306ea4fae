// mgeo/align/block_stage.h — the blocking stage of link and dedupe, sharded over ranks.
//
// Contract: the master index (link::BlockIndex) is built on every rank from the same
// table, over its ok rows only (build_index); so candidate lists do not depend on the
// number of ranks. block_queries() is collective: each rank finds the candidates of its
// share of the query rows (dist::shard_range) on `threads` threads, then every rank
// receives every list, in query order. A flagged query row gets an empty list. Candidate
// `row`s index the master table (not the index). With skip_self (dedupe: the queries are
// the master table), a query's own row is dropped and k + 1 are asked for, so each list
// still holds up to k others.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "mgeo/align/address_table.h"
#include "mgeo/dist/comm.h"
#include "mgeo/link/block_index.h"

namespace mgeo::align {

struct MasterIndex {
  std::unique_ptr<link::BlockIndex> index;
  std::vector<uint32_t> rows;  // index master i is table row rows[i]
};

// REQUIRES: the table has fewer than 2^32 rows.
MasterIndex build_index(const address::Parser& parser, const AddressTable& masters, const link::BlockOptions& options);

// Compressed lists: query q's candidates are [offsets[q], offsets[q + 1]) in rank order.
struct CandidateLists {
  std::vector<int64_t> offsets{0};
  std::vector<uint32_t> row;        // master table row
  std::vector<float> block_score;   // the lexical pass's BM25 (0 when it did not reach it)
  std::vector<uint8_t> found_by;    // link::Pass bits

  std::size_t queries() const { return offsets.size() - 1; }
  int64_t pairs() const { return offsets.back(); }
  int64_t begin(std::size_t q) const { return offsets[q]; }
  int64_t end(std::size_t q) const { return offsets[q + 1]; }
};

struct BlockOptions {
  std::size_t k = 10;
  bool skip_self = false;
  int threads = 1;
};

CandidateLists block_queries(const MasterIndex& index, const AddressTable& queries, const BlockOptions& options,
                             const dist::Communicator& comm);

// The same for the rows [begin, end) of `queries` on this process alone (no communication).
CandidateLists block_range(const MasterIndex& index, const AddressTable& queries, int64_t begin, int64_t end,
                           const BlockOptions& options);


// Dedupe's pairs: each (query row, candidate row) of `lists` as (min, max), once, sorted;
// found_by ORs the passes of both directions, block_score keeps the larger.
struct RowPairs {
  std::vector<uint32_t> a, b;
  std::vector<float> block_score;
  std::vector<uint8_t> found_by;
  std::size_t size() const { return a.size(); }
};
RowPairs symmetric_pairs(const CandidateLists& lists);

}  // namespace mgeo::align
