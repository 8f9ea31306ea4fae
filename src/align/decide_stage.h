// The decide stage of `link` (internal to src/align): rank 0 receives the candidate pairs'
// scores in pair order, block by block, and as soon as every pair of a query has its
// score it decides the query (link::decide, vetoes from address::compare of the parsed
// query and master, parsed only as far as the decision needs) and writes its output row
// and, when asked, its candidate rows. Queries are written in query order.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "mgeo/address/compare.h"
#include "mgeo/address/parser.h"
#include "mgeo/align/address_table.h"
#include "mgeo/align/block_stage.h"
#include "mgeo/io/score_writer.h"
#include "mgeo/io/table_writer.h"
#include "mgeo/link/decide.h"
#include "mgeo/link/keys.h"
#include "pair_scores.h"

namespace mgeo::align::detail {

struct LinkCounts {
  int64_t queries = 0, links = 0, pairs = 0, parsed_masters = 0;
  std::array<int64_t, link::kReasonCount> reasons{};
  std::array<int64_t, link::kPassCount> linked_found_by{};  // links whose master each pass found
};

class LinkDecider {
 public:
  LinkDecider(const AddressTable& queries, const AddressTable& masters, const CandidateLists& candidates,
              const address::Parser& parser, const link::Vetoes& vetoes, float threshold, io::TableWriter& links,
              io::TableWriter* candidate_rows);

  void open(const std::vector<std::string>& labels, int score_label);
  // The next block of pair scores, in pair order.
  void take(const io::ScoreTable& block);
  // Writes the queries left (those after the last pair) and checks that every pair came.
  void finish();
  const LinkCounts& counts() const { return counts_; }

 private:
  void write_query(std::size_t q);
  void write_candidates(std::size_t q);

  const AddressTable& queries_;
  const AddressTable& masters_;
  const CandidateLists& cands_;
  const address::Parser& parser_;
  link::Vetoes vetoes_;
  float threshold_;
  io::TableWriter& links_;
  io::TableWriter* candidate_rows_;
  PairScores scores_;  // the pairs received so far
  std::size_t next_query_ = 0;
  LinkCounts counts_;
  std::vector<std::string> cells_;  // the row being written
};

// "district_road_number+lexical": the passes of a found_by mask.
std::string found_by_names(uint8_t found_by);

}  // namespace mgeo::align::detail
