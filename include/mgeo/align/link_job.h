// mgeo/align/link_job.h — the `link` job: each query address against a master list.
//
// Contract: collective over `comm` (every rank calls it with the same options). Stages,
// each in a file of its own: read both tables (address_table.h; bad rows flagged, never
// dropped), build the master index on every rank from the same file (block_stage.h),
// find up to top_k candidates for each rank's share of the queries and share the lists,
// score every candidate pair with the score engine (pipeline::score_stream: batched,
// length-sorted, deduplicated, sharded like `score`), and decide on rank 0 (link/
// decide.h: the best candidate that passes the threshold and that no switched-on veto
// stops), streaming one output row a query, in query order, as the scores arrive.
// Candidate lists, scores and so decisions do not depend on the number of ranks.
// Rank 0 writes, each atomically (a failed job leaves none of them):
//   output             link_columns(): query_id, master_id (empty when not linked), score
//                      and label of best_id's pair, second_id/second_score (the runner-up
//                      no veto stopped), best_id (the best candidate no veto stopped,
//                      linked or not: what a lower threshold would link), cmp_province ...
//                      cmp_room (the query against best_id's master, or against the top
//                      candidate when every candidate was vetoed), reason, status (the
//                      query row's own status)
//   candidates_output  when set: every scored candidate, candidate_columns()
//   metrics            <output>.metrics.json: seconds and peak memory of each stage,
//                      counts (candidates, links, reasons, passes) and the score report.
// Expected failures throw mgeo::Error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mgeo/align/options.h"
#include "mgeo/dist/comm.h"

namespace mgeo::align {

struct LinkJobOptions : AlignOptions {
  std::string master, queries, output;
  std::string candidates_output;  // empty: not written
};

std::vector<std::string> link_columns();
std::vector<std::string> candidate_columns();  // query_id, master_id, rank, block_score, score, found_by

void run_link_job(const LinkJobOptions& opts, const dist::Communicator& comm);

}  // namespace mgeo::align
