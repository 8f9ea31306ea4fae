#include <CLI/CLI.hpp>

#include "mgeo/cli/commands.h"

namespace mgeo::cli {

void add_synth_command(CLI::App& app) { app.add_subcommand("synth", "(not yet implemented)"); }

}  // namespace mgeo::cli
