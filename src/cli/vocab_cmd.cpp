#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "mgeo/cli/commands.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/synth/address.h"
#include "mgeo/synth/divisions.h"
#include "mgeo/text/vocab_builder.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace mgeo::cli {
namespace {

struct VocabArgs {
  std::string output;
  std::vector<std::string> inputs;
  std::string divisions;  // empty: synth::default_divisions_dir()
  bool no_divisions = false;
  int64_t min_count = 1;
  bool no_lowercase = false;
};

// Every character of a (gzip or plain) text file. For a divisions CSV the codes, commas,
// quotes and header letters are built-ins already, so this adds the names' characters.
void require_file_text(const std::string& path, text::VocabBuilder& b) {
  const gzFile gz = gzopen(path.c_str(), "rb");
  MGEO_CHECK(gz != nullptr, "cannot open {}", path);
  std::string line;
  char chunk[1 << 12];
  while (gzgets(gz, chunk, sizeof chunk) != nullptr) {
    line += chunk;
    if (line.back() != '\n') continue;  // keep a long line whole: a chunk may end mid-character
    b.require(line);
    line.clear();
  }
  int err = Z_OK;
  const std::string msg = gzerror(gz, &err);
  gzclose(gz);
  MGEO_CHECK(err == Z_OK || err == Z_STREAM_END, "{}: read error: {}", path, msg);
  b.require(line);
}

// Every name of the divisions, in the forms addresses write, the village names the loader
// keeps no community for, and the generator's word lists.
void require_divisions(const std::string& dir, text::VocabBuilder& b) {
  const synth::Divisions d = synth::Divisions::load(dir);
  require_file_text(dir + "/villages.csv.gz", b);
  for (const auto& p : d.provinces()) b.require(p.name + p.short_name);
  for (const auto& c : d.cities()) b.require(c.raw_name + c.name + c.short_name);
  for (const auto& a : d.areas()) {
    b.require(a.name + a.short_name);
    for (const auto& community : a.communities) b.require(community);
  }
  for (const auto& s : d.streets()) b.require(s.name);
  for (const auto* list : {&synth::road_stems(), &synth::road_directions(), &synth::road_suffixes(),
                           &synth::complex_prefixes(), &synth::office_suffixes(), &synth::home_suffixes()}) {
    for (std::string_view w : *list) b.require(w);
  }
}

// Counts the addresses of the rows that read cleanly; returns how many rows that was.
int64_t count_input(const std::string& path, text::VocabBuilder& b) {
  constexpr int64_t kBlock = 1 << 16;
  const auto src = io::PairSource::open(path);
  int64_t used = 0;
  for (int64_t begin = 0; begin < src->size(); begin += kBlock) {
    for (const io::PairRow& row : src->read(begin, std::min(src->size(), begin + kBlock))) {
      if (row.status != io::RowStatus::ok) continue;
      b.count(row.addr1);
      b.count(row.addr2);
      ++used;
    }
  }
  return used;
}

void write_tokens(const std::vector<std::string>& tokens, const std::string& path) {
  std::string text;
  for (const std::string& t : tokens) text.append(t).push_back('\n');
  io::write_file_atomic(path, text);
}

void run(const VocabArgs& args) {
  MGEO_CHECK(args.min_count >= 1, "--min-count must be at least 1, got {}", args.min_count);
  const Stopwatch clock;
  text::TokenizerOptions opts;
  opts.lowercase = !args.no_lowercase;
  text::VocabBuilder b(opts);
  text::add_builtins(b);
  if (!args.no_divisions) {
    require_divisions(args.divisions.empty() ? synth::default_divisions_dir() : args.divisions, b);
  }
  int64_t rows = 0;
  for (const std::string& path : args.inputs) rows += count_input(path, b);
  const std::vector<std::string> tokens = b.tokens(args.min_count);
  write_tokens(tokens, args.output);
  const auto pieces = std::count_if(tokens.begin(), tokens.end(), [](const std::string& t) { return t.rfind("##", 0) == 0; });
  fmt::print(stderr, "vocab: {} tokens ({} specials, {} whole, {} ## pieces) from {} input rows -> {} in {:.2f} s\n",
             tokens.size(), text::bert_special_tokens().size(),
             tokens.size() - text::bert_special_tokens().size() - static_cast<std::size_t>(pieces), pieces, rows,
             args.output, clock.seconds());
}

}  // namespace

void add_vocab_command(CLI::App& app) {
  auto args = std::make_shared<VocabArgs>();
  auto* cmd = app.add_subcommand("vocab", "Build a BERT vocab.txt of address characters for a model trained from scratch");
  cmd->add_option("--output", args->output, "vocab.txt to write")->required();
  cmd->add_option("--input", args->inputs, "Pair files (.csv, .tsv, .h5, .parquet) whose addr1/addr2 characters to add");
  cmd->add_option("--divisions", args->divisions, "Divisions directory (default: $MGEO_DIVISIONS or data/divisions)");
  cmd->add_flag("--no-divisions", args->no_divisions, "Leave out the characters of the divisions names");
  cmd->add_option("--min-count", args->min_count, "Keep an input character seen at least this often")
      ->capture_default_str();
  cmd->add_flag("--no-lowercase", args->no_lowercase, "Build for a cased tokenizer (do_lower_case=False)");
  cmd->callback([args] { run(*args); });
}

}  // namespace mgeo::cli
