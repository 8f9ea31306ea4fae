// mgeo/align/options.h — what the link and dedupe jobs share: the score engine's run flags,
// blocking, and the decision (threshold and vetoes).
//
// Contract: plain values. check_align_options() throws mgeo::Error naming the job and the
// flag for a value out of range; options_json() is the part of a job's metrics JSON that
// records them. Thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>

#include "mgeo/link/block_index.h"
#include "mgeo/link/decide.h"
#include "mgeo/pipeline/score_job.h"

namespace mgeo::align {

struct AlignOptions {
  // The engine's run flags (model_dir, device, precision, batch_size, threads, normalize,
  // score_label, sort_window, chunk_rows, progress_seconds, quiet, ...); its input,
  // output, explain and metrics_path are not used.
  pipeline::ScoreJobOptions run;
  std::string metrics_path;   // empty: <output>.metrics.json
  std::string divisions_dir;  // empty: synth::default_divisions_dir()
  std::size_t top_k = 10;     // candidates scored a row
  float threshold = 0.3f;     // score a link needs (calibrated: RESULTS.md, "Linking")
  link::Vetoes vetoes;
  link::BlockOptions block;
};

void check_align_options(const AlignOptions& o, const char* job);

// {"model", "top_k", "threshold", "vetoes": {...}, "normalize", "block_cap"}
nlohmann::json options_json(const AlignOptions& o);

}  // namespace mgeo::align
