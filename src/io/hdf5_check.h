// Internal to mgeo_io: an HDF5 input is read through once in a separate process, under
// limits, before this process trusts the HDF5 library with it (hdf5_check.cpp).
#pragma once

#include <memory>
#include <string>

#include "mgeo/io/pair_source.h"

namespace mgeo::io {

// The HDF5 pair reader itself, in this process (hdf5_source.cpp).
std::unique_ptr<PairSource> open_hdf5_in_process(const std::string& path, const ReadOptions& opts);

// False when the environment says MGEO_HDF5_CHECK=0 (trusted inputs).
bool hdf5_check_enabled();

// Opens `path` as open_hdf5_in_process does and reads every row and column of it, in a
// child process limited in CPU time, wall-clock time and memory. Returns when that
// worked; otherwise throws mgeo::Error naming the file: the reader's own error, or
// that the library crashed (with the signal), ran out of time or out of memory.
void check_hdf5_in_child(const std::string& path, const ReadOptions& opts);

}  // namespace mgeo::io
