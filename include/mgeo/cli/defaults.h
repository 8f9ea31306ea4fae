// mgeo/cli/defaults.h — locations the CLI falls back to when a flag is not given.
// Contract: pure lookups; no I/O beyond checking that a directory exists.
#pragma once

#include <string>

namespace mgeo::cli {

// The shipped model: $MGEO_DEFAULT_MODEL, else data/models/default under the source
// tree, else data/models/tiny-random (random weights, for smoke runs only).
std::string default_model_dir();

}  // namespace mgeo::cli
