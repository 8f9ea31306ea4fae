#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "mgeo/cli/commands.h"
#include "mgeo/eval/link_eval.h"
#include "mgeo/eval/png.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace mgeo::cli {
namespace {

struct EvalLinkArgs {
  std::string links, clusters, truth, candidates, output_dir;
};

std::string make_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  MGEO_CHECK(!ec, "eval-link: cannot create output directory {}: {}", dir, ec.message());
  return dir;
}

std::string join_path(const std::string& dir, const char* name) { return (std::filesystem::path(dir) / name).string(); }

std::string counts_line(const std::map<std::string, int64_t>& counts) {
  std::string s;
  for (const auto& [value, n] : counts) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", value.empty() ? "(empty)" : value, n);
  return s;
}

void print_links(const eval::LinkMetrics& m, const std::optional<eval::CandidateMetrics>& c) {
  fmt::print(stderr, "eval-link: {} queries ({} with a true master), {} linked: P {:.4f} R {:.4f} F1 {:.4f}, accuracy {:.4f}\n",
             m.queries, m.with_master, m.linked, m.precision, m.recall, m.f1, m.accuracy);
  fmt::print(stderr, "eval-link: TP {}, FP {} ({} to a wrong master, {} without a true master), FN {} ({} unlinked)\n",
             m.tp, m.fp, m.fp_wrong_master, m.fp_no_master, m.fn, m.fn_unlinked);
  const auto& b = m.best;
  fmt::print(stderr, "eval-link: score >= t on the best candidate: best F1 {:.4f} at t={:.4f} (P {:.4f} R {:.4f}); "
             "best candidate right for {:.4f} of queries with a master\n",
             b.f1, b.threshold, b.precision, b.recall, m.best_id_recall);
  if (!m.reasons.empty()) fmt::print(stderr, "eval-link: reasons: {}\n", counts_line(m.reasons));
  if (c) {
    std::string at;
    for (const auto& [k, r] : c->recall_at) at += fmt::format(" @{} {:.4f}", k, r);
    fmt::print(stderr, "eval-link: candidates: recall {:.4f} ({} of {});{}; {:.2f} per query, at most {}\n", c->recall,
               c->found, c->with_master, at, c->mean_per_query, c->max_per_query);
  }
}

void run_links(const EvalLinkArgs& a) {
  const Stopwatch clock;
  const auto truth = eval::read_link_truth(a.truth);
  const auto metrics = eval::compute_link_metrics(eval::read_links(a.links), truth);
  std::optional<eval::CandidateMetrics> cands;
  if (!a.candidates.empty()) {
    eval::CandidateCounter counter(truth);
    eval::read_candidates(a.candidates, counter);
    cands = counter.finish();
  }
  const std::string dir = make_dir(a.output_dir.empty() ? a.links + ".eval" : a.output_dir);
  const std::string json_path = join_path(dir, "eval_link.json"), png_path = join_path(dir, "eval_link.png");
  nlohmann::json j = {{"inputs", {{"links", a.links}, {"truth", a.truth}, {"candidates", nullptr}}}};
  if (cands) j["inputs"]["candidates"] = a.candidates;
  j.update(eval::to_json(metrics));
  if (cands) j["candidates"] = eval::to_json(*cands);
  j["files"] = {{"json", json_path}, {"plot", png_path}};
  eval::write_png(png_path, eval::render_link_plot(metrics));
  io::write_file_atomic(json_path, j.dump(2) + "\n");
  print_links(metrics, cands);
  fmt::print(stderr, "eval-link: wrote {} and {} in {:.2f} s\n", json_path, png_path, clock.seconds());
}

void run_clusters(const EvalLinkArgs& a) {
  const Stopwatch clock;
  const auto m = eval::compute_cluster_metrics(eval::read_clusters(a.clusters), eval::read_entities(a.truth));
  const std::string dir = make_dir(a.output_dir.empty() ? a.clusters + ".eval" : a.output_dir);
  const std::string json_path = join_path(dir, "eval_clusters.json");
  nlohmann::json j = {{"inputs", {{"clusters", a.clusters}, {"truth", a.truth}}}};
  j.update(eval::to_json(m));
  io::write_file_atomic(json_path, j.dump(2) + "\n");
  fmt::print(stderr, "eval-link: {} rows in {} clusters (largest {}), {} true entities (largest {})\n", m.rows,
             m.clusters, m.largest_cluster, m.entities, m.largest_entity);
  fmt::print(stderr, "eval-link: pairwise P {:.4f} R {:.4f} F1 {:.4f} ({} predicted pairs, {} true, {} both)\n",
             m.precision, m.recall, m.f1, m.predicted_pairs, m.true_pairs, m.correct_pairs);
  fmt::print(stderr, "eval-link: wrote {} in {:.2f} s\n", json_path, clock.seconds());
}

}  // namespace

void add_eval_link_command(CLI::App& app) {
  auto args = std::make_shared<EvalLinkArgs>();
  auto* cmd = app.add_subcommand(
      "eval-link", "Measure links (query -> master, with --links) or clusters (dedupe, with --clusters) against the truth");
  auto* links = cmd->add_option("--links", args->links,
                                "Links .csv/.tsv: columns query_id, master_id, score, best_id (reason, status counted)");
  auto* clusters = cmd->add_option("--clusters", args->clusters, "Clusters .csv/.tsv: columns id, cluster_id");
  cmd->add_option("--truth", args->truth,
                  "Truth .csv/.tsv: query_id, master_id (with --links) or id, entity_id (with --clusters)")
      ->required();
  auto* cands = cmd->add_option("--candidates", args->candidates,
                                "--links: candidate pairs .csv/.tsv (query_id, master_id, rank) for candidate recall@k");
  cmd->add_option("--output-dir", args->output_dir,
                  "Directory for eval_link.json and eval_link.png, or eval_clusters.json (default: <links or clusters>.eval)");
  links->excludes(clusters);
  cands->excludes(clusters);
  cmd->callback([args, links, clusters] {
    if (links->count() + clusters->count() != 1)
      throw CLI::ValidationError("eval-link", "give exactly one of --links and --clusters");
    if (links->count()) {
      run_links(*args);
    } else {
      run_clusters(*args);
    }
  });
}

}  // namespace mgeo::cli
