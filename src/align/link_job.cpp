#include "mgeo/align/link_job.h"

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "candidate_pairs.h"
#include "decide_stage.h"
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

std::vector<std::string> link_columns() {
  std::vector<std::string> c = {"query_id", "master_id", "score", "label", "second_id", "second_score", "best_id"};
  for (const auto& name : pipeline::explain_columns()) c.push_back(name);
  c.emplace_back("reason");
  c.emplace_back("status");
  return c;
}

std::vector<std::string> candidate_columns() {
  return {"query_id", "master_id", "rank", "block_score", "score", "found_by"};
}

namespace {

void check_options(const LinkJobOptions& o) {
  MGEO_CHECK(!o.master.empty() && !o.queries.empty() && !o.output.empty(), "link: --master, --queries and --output are required");
  check_align_options(o, "link");
  io::check_outputs({{"--master", o.master}, {"--queries", o.queries}},
                    {{"--output", o.output},
                     {"--candidates-output", o.candidates_output},
                     {"--metrics", pipeline::metrics_file(o.metrics_path, o.output)}});
}

}  // namespace

void run_link_job(const LinkJobOptions& o, const dist::Communicator& comm) {
  check_options(o);
  const bool talk = comm.rank() == 0 && !o.run.quiet;
  Stopwatch wall;
  detail::StageClock clock({"read", "index", "block", "score", "write"});
  enum { kRead, kIndex, kBlock, kScore, kWrite };

  // Rank 0 opens its outputs first, so a bad output path fails before any work.
  std::unique_ptr<io::TableWriter> links, candidate_rows;
  if (comm.rank() == 0) {
    links = std::make_unique<io::TableWriter>(o.output, link_columns());
    if (!o.candidates_output.empty())
      candidate_rows = std::make_unique<io::TableWriter>(o.candidates_output, candidate_columns());
  }

  const AddressTable masters = read_address_table(o.master, o.run.max_field_bytes);
  const AddressTable queries = read_address_table(o.queries, o.run.max_field_bytes);
  for (const io::TableWriter* w : {links.get(), candidate_rows.get()})
    if (w != nullptr)
      for (const AddressTable* t : {&masters, &queries}) require_writable_ids(*t, *w);
  const auto parser = address::Parser::from_directory(o.divisions_dir);
  clock.end(kRead);
  if (talk)
    fmt::print(stderr, "link: {} masters ({} flagged, left out of the index), {} queries ({} flagged)\n",
               masters.size(), masters.flagged(), queries.size(), queries.flagged());

  const MasterIndex index = build_index(parser, masters, o.block);
  clock.end(kIndex);
  const int threads = o.run.threads > 0 ? o.run.threads : pipeline::default_threads(comm);
  BlockOptions bo;
  bo.k = o.top_k;
  bo.threads = threads;
  const CandidateLists cands = block_queries(index, queries, bo, comm);
  clock.end(kBlock);
  int64_t without = 0;
  for (std::size_t q = 0; q < cands.queries(); ++q) without += queries.ok(q) && cands.end(q) == cands.begin(q);
  if (talk)
    fmt::print(stderr, "link: index of {} masters ({:.1f} MiB) in {:.2f}s; {} candidate pairs ({:.2f} a query, {} "
               "queries with none)\n", index.index->size(), index.index->stats().bytes / 1048576.0,
               wall.seconds(), cands.pairs(), cands.pairs() / std::max<double>(1, queries.size()), without);

  // Score the pairs: the query is addr1, the master addr2.
  std::vector<uint32_t> query_of(static_cast<std::size_t>(cands.pairs()));
  for (std::size_t q = 0; q < cands.queries(); ++q)
    for (int64_t p = cands.begin(q); p < cands.end(q); ++p) query_of[static_cast<std::size_t>(p)] = static_cast<uint32_t>(q);
  detail::CandidatePairs pairs(queries, masters, query_of, cands.row);
  pipeline::ScoreJobOptions run = o.run;
  run.input = o.queries;
  run.output = o.output;
  run.explain = false;
  if (run.journal) run.journal_path = pipeline::journal_file(o.output);
  MGEO_CHECK(!run.resume || run.journal, "--resume needs the journal (drop --no-journal)");
  std::unique_ptr<pipeline::Journal> journal;  // the scores, until the outputs are committed
  std::optional<detail::LinkDecider> decider;
  if (comm.rank() == 0)
    decider.emplace(queries, masters, cands, parser, o.vetoes, o.threshold, *links, candidate_rows.get());
  pipeline::JobReport report;
  pipeline::score_stream(
      run, comm, &report, &pairs,
      [&](const std::vector<std::string>& labels, int score_label) { decider->open(labels, score_label); },
      [&](io::ScoreTable&& block) { decider->take(block); }, &journal);
  clock.end(kScore);
  if (decider) {
    decider->finish();
    links->close();
    if (candidate_rows) candidate_rows->close();
    if (journal) journal->remove();
  }
  clock.end(kWrite);
  const nlohmann::json stages = clock.gather(comm);
  if (comm.rank() != 0) return;

  const auto& c = decider->counts();
  nlohmann::json j;
  j["job"] = "link";
  j["master"] = o.master, j["queries"] = o.queries, j["output"] = o.output;
  j["world"] = comm.size();
  j["options"] = options_json(o);
  j["masters"] = {{"rows", masters.size()}, {"flagged", masters.flagged()}, {"indexed", index.index->size()},
                  {"index_bytes", index.index->stats().bytes},
                  {"index_bytes_per_row", index.index->stats().bytes / std::max<double>(1, index.index->size())}};
  j["queries"] = {{"rows", queries.size()}, {"flagged", queries.flagged()}, {"without_candidates", without}};
  j["candidates"] = {{"pairs", cands.pairs()}, {"per_query", cands.pairs() / std::max<double>(1, queries.size())}};
  nlohmann::json reasons, found;
  for (int r = 0; r < link::kReasonCount; ++r)
    reasons[link::reason_name(static_cast<link::Reason>(r))] = c.reasons[static_cast<std::size_t>(r)];
  for (int b = 0; b < link::kPassCount; ++b) found[link::pass_name(b)] = c.linked_found_by[static_cast<std::size_t>(b)];
  j["links"] = c.links;
  j["reasons"] = reasons;
  j["links_found_by"] = found;
  j["parsed_for_decisions"] = c.parsed_masters;
  j["stages"] = stages["stages"];
  j["ranks"] = stages["ranks"];
  j["score"] = pipeline::to_json(report);
  j["wall_s"] = wall.seconds();
  const std::string path = pipeline::metrics_file(o.metrics_path, o.output);
  io::write_file_atomic(path, j.dump(2) + "\n");
  if (!o.run.quiet) {
    fmt::print(stderr, "link: {} queries, {} linked; not linked:", queries.size(), c.links);
    for (int r = 1; r < link::kReasonCount; ++r)
      if (c.reasons[static_cast<std::size_t>(r)] > 0)
        fmt::print(stderr, " {}={}", link::reason_name(static_cast<link::Reason>(r)), c.reasons[static_cast<std::size_t>(r)]);
    fmt::print(stderr, "\nlink: {:.2f}s on {} rank(s); wrote {}{}{} and {}\n", wall.seconds(), comm.size(), o.output,
               o.candidates_output.empty() ? "" : ", ", o.candidates_output, path);
  }
}

}  // namespace mgeo::align
