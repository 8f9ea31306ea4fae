#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "mgeo/cli/commands.h"
#include "mgeo/io/pair_writer.h"
#include "mgeo/synth/divisions.h"
#include "mgeo/synth/generator.h"
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
};

void run(const SynthArgs& args) {
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
  auto* cmd = app.add_subcommand("synth", "Generate labelled synthetic address pairs from real divisions");
  cmd->add_option("--pairs", args->pairs, "Number of pairs")->required();
  cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same pairs")->capture_default_str();
  cmd->add_option("--output", args->output, "Output file (.csv, .tsv or .h5)")->required();
  cmd->add_option("--divisions", args->divisions, "Divisions directory (default: $MGEO_DIVISIONS or data/divisions)");
  cmd->add_option("--threads", args->threads, "Worker threads (0: one per core)")->capture_default_str();
  cmd->add_option("--exact", args->fractions.exact, "Fraction of exact_match pairs")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--partial", args->fractions.partial, "Fraction of partial_match pairs (not_match: the rest)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->callback([args] { run(*args); });
}

}  // namespace mgeo::cli
