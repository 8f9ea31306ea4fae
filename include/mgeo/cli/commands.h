// mgeo/cli/commands.h — the subcommands of the mgeo-dist executable.
//
// Contract: each add_*_command registers one CLI11 subcommand on `app` whose callback
// runs the job. A callback reports failure by throwing mgeo::Error (main prints it and
// exits 1); anything it prints for the user goes to stdout (data) or stderr (progress).
#pragma once

namespace CLI {
class App;
}

namespace mgeo::cli {

void add_tokenize_command(CLI::App& app);
void add_synth_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_eval_link_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_vocab_command(CLI::App& app);
void add_parse_command(CLI::App& app);
void add_link_command(CLI::App& app);
void add_dedupe_command(CLI::App& app);

}  // namespace mgeo::cli
