#include <CLI/CLI.hpp>

#include "mgeo/cli/commands.h"

namespace mgeo::cli {

void add_score_command(CLI::App& app) { app.add_subcommand("score", "(not yet implemented)"); }

}  // namespace mgeo::cli
