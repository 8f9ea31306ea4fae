// mgeo/io/output_paths.h — refusing, before any work, outputs that would destroy data.
//
// Contract: check_outputs(inputs, outputs) throws mgeo::Error naming the flags and the
// path when an output
//   - names the same file as an input or as another output: the same path after making it
//     absolute and resolving symlinks (std::filesystem::weakly_canonical), or, for files
//     that exist, the same device and inode (a hard link);
//   - is an existing directory;
//   - lies in a directory that does not exist.
// Entries are (flag, path) pairs such as {"--output", "scores.csv"}; empty paths are
// skipped. Reads the file system only (stat); thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mgeo::io {

using NamedPath = std::pair<std::string, std::string>;  // (flag, path)

void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

}  // namespace mgeo::io
