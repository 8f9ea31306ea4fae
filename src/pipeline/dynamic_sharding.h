// Dynamic sharding of the score engine (internal to src/pipeline): ranks take chunks from a
// shared counter and send their results to rank 0, which writes them in input order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "mgeo/dist/comm.h"
#include "mgeo/dist/shard.h"
#include "mgeo/pipeline/metrics.h"
#include "mgeo/pipeline/score_job.h"
#include "round_sink.h"
#include "shard_scorer.h"

namespace mgeo::pipeline::detail {

// Scores one range into a result, calling after_piece(rows) after each piece it reads.
using ScoreRange = std::function<void(dist::Range, ShardResult&, const std::function<void(int64_t)>&)>;

// Ranks take chunks from a shared counter (dist::WorkQueue) and send their results to rank
// 0, which also scores, keeps finished chunks until the ones before them arrive, and hands
// them to `sink` in order (sink is null on other ranks). Rank 0 holds at most 2 * world
// chunks of results (the queue's max_ahead). Chunk c is the plan's chunk c, so batches are
// the same as with the other shardings. Collective.
void score_dynamic(const dist::Communicator& comm, const dist::RoundPlan& plan, int64_t labels,
                   const ScoreRange& score_range, RoundSink* sink, std::map<std::string, int64_t>& counts,
                   const ScoreJobOptions& o, RankMetrics& m);

}  // namespace mgeo::pipeline::detail
