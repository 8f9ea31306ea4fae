#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "mgeo/cli/collective.h"
#include "mgeo/cli/commands.h"
#include "mgeo/cli/defaults.h"
#include "mgeo/cli/run_options.h"
#include "mgeo/dist/comm.h"
#include "mgeo/eval/eval_job.h"
#include "mgeo/util/error.h"

namespace mgeo::cli {
namespace {

void run(const eval::EvalJobOptions& opts, const dist::Communicator& comm) {
  if (comm.rank() == 0 && !opts.quiet) {
    fmt::print(stderr, "eval: model={} input={} out_dir={} ranks={} device={} precision={} batch={} max_length={} "
               "threads={} match_label={} normalize={}\n",
               opts.model_dir, opts.input, opts.out_dir.empty() ? opts.input + ".eval" : opts.out_dir, comm.size(),
               opts.device, opts.precision, opts.batch_size, opts.max_length, opts.threads, opts.match_label,
               opts.normalize ? "on" : "off");
  }
  eval::run_eval_job(opts, comm);
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto opts = std::make_shared<eval::EvalJobOptions>();
  auto* cmd = app.add_subcommand("eval", "Evaluate a model on labelled pairs (run under mpirun for several ranks)");
  cmd->add_option("--model", opts->model_dir, "Model directory (config.json, vocab.txt, weights)")
      ->default_str(default_model_dir());
  cmd->add_option("--input", opts->input, "Labelled pairs: .csv/.tsv/.h5/.parquet with columns id,addr1,addr2,label")
      ->required();
  cmd->add_option("--out-dir", opts->out_dir, "Directory for eval.json, scores.csv, eval.png (default: <input>.eval)");
  cmd->add_option("--match-label", opts->match_label, "Label meaning \"same place\" (positive class, score)")
      ->capture_default_str();
  add_run_options(cmd, *opts);
  cmd->add_flag("--quiet", opts->quiet, "Print nothing but errors");
  cmd->callback([opts] {
    if (opts->model_dir.empty()) opts->model_dir = default_model_dir();
    run_collective([opts](const dist::Communicator& comm) { run(*opts, comm); });
  });
}

}  // namespace mgeo::cli
