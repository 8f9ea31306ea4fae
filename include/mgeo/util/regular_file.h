// mgeo/util/regular_file.h — refusing, before opening, a path that is not a regular file.
//
// Contract: require_regular_file(path, what) returns the file's size when `path` (after
// symlinks) is a regular file of at most max_bytes, and throws mgeo::Error naming `what`
// and the path otherwise: a missing file, a directory, a FIFO (opening one would wait for
// a writer forever), a device such as /dev/zero (reading one never ends), a socket, or a
// file larger than max_bytes. Reads the file system only (stat). Thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace mgeo {

uint64_t require_regular_file(const std::string& path, const char* what,
                              uint64_t max_bytes = std::numeric_limits<uint64_t>::max());

}  // namespace mgeo
