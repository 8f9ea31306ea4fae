// `link` and `dedupe`: the alignment jobs, sharing their flags.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "mgeo/align/dedupe_job.h"
#include "mgeo/align/link_job.h"
#include "mgeo/cli/collective.h"
#include "mgeo/cli/commands.h"
#include "mgeo/cli/defaults.h"
#include "mgeo/cli/run_options.h"
#include "mgeo/util/error.h"

namespace mgeo::cli {
namespace {

void set_vetoes(link::Vetoes& v, const std::vector<std::string>& off) {
  for (const auto& name : off) {
    if (name == "district") v.district = false;
    else if (name == "road") v.road = false;
    else if (name == "number") v.number = false;
    else if (name == "building") v.building = false;
    else if (name == "all") v = link::Vetoes{false, false, false, false};
    else fail("--no-veto takes district, road, number, building or all (got '{}')", name);
  }
}

// The flags link and dedupe share: model, blocking, decision and the engine's run flags.
void add_align_options(CLI::App* cmd, align::AlignOptions& o, std::vector<std::string>& off) {
  cmd->add_option("--model", o.run.model_dir, "Model directory (config.json, vocab.txt, weights)")
      ->default_str(default_model_dir());
  cmd->add_option("--top-k", o.top_k, "Candidates scored a row")->capture_default_str();
  cmd->add_option("--threshold", o.threshold, "Score a link needs (eval-link prints the F1-optimal one)")
      ->capture_default_str();
  cmd->add_option("--no-veto", off,
                  "Switch a veto off: district, road, number, building or all (repeatable; all on by default)");
  cmd->add_option("--metrics", o.metrics_path, "Metrics JSON (default: <output>.metrics.json)");
  cmd->add_option("--divisions", o.divisions_dir, "Divisions directory (default: $MGEO_DIVISIONS or data/divisions)");
  add_run_options(cmd, o.run);
  cmd->add_option("--score-label", o.run.score_label, "Label whose probability is the score")->capture_default_str();
  cmd->add_option("--sort-window", o.run.sort_window, "Pairs sorted by length together")->capture_default_str();
  cmd->add_option("--chunk-rows", o.run.chunk_rows, "Max pairs a rank scores between gathers")->capture_default_str();
  cmd->add_option("--block-cap", o.block.block_cap, "Key blocks larger than this fall back to the lexical pass")
      ->capture_default_str();
  cmd->add_option("--max-field-bytes", o.run.max_field_bytes, "Longer fields are flagged field_too_long")
      ->capture_default_str();
  cmd->add_option("--progress", o.run.progress_seconds, "Seconds between progress lines (0: off)")->capture_default_str();
  add_recovery_options(cmd, o.run);
  cmd->add_flag("--quiet", o.run.quiet, "Print nothing but errors");
}

// The callback both share: finish the options, then run `job` on every rank; rank 0 first
// prints the job's name, its files (`files`) and the shared settings.
template <class Options, class Files, class Job>
void run_align(const std::shared_ptr<Options>& opts, const std::vector<std::string>& off, const char* name,
               Files files, Job job) {
  if (opts->run.model_dir.empty()) opts->run.model_dir = default_model_dir();
  set_vetoes(opts->vetoes, off);
  run_collective([&](const dist::Communicator& comm) {
    if (comm.rank() == 0 && !opts->run.quiet)
      fmt::print(stderr, "{}: model={} {} ranks={} top_k={} threshold={} normalize={}\n", name, opts->run.model_dir,
                 files(*opts), comm.size(), opts->top_k, opts->threshold, opts->run.normalize ? "on" : "off");
    job(*opts, comm);
  });
}

}  // namespace

void add_link_command(CLI::App& app) {
  auto opts = std::make_shared<align::LinkJobOptions>();
  auto off = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand(
      "link", "Link each query address to its record in a master list: block, score, decide (run under mpirun for several ranks)");
  cmd->add_option("--master", opts->master, "Master list: .csv/.tsv/.h5/.parquet with columns id,address")->required();
  cmd->add_option("--queries", opts->queries, "Queries: .csv/.tsv/.h5/.parquet with columns id,address")->required();
  cmd->add_option("--output", opts->output, "Links: .csv/.tsv/.h5/.parquet, one row a query in query order")->required();
  cmd->add_option("--candidates-output", opts->candidates_output,
                  "Also write every scored candidate: query_id, master_id, rank, block_score, score, found_by");
  add_align_options(cmd, *opts, *off);
  cmd->callback([opts, off] {
    run_align(
        opts, *off, "link",
        [](const align::LinkJobOptions& o) { return fmt::format("master={} queries={} output={}", o.master, o.queries, o.output); },
        align::run_link_job);
  });
}

void add_dedupe_command(CLI::App& app) {
  auto opts = std::make_shared<align::DedupeJobOptions>();
  auto off = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand(
      "dedupe", "Cluster the rows of one address table into entities (run under mpirun for several ranks)");
  cmd->add_option("--input", opts->input, "Table: .csv/.tsv/.h5/.parquet with columns id,address")->required();
  cmd->add_option("--output", opts->output, "Clusters: every row with id, cluster_id, cluster_size, centre_id, status")
      ->required();
  cmd->add_option("--pairs-output", opts->pairs_output, "Also write every scored pair and its decision");
  cmd->add_option("--max-cluster-size", opts->cluster.max_cluster_size, "Largest cluster (0: no cap)")
      ->capture_default_str();
  add_align_options(cmd, *opts, *off);
  cmd->callback([opts, off] {
    run_align(
        opts, *off, "dedupe",
        [](const align::DedupeJobOptions& o) { return fmt::format("input={} output={}", o.input, o.output); },
        align::run_dedupe_job);
  });
}

}  // namespace mgeo::cli
