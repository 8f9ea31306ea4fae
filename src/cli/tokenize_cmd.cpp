#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "mgeo/cli/commands.h"
#include "mgeo/text/encode_lines.h"
#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"

namespace mgeo::cli {
namespace {

struct TokenizeArgs {
  std::string vocab;
  std::string input;  // empty: stdin
  bool no_lowercase = false;
  text::EncodeLinesOptions lines;
};

void run(const TokenizeArgs& args) {
  text::TokenizerOptions opts;
  opts.lowercase = !args.no_lowercase;
  const text::BertTokenizer tok(text::Vocab::load(args.vocab), opts);
  std::ios::sync_with_stdio(false);
  if (args.input.empty()) {
    text::encode_lines(tok, std::cin, std::cout, "<stdin>", args.lines);
    return;
  }
  std::ifstream in(args.input, std::ios::binary);
  MGEO_CHECK(in, "cannot open input {}", args.input);
  text::encode_lines(tok, in, std::cout, args.input, args.lines);
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto args = std::make_shared<TokenizeArgs>();
  auto* cmd = app.add_subcommand("tokenize", "Encode text lines (or tab-separated pairs) to BERT ids as JSON lines");
  cmd->add_option("--vocab", args->vocab, "BERT vocab.txt")->required();
  cmd->add_option("--input", args->input, "Text file, one input per line (default: stdin)");
  cmd->add_flag("--pair", args->lines.pair, "Each line is two tab-separated texts: [CLS] a [SEP] b [SEP]");
  cmd->add_option("--max-length", args->lines.max_length, "Max ids per line, specials included")
      ->capture_default_str();
  cmd->add_flag("--no-lowercase", args->no_lowercase, "Keep case and accents (do_lower_case=False)");
  cmd->callback([args] { run(*args); });
}

}  // namespace mgeo::cli
