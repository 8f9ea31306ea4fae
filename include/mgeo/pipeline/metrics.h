// mgeo/pipeline/metrics.h — per-rank figures of a scoring run and their JSON report.
//
// Contract: plain value types; to_vector/from_vector give a fixed-width double encoding
// so ranks can gather them with one MPI call. Thread-compatible.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mgeo::pipeline {

struct RankMetrics {
  int rank = 0;
  int64_t rows = 0;           // rows in this rank's shard
  int64_t pairs = 0;          // rows scored (status ok after reading)
  int64_t tokens = 0;         // real tokens fed to the model
  int64_t padded_tokens = 0;  // positions computed, padding included
  int64_t batches = 0;
  int64_t repeats = 0;        // pairs answered from an identical pair in the same window
  double read_s = 0, tokenize_s = 0, forward_s = 0, gather_s = 0, write_s = 0, total_s = 0;
  double wait_s = 0;          // waiting for the other ranks before each gather (imbalance)
  // gather_s: the gathers plus, on rank 0, the repeated-id check and the hand-off to the
  // writer; write_s: rank 0's writer thread appending and committing (it overlaps scoring).
  double peak_rss_mb = 0;     // the process's peak resident memory (getrusage), MiB
  // The same peak when the job began, before the model was loaded: what the process and its
  // libraries held already (peak_rss_mb - start_rss_mb is what the job itself added).
  double start_rss_mb = 0;

  static constexpr std::size_t kWidth = 16;
  std::vector<double> to_vector() const;
  static RankMetrics from_vector(const double* v);
  double padding_fraction() const;
  double pairs_per_s() const;
};

struct JobReport {
  std::string input, output, model, device, precision, sharding;
  int64_t rounds = 0, chunk_rows = 0;  // gathers, and the largest chunk a rank scores between them
  int world = 1;
  int64_t batch_size = 0, max_length = 0, threads = 0;
  double wall_s = 0;
  bool normalize = false, explain = false;  // the score job's --normalize and --explain
  int64_t resumed_rows = 0;                 // rows taken from the journal of an earlier run (--resume)
  std::vector<RankMetrics> ranks;
  std::map<std::string, int64_t> status_counts;
};

nlohmann::json to_json(const JobReport& r);
std::string format_rank_line(const RankMetrics& m);

}  // namespace mgeo::pipeline
