#include <CLI/CLI.hpp>

#include "mgeo/cli/commands.h"

namespace mgeo::cli {

void add_tokenize_command(CLI::App& app) { app.add_subcommand("tokenize", "(not yet implemented)"); }

}  // namespace mgeo::cli
