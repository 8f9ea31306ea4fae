#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "mgeo/cli/collective.h"
#include "mgeo/cli/commands.h"
#include "mgeo/cli/defaults.h"
#include "mgeo/cli/run_options.h"
#include "mgeo/dist/comm.h"
#include "mgeo/pipeline/score_job.h"
#include "mgeo/util/error.h"

namespace mgeo::cli {
namespace {

void run(const pipeline::ScoreJobOptions& opts, const dist::Communicator& comm) {
  if (comm.rank() == 0 && !opts.quiet) {
    fmt::print(stderr,
               "score: model={} input={} output={} ranks={} device={} precision={} batch={} "
               "token_budget={} sort_window={} max_length={} threads={} gather={} sharding={} chunk_rows={} "
               "dedup={} normalize={} explain={}\n",
               opts.model_dir, opts.input, opts.output, comm.size(), opts.device, opts.precision,
               opts.batch_size, opts.token_budget, opts.sort_window, opts.max_length, opts.threads,
               opts.gather, opts.sharding, opts.chunk_rows, opts.dedup ? "on" : "off", opts.normalize ? "on" : "off",
               opts.explain ? "on" : "off");
  }
  pipeline::run_score_job(opts, comm);
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto opts = std::make_shared<pipeline::ScoreJobOptions>();
  auto* cmd = app.add_subcommand("score", "Score address pairs (run under mpirun for several ranks)");
  cmd->add_option("--model", opts->model_dir, "Model directory (config.json, vocab.txt, weights)")
      ->default_str(default_model_dir());
  cmd->add_option("--input", opts->input, "Pairs file: .csv/.tsv/.h5/.parquet with columns id,addr1,addr2")
      ->required();
  cmd->add_option("--output", opts->output, "Scores file: .csv/.tsv/.h5/.parquet")->required();
  cmd->add_option("--metrics", opts->metrics_path, "Metrics JSON (default: <output>.metrics.json)");
  add_run_options(cmd, *opts);
  cmd->add_option("--token-budget", opts->token_budget, "Max padded tokens per batch (0: none)")
      ->capture_default_str();
  cmd->add_flag("--no-sort", [opts](int64_t) { opts->sort_by_length = false; },
                "Keep input order inside each window (no length bucketing; for comparisons)");
  cmd->add_option("--sort-window", opts->sort_window,
                  "Rows sorted by length together; shards start on multiples of it")
      ->capture_default_str();
  cmd->add_option("--sharding", opts->sharding,
                  "cyclic (rounds of chunks, output streamed), contiguous (one range per rank, one gather) or "
                  "dynamic (ranks take chunks from a shared counter)")
      ->capture_default_str();
  cmd->add_option("--dp", opts->dp,
                  "Split every batch over N threads of this rank, each with threads/N intra-op threads "
                  "(DataParallel-style; for comparisons)")
      ->capture_default_str();
  cmd->add_option("--prefetch", opts->prefetch,
                  "Read and tokenize the next piece while the current one is scored: auto (on CUDA), on, off")
      ->capture_default_str();
  cmd->add_option("--chunk-rows", opts->chunk_rows, "Max rows a rank scores between gathers (cyclic)")
      ->capture_default_str();
  cmd->add_flag("--no-dedup", [opts](int64_t) { opts->dedup = false; },
                "Score repeated identical pairs again (default: once per sort window)");
  cmd->add_option("--gather", opts->gather, "auto, mpi or nccl (nccl: CUDA tensors)")->capture_default_str();
  cmd->add_option("--score-label", opts->score_label, "Label whose probability is the score")
      ->capture_default_str();
  cmd->add_option("--max-field-bytes", opts->max_field_bytes, "Longer fields are flagged field_too_long")
      ->capture_default_str();
  cmd->add_option("--progress", opts->progress_seconds, "Seconds between progress lines (0: off)")
      ->capture_default_str();
  cmd->add_flag("--explain", opts->explain,
                "Add columns cmp_province ... cmp_room: parse(addr1) vs parse(addr2), equal/conflict/missing/none");
  cmd->add_option("--divisions", opts->divisions_dir,
                  "Divisions directory for --explain (default: $MGEO_DIVISIONS or data/divisions)");
  add_recovery_options(cmd, *opts);
  cmd->add_flag("--quiet", opts->quiet, "Print nothing but errors");
  cmd->callback([opts] {
    if (opts->model_dir.empty()) opts->model_dir = default_model_dir();
    run_collective([opts](const dist::Communicator& comm) { run(*opts, comm); });
  });
}

}  // namespace mgeo::cli
