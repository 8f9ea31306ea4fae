// Internal to mgeo_io: an HDF5 or Parquet input is read through once in a separate
// process, under limits, before this process trusts the format's library with it
// (input_check.cpp).
#pragma once

#include <string>

#include "mgeo/io/format.h"
#include "mgeo/io/pair_source.h"

namespace mgeo::io {

// False when the environment turns the check for `format` off: MGEO_HDF5_CHECK=0 for
// hdf5, MGEO_PARQUET_CHECK=0 for parquet (trusted inputs). Only hdf5 and parquet have one.
bool input_check_enabled(Format format);

// Opens `path` with the in-process reader of `format` (open_hdf5_in_process or
// open_parquet_in_process, formats.h) and reads every row and column of it, in a child
// process limited in CPU time, wall-clock time (MGEO_HDF5_CHECK_SECONDS or
// MGEO_PARQUET_CHECK_SECONDS) and memory. Returns when that worked; otherwise throws
// mgeo::Error naming the file: the reader's own error, or that the library crashed (with
// the signal), ran out of time or out of memory. `format` is hdf5 or parquet.
void check_input_in_child(const std::string& path, const ReadOptions& opts, Format format);

}  // namespace mgeo::io
