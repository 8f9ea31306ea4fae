#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "mgeo/cli/commands.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/pair_writer.h"
#include "mgeo/io/records.h"
#include "mgeo/synth/divisions.h"
#include "mgeo/synth/generator.h"
#include "mgeo/synth/link_set.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace mgeo::cli {
namespace {

struct SynthArgs {
  uint64_t pairs = 0;
  uint64_t seed = 1;
  std::string output;
  std::string divisions;  // empty: synth::default_divisions_dir()
  unsigned threads = 0;   // 0: one per core
  synth::GeneratorOptions fractions;
  // --link: a master list, queries and their truth instead of pairs.
  bool link = false;
  int64_t masters = 0, queries = 0;
  double near_miss = 0.3;
  std::string output_dir;
};

// One CSV row, each field quoted when it needs to be.
void append_row(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (const auto f : fields) {
    if (!first) out += ',';
    first = false;
    static_cast<void>(io::append_field(out, f, io::kCsv));  // never false: CSV can quote any text
  }
  out += '\n';
}

// master.csv (id,address), queries.csv (id,address) and truth.csv (query_id,master_id;
// master_id empty for a near miss), and the same rows as a dedupe set: dedupe.csv
// (id,address: the masters, then the queries) and dedupe_truth.csv (id,entity_id: a
// master is its own entity, an exact query its true master's, a near miss its own).
// Each file is written all or nothing.
void run_link(const SynthArgs& args) {
  MGEO_CHECK(args.masters >= 1, "synth --link: --master must be at least 1");
  MGEO_CHECK(!args.output_dir.empty(), "synth --link: --output-dir is required");
  const Stopwatch clock;
  const std::string dir = args.divisions.empty() ? synth::default_divisions_dir() : args.divisions;
  const synth::Divisions divisions = synth::Divisions::load(dir);
  const synth::LinkSet set = synth::make_link_set(divisions, args.seed, args.masters, args.queries, args.near_miss);
  std::error_code ec;
  std::filesystem::create_directories(args.output_dir, ec);
  MGEO_CHECK(!ec, "synth --link: cannot create {}: {}", args.output_dir, ec.message());
  std::string master = "id,address\n", queries = "id,address\n", truth = "query_id,master_id\n";
  std::string dedupe = "id,address\n", dedupe_truth = "id,entity_id\n";
  for (const auto& m : set.masters) {
    append_row(master, {m.id, m.address});
    append_row(dedupe_truth, {m.id, m.id});
  }
  dedupe += std::string_view(master).substr(master.find('\n') + 1);
  int64_t near = 0;
  for (const auto& q : set.queries) {
    const std::string_view true_master =
        q.master >= 0 ? std::string_view(set.masters[static_cast<std::size_t>(q.master)].id) : std::string_view();
    append_row(queries, {q.id, q.address});
    append_row(truth, {q.id, true_master});
    append_row(dedupe_truth, {q.id, q.master >= 0 ? true_master : std::string_view(q.id)});
    near += q.master < 0;
  }
  dedupe += std::string_view(queries).substr(queries.find('\n') + 1);
  const std::filesystem::path out(args.output_dir);
  io::write_file_atomic((out / "master.csv").string(), master);
  io::write_file_atomic((out / "queries.csv").string(), queries);
  io::write_file_atomic((out / "truth.csv").string(), truth);
  io::write_file_atomic((out / "dedupe.csv").string(), dedupe);
  io::write_file_atomic((out / "dedupe_truth.csv").string(), dedupe_truth);
  fmt::print(stderr, "synth --link: {} masters, {} queries ({} near misses) seed {} -> {} in {:.2f} s\n",
             set.masters.size(), set.queries.size(), near, args.seed, args.output_dir, clock.seconds());
}

void run(const SynthArgs& args) {
  if (args.link) return run_link(args);
  const Stopwatch clock;
  const std::string dir = args.divisions.empty() ? synth::default_divisions_dir() : args.divisions;
  const synth::Divisions divisions = synth::Divisions::load(dir);
  const double load_s = clock.seconds();
  const synth::Generator gen(divisions, args.seed, args.fractions);

  io::PairWriter writer(args.output, /*with_label=*/true);
  std::array<uint64_t, 3> counts{};
  synth::generate(gen, 0, args.pairs, args.threads, [&](const synth::Pair& p) {
    writer.add(synth::pair_id(p.index), p.addr1, p.addr2, synth::label_name(p.label));
    ++counts[static_cast<std::size_t>(p.label)];
  });
  writer.close();
  fmt::print(stderr, "synth: {} pairs (exact_match {}, partial_match {}, not_match {}) seed {} -> {} in {:.2f} s (divisions {:.2f} s)\n",
             args.pairs, counts[0], counts[1], counts[2], args.seed, args.output, clock.seconds(), load_s);
}

}  // namespace

void add_synth_command(CLI::App& app) {
  auto args = std::make_shared<SynthArgs>();
  auto* cmd = app.add_subcommand("synth", "Generate labelled synthetic address pairs (or, with --link, a master list, queries and their truth) from real divisions");
  auto* pairs = cmd->add_option("--pairs", args->pairs, "Number of pairs (required without --link)");
  cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same pairs")->capture_default_str();
  auto* output = cmd->add_option("--output", args->output, "Output file (.csv, .tsv, .h5 or .parquet; required without --link)");
  cmd->add_option("--divisions", args->divisions, "Divisions directory (default: $MGEO_DIVISIONS or data/divisions)");
  cmd->add_option("--threads", args->threads, "Worker threads (0: one per core)")->capture_default_str();
  cmd->add_option("--exact", args->fractions.exact, "Fraction of exact_match pairs")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--partial", args->fractions.partial, "Fraction of partial_match pairs (not_match: the rest)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--link", args->link, "Make a link set (master.csv, queries.csv, truth.csv) and a dedupe set (dedupe.csv, dedupe_truth.csv) in --output-dir");
  cmd->add_option("--master", args->masters, "--link: master rows (distinct places)");
  cmd->add_option("--queries", args->queries, "--link: query rows")->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_option("--near-miss", args->near_miss, "--link: fraction of queries with no true master")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--output-dir", args->output_dir, "--link: output directory");
  cmd->callback([args, pairs, output] {
    if (!args->link && (pairs->count() == 0 || output->count() == 0)) {
      throw CLI::ValidationError("synth", "--pairs and --output are required (or --link with --master, --queries and --output-dir)");
    }
    run(*args);
  });
}

}  // namespace mgeo::cli
