#include "mgeo/align/dedupe_job.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "candidate_pairs.h"
#include "decide_stage.h"
#include "pair_scores.h"
#include "mgeo/address/compare.h"
#include "mgeo/address/parser.h"
#include "mgeo/align/address_table.h"
#include "mgeo/align/block_stage.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/output_paths.h"
#include "mgeo/io/table_writer.h"
#include "mgeo/pipeline/device.h"
#include "mgeo/util/error.h"
#include "stage_report.h"

namespace mgeo::align {
namespace {

void check_options(const DedupeJobOptions& o) {
  MGEO_CHECK(!o.input.empty() && !o.output.empty(), "dedupe: --input and --output are required");
  check_align_options(o, "dedupe");
  io::check_outputs({{"--input", o.input}},
                    {{"--output", o.output},
                     {"--pairs-output", o.pairs_output},
                     {"--metrics", pipeline::metrics_file(o.metrics_path, o.output)}});
}

// An address specific enough to join a cluster: it names a road, number, poi or building.
bool specific(const address::Address& a) {
  return !a.road.empty() || !a.number.empty() || !a.poi.empty() || !a.building.empty();
}

}  // namespace

void run_dedupe_job(const DedupeJobOptions& o, const dist::Communicator& comm) {
  check_options(o);
  const bool talk = comm.rank() == 0 && !o.run.quiet;
  Stopwatch wall;
  detail::StageClock clock({"read", "index", "block", "score", "cluster"});
  enum { kRead, kIndex, kBlock, kScore, kCluster };

  std::unique_ptr<io::TableWriter> out, pair_rows;
  if (comm.rank() == 0) {
    out = std::make_unique<io::TableWriter>(
        o.output, std::vector<std::string>{"id", "cluster_id", "cluster_size", "centre_id", "status"});
    if (!o.pairs_output.empty())
      pair_rows = std::make_unique<io::TableWriter>(
          o.pairs_output,
          std::vector<std::string>{"id_a", "id_b", "score", "label", "block_score", "found_by", "decision"});
  }

  const AddressTable table = read_address_table(o.input, o.run.max_field_bytes);
  for (const io::TableWriter* w : {out.get(), pair_rows.get()})
    if (w != nullptr) require_writable_ids(table, *w);
  const auto parser = address::Parser::from_directory(o.divisions_dir);
  clock.end(kRead);
  if (talk) fmt::print(stderr, "dedupe: {} rows ({} flagged)\n", table.size(), table.flagged());
  const MasterIndex index = build_index(parser, table, o.block);
  clock.end(kIndex);
  BlockOptions bo;
  bo.k = o.top_k;
  bo.skip_self = true;
  bo.threads = o.run.threads > 0 ? o.run.threads : pipeline::default_threads(comm);
  const RowPairs pairs = symmetric_pairs(block_queries(index, table, bo, comm));
  clock.end(kBlock);
  if (talk)
    fmt::print(stderr, "dedupe: {} distinct candidate pairs ({:.2f} a row)\n", pairs.size(),
               pairs.size() / std::max<double>(1, table.size()));

  detail::CandidatePairs source(table, table, pairs.a, pairs.b);
  pipeline::ScoreJobOptions run = o.run;
  run.input = o.input;
  run.output = o.output;
  run.explain = false;
  if (run.journal) run.journal_path = pipeline::journal_file(o.output);
  MGEO_CHECK(!run.resume || run.journal, "--resume needs the journal (drop --no-journal)");
  std::unique_ptr<pipeline::Journal> journal;  // the scores, until the outputs are committed
  detail::PairScores scores;
  pipeline::JobReport report;
  pipeline::score_stream(
      run, comm, &report, &source,
      [&](const std::vector<std::string>& labels, int score_label) { scores.open(labels, score_label); },
      [&](io::ScoreTable&& block) { scores.append(block); }, &journal);
  clock.end(kScore);

  nlohmann::json j;
  if (comm.rank() == 0) {
    MGEO_CHECK(scores.size() == pairs.size(), "dedupe: {} scores for {} pairs", scores.size(), pairs.size());
    // Rows are parsed once for the vetoes (those in pairs that pass the threshold) and
    // reused for eligibility; the other rows are parsed for eligibility alone.
    std::vector<std::unique_ptr<address::Address>> parsed(table.size());
    auto parse = [&](uint32_t r) -> const address::Address& {
      if (!parsed[r]) parsed[r] = std::make_unique<address::Address>(parser.parse(table.addresses[r]));
      return *parsed[r];
    };
    std::vector<link::ScoredEdge> edges;
    std::array<int64_t, link::kReasonCount> decisions{};
    std::vector<std::string> cells;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const float score = scores.score[p];
      link::Reason r = link::Reason::below_threshold;
      if ((std::isnan(score) ? -1.0f : score) >= o.threshold) {
        r = link::veto(address::compare(parse(pairs.a[p]), parse(pairs.b[p])), o.vetoes);
        if (r == link::Reason::model) edges.push_back({pairs.a[p], pairs.b[p], score});
      }
      ++decisions[static_cast<std::size_t>(r)];
      if (pair_rows) {
        cells = {table.ids[pairs.a[p]], table.ids[pairs.b[p]], std::isnan(score) ? "" : fmt::format("{}", score),
                 scores.label_name(p), fmt::format("{}", pairs.block_score[p]), detail::found_by_names(pairs.found_by[p]),
                 r == link::Reason::model ? "link" : link::reason_name(r)};
        pair_rows->add(std::vector<std::string_view>(cells.begin(), cells.end()));
      }
    }
    // Which rows may join a cluster.
    std::vector<bool> eligible(table.size(), false);
    int64_t generic = 0;
    for (std::size_t r = 0; r < table.size(); ++r) {
      if (!table.ok(r)) continue;
      eligible[r] = parsed[r] ? specific(*parsed[r]) : specific(parser.parse(table.addresses[r]));
      generic += !eligible[r];
    }
    parsed.clear();
    const auto c = link::cluster_rows(static_cast<uint32_t>(table.size()), edges, eligible, o.cluster);
    for (std::size_t r = 0; r < table.size(); ++r) {
      const std::string status =
          table.ok(r) && !eligible[r] ? std::string("generic_address") : std::string(io::status_name(table.status[r]));
      cells = {table.ids[r], std::to_string(c.cluster[r]), std::to_string(c.size[r]), table.ids[c.centre[r]], status};
      out->add(std::vector<std::string_view>(cells.begin(), cells.end()));
    }
    out->close();
    if (pair_rows) pair_rows->close();
    if (journal) journal->remove();
    nlohmann::json d;
    for (int r = 0; r < link::kReasonCount; ++r)
      if (decisions[static_cast<std::size_t>(r)] > 0)
        d[r == 0 ? "link" : link::reason_name(static_cast<link::Reason>(r))] = decisions[static_cast<std::size_t>(r)];
    j["decisions"] = d;
    j["rows"] = {{"total", table.size()}, {"flagged", table.flagged()}, {"generic", generic}};
    j["clusters"] = {{"clusters", c.stats.clusters}, {"singletons", c.stats.singletons}, {"largest", c.stats.largest},
                     {"links", c.stats.edges}, {"links_used", c.stats.edges_used}, {"split_off", c.stats.split_off},
                     {"ineligible_linked", c.stats.ineligible_linked}};
    if (talk)
      fmt::print(stderr, "dedupe: {} links -> {} clusters ({} singletons, largest {}, {} rows split off by the star "
                 "rule, {} generic rows kept alone)\n", edges.size(), c.stats.clusters, c.stats.singletons,
                 c.stats.largest, c.stats.split_off, generic);
  }
  clock.end(kCluster);
  const nlohmann::json stages = clock.gather(comm);
  if (comm.rank() != 0) return;
  j["job"] = "dedupe";
  j["input"] = o.input, j["output"] = o.output;
  j["world"] = comm.size();
  j["options"] = options_json(o);
  j["max_cluster_size"] = o.cluster.max_cluster_size;
  j["pairs"] = pairs.size();
  j["index_bytes"] = index.index->stats().bytes;
  j["stages"] = stages["stages"];
  j["ranks"] = stages["ranks"];
  j["score"] = pipeline::to_json(report);
  j["wall_s"] = wall.seconds();
  const std::string path = pipeline::metrics_file(o.metrics_path, o.output);
  io::write_file_atomic(path, j.dump(2) + "\n");
  if (!o.run.quiet)
    fmt::print(stderr, "dedupe: {:.2f}s on {} rank(s); wrote {}{}{} and {}\n", wall.seconds(), comm.size(), o.output,
               o.pairs_output.empty() ? "" : ", ", o.pairs_output, path);
}

}  // namespace mgeo::align
