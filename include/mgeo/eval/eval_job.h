// mgeo/eval/eval_job.h — the `eval` job: score labelled pairs and measure the model.
//
// Contract: collective over `comm`; scoring is pipeline::score_pairs, sharded exactly
// like `score`. Every rank first checks that the input has a `label` column (else
// mgeo::Error naming the file). Rank 0 reads it and evaluates the rows whose status is
// ok or duplicate_id and whose label (ASCII white space trimmed) is one of the model's
// labels; flagged rows (any other status) and unlabelled rows (empty or unknown label)
// are counted and reported, not evaluated; a flagged row counts as flagged only. With
// no row left to evaluate it throws mgeo::Error naming the file. Rank 0 writes into
// out_dir (created when missing; default "<input>.eval"): eval.json (metrics, counts,
// model, input, scoring figures), scores.csv (the score file of `score`, with the
// match label's probability as the score) and eval.png (plot.h), each file complete or
// absent, and prints a summary to stderr unless quiet.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mgeo/dist/comm.h"

namespace mgeo::eval {

struct EvalJobOptions {
  std::string model_dir;
  std::string input;                     // pairs with columns id, addr1, addr2, label
  std::string out_dir;                   // default: <input>.eval
  std::string device = "auto";           // auto | cpu | cuda
  std::string precision = "fp32";        // fp32 | fp16 | bf16
  std::string match_label = "exact_match";
  int64_t batch_size = 64;
  int max_length = 128;
  int threads = 0;                       // 0: cores / ranks on the node
  bool normalize = false;                // score normalized addresses (ScoreJobOptions::normalize)
  bool quiet = false;
};

struct LabelColumn {
  std::vector<int> ids;                    // model label id per row, -1 when empty or unknown
  std::map<std::string, int64_t> unknown;  // unknown non-empty values and their counts
};

// Pure: maps each value of a label column to its index in `labels`.
LabelColumn map_labels(const std::vector<std::string>& column, const std::vector<std::string>& labels);

void run_eval_job(const EvalJobOptions& opts, const dist::Communicator& comm);

}  // namespace mgeo::eval
