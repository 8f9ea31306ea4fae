// mgeo-dist: scores and aligns Chinese address pairs with a BERT cross-encoder.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "mgeo/cli/commands.h"
#include "mgeo/util/error.h"

int main(int argc, char** argv) {
  CLI::App app{"mgeo-dist: score and align Chinese address pairs with a BERT cross-encoder"};
  app.require_subcommand(1);
  mgeo::cli::add_score_command(app);
  mgeo::cli::add_tokenize_command(app);
  mgeo::cli::add_synth_command(app);
  mgeo::cli::add_eval_command(app);
  mgeo::cli::add_eval_link_command(app);
  mgeo::cli::add_train_command(app);
  mgeo::cli::add_vocab_command(app);
  mgeo::cli::add_parse_command(app);
  mgeo::cli::add_link_command(app);
  mgeo::cli::add_dedupe_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const mgeo::Error& e) {
    fmt::print(stderr, "mgeo-dist: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "mgeo-dist: internal error: {}\n", e.what());
    return 2;
  }
  return 0;
}
