// mgeo/align/dedupe_job.h — the `dedupe` job: one address table into entities.
//
// Contract: collective over `comm` (every rank calls it with the same options). Stages:
// read the table (bad rows flagged, never dropped); index it on every rank; each rank
// finds up to top_k other rows for its share of the rows (block_stage.h, skip_self) and
// every rank gets every list; the lists become distinct pairs (a < b) scored by the score
// engine (pipeline::score_stream, sharded like `score`); on rank 0 a pair is a link when
// its score >= threshold and no switched-on veto stops it (link/decide.h, comparing the
// parsed addresses); then link::cluster_rows makes star clusters (every member linked to
// its cluster's centre: the chaining guard) where a row that is flagged or too generic to
// link (its address names no road, number, poi or building: "北京市朝阳区") stays alone
// (the giant-cluster guard). Everything depends only on the table and options, not on
// the number of ranks. Rank 0 writes atomically:
//   output        every input row, in input order: id, cluster_id (0.. in order of each
//                 cluster's first row), cluster_size, centre_id, status (the row's
//                 status, or generic_address for an ok row kept alone by the guard)
//   pairs_output  when set: every scored pair: id_a, id_b, score, label, block_score,
//                 found_by, decision (link, below_threshold or the veto)
//   metrics       <output>.metrics.json: stage seconds and memory, counts, cluster stats.
// Expected failures throw mgeo::Error.
#pragma once

#include <cstdint>
#include <string>

#include "mgeo/align/options.h"
#include "mgeo/dist/comm.h"
#include "mgeo/link/cluster.h"

namespace mgeo::align {

struct DedupeJobOptions : AlignOptions {
  std::string input, output;
  std::string pairs_output;  // empty: not written
  link::ClusterOptions cluster;
};

void run_dedupe_job(const DedupeJobOptions& opts, const dist::Communicator& comm);

}  // namespace mgeo::align
