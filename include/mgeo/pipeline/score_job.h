// mgeo/pipeline/score_job.h — the `score` job: shard, tokenize, batch, forward, gather, write.
//
// Contract: collective over `comm` (every rank calls it with the same options). The input
// is dealt out in rounds (dist::plan_rounds): in each round every rank reads and scores
// one chunk of consecutive rows in length-sorted batches without gradients, then rank 0
// gathers the round's ids, probabilities and statuses, which are consecutive in input
// order, and appends them to the output. So with `cyclic` sharding no rank holds more
// than one chunk (chunk_rows) of pairs and scores at a time, whatever the input size;
// `contiguous` gives each rank one range and gathers once (rank 0 then holds every
// score); `dynamic` lets ranks take chunks from a shared counter (dist::WorkQueue) and
// send results to rank 0, which writes them in order (at most 2 x world chunks held). The output and the metrics JSON are written atomically (temp name, renamed
// when complete). Batches are formed inside windows of sort_window input rows, and
// chunks start on window boundaries, so each row is computed in the same batch whatever
// the number of ranks. With dedup, identical (addr1, addr2) pairs inside a window are
// scored once and share the result (RankMetrics::repeats counts them). Rows the reader
// flags are kept in the output with their status and no score; repeated ids are flagged
// duplicate_id (keeping their scores). With dp > 1 a rank splits every batch over dp
// threads with threads / dp intra-op threads each (DataParallelScorer), for comparison
// with ranks (DDP-style) and intra-op threads. With prefetch (cyclic and contiguous), a
// rank reads and tokenizes its next piece on another thread while it scores the current.
// With normalize, the addr1 and addr2 of every row the reader did not flag pass through
// address::normalize() before deduplication and tokenization (a row whose address
// normalizes to nothing is flagged empty_address). With explain, each rank loads one
// address::Parser and every scored row gets the comparison of parse(addr1) with
// parse(addr2) of the text as read (before normalize), one io::ScoreTable extra column
// per address field (explain_columns(): cmp_province ... cmp_room) holding
// address::match_name(), empty for flagged rows; like the scores, it does not depend on
// the number of ranks. Rows whose probabilities are not all finite are flagged non_finite
// (their probabilities become NaN); with a .tsv output, an id holding a tab or line break
// is written escaped and flagged id_escaped. A stall watchdog (watchdog.h) ends a job in
// which no rank has made progress for stall_timeout_s. With profile_batches (or the
// environment variable MGEO_PROFILE_BATCHES) set, each rank writes one JSON line per batch
// of its Scorer (host staging, launch, sync and device times, idle gaps) and a summary
// (batch_profile.h); scores do not change, and it costs nothing when unset.
// score_pairs() is the same job without the output: it returns the gathered table.
// Expected failures throw mgeo::Error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mgeo/dist/comm.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/score_writer.h"
#include "mgeo/pipeline/journal.h"
#include "mgeo/pipeline/metrics.h"

namespace mgeo::pipeline {

struct ScoreJobOptions {
  std::string model_dir;               // config.json + vocab.txt + weights
  std::string input;                   // .csv/.tsv/.h5 with columns id, addr1, addr2
  std::string output;                  // .csv/.tsv/.h5
  std::string metrics_path;            // default: <output>.metrics.json
  std::string device = "auto";         // auto | cpu | cuda
  std::string precision = "fp32";      // fp32 | fp16 | bf16
  std::string score_label = "exact_match";
  std::string gather = "auto";         // auto | mpi | nccl (nccl needs CUDA tensors)
  int64_t batch_size = 64;
  int64_t token_budget = 0;            // 0: no per-batch token budget
  int64_t sort_window = 1024;          // rows sorted by length together; shards start on multiples
  bool sort_by_length = true;          // false: batches follow input order inside each window
  bool dedup = true;                   // score identical pairs in a window once
  std::string sharding = "cyclic";     // cyclic (rounds of chunks, streamed) | contiguous | dynamic
  int max_length = 128;
  int threads = 0;                     // intra-op threads per rank; 0: cores / ranks on the node
  int dp = 1;                          // > 1: split each batch over dp threads (DataParallel-style)
  std::string prefetch = "auto";       // read + tokenize the next piece during the forward: auto (CUDA) | on | off
  int64_t chunk_rows = 65536;          // max rows a rank scores between gathers (cyclic)
  std::size_t max_field_bytes = 4096;  // longer fields are flagged field_too_long
  double progress_seconds = 10.0;      // rank 0 progress interval; <= 0 disables
  bool normalize = false;              // addr1/addr2 through address::normalize() before tokenizing
  bool explain = false;                // add the cmp_<field> columns (address comparison)
  std::string divisions_dir;           // explain's dictionary; empty: synth::default_divisions_dir()
  bool quiet = false;
  // Recovery (see journal.h): with journal, score, link and dedupe keep a journal of the
  // rounds handed to the output; with resume, a journal left by an interrupted run with
  // the same inputs, model and scoring options is continued after its last round.
  bool journal = true;
  bool resume = false;
  std::string journal_path;            // set by the job from its output; empty: none
  double stall_timeout_s = 1800;       // end the job after this long without progress; <= 0: never
  // Per-batch timing JSONL (pipeline/batch_profile.h); empty: the MGEO_PROFILE_BATCHES
  // environment variable, and no profile when that is unset or empty.
  std::string profile_batches;
};

// The metrics JSON of a job writing `output`: `metrics_path`, or "<output>.metrics.json"
// when it is empty (score, link and dedupe).
std::string metrics_file(const std::string& metrics_path, const std::string& output);

// The extra columns of an explained table: "cmp_" + address::field_name(f) for each field.
std::vector<std::string> explain_columns();

// Collective. Rank 0 gets every input row in input order (flagged rows with NaN probs,
// repeated ids marked duplicate_id) and, when `report` is not null, the job's figures;
// other ranks get an empty table. Writes no file: `output` only names the score file in
// `report`. (For tests and eval: the table is held whole.)
io::ScoreTable score_pairs(const ScoreJobOptions& opts, const dist::Communicator& comm, JobReport* report);

// The engine under both: collective; scores the rows of `source` (every rank passes a
// source with the same rows; null: opts.input is opened) and hands rank 0 the gathered
// rows block by block, in input order, on the calling thread: open(labels, score_label)
// once before the first block, then emit(block) (ids, probs, statuses, explain columns).
// Other ranks' callbacks are never called. Link and dedupe score candidate pairs with it.
// With opts.journal_path set, rank 0 records each block in that journal before emit()
// (the key fingerprints the rows of `source`, or the input file, the model files and the
// options that change scores); with opts.resume, the blocks of a matching journal are
// first replayed through emit() and scoring continues after them, on any number of
// ranks, so the emitted rows are those of an uninterrupted run. The journal is then
// moved into *journal (null: removed when scoring ends); the caller removes it once its
// output is committed.
void score_stream(const ScoreJobOptions& opts, const dist::Communicator& comm, JobReport* report,
                  io::PairSource* source,
                  const std::function<void(const std::vector<std::string>& labels, int score_label)>& open,
                  const std::function<void(io::ScoreTable&&)>& emit,
                  std::unique_ptr<Journal>* journal = nullptr);

// score_pairs(), then rank 0 writes `output` and the metrics JSON.
void run_score_job(const ScoreJobOptions& opts, const dist::Communicator& comm);

}  // namespace mgeo::pipeline
