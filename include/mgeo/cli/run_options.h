// mgeo/cli/run_options.h — the flags shared by the subcommands that run a model over pairs.
// Contract: registers --device, --precision, --batch-size, --max-length, --threads and
// --normalize on `cmd`, bound to the same-named fields of `opts` (pipeline::ScoreJobOptions,
// eval::EvalJobOptions), which must outlive the parse. Defaults shown are the fields' values.
// add_recovery_options() registers --resume, --no-journal and --stall-timeout (score, link,
// dedupe: the jobs that write their results through a journal).
#pragma once

#include <CLI/CLI.hpp>

namespace mgeo::cli {

template <class Options>
void add_run_options(CLI::App* cmd, Options& opts) {
  cmd->add_option("--device", opts.device, "auto, cpu or cuda")->capture_default_str();
  cmd->add_option("--precision", opts.precision, "fp32, fp16, bf16 or int8 (CPU: dynamic int8 linear layers)")->capture_default_str();
  cmd->add_option("--batch-size", opts.batch_size, "Max pairs per batch")->capture_default_str();
  cmd->add_option("--max-length", opts.max_length, "Max tokens per pair")->capture_default_str();
  cmd->add_option("--threads", opts.threads, "Intra-op threads per rank (0: cores / ranks)")->capture_default_str();
  cmd->add_flag("--normalize", opts.normalize,
                "Normalize addr1 and addr2 (full-width, numerals, building forms, noise) before tokenizing; "
                "changes the scores");
}

template <class Options>
void add_recovery_options(CLI::App* cmd, Options& opts) {
  cmd->add_flag("--resume", opts.resume,
                "Continue an interrupted run of the same command from the rounds kept in its journal "
                "(.<output>.journal); the result is that of an uninterrupted run");
  cmd->add_flag("--no-journal", [&opts](int64_t) { opts.journal = false; },
                "Keep no journal of finished rounds (the job cannot be resumed)");
  cmd->add_option("--stall-timeout", opts.stall_timeout_s,
                  "End the job when no rank has progressed for this many seconds (a stopped or hung rank); 0: never")
      ->capture_default_str();
}

}  // namespace mgeo::cli
