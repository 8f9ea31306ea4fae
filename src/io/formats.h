// Internal to mgeo_io: the dialect of a format (mgeo/io/format.h), and the reader factories.
#pragma once

#include <memory>
#include <string>

#include "mgeo/io/format.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/records.h"

namespace mgeo::io {

inline Dialect dialect_of(Format f) { return f == Format::tsv ? kTsv : kCsv; }

std::unique_ptr<PairSource> open_delimited(const std::string& path, Dialect dialect, const ReadOptions& opts);
// The HDF5 and Parquet readers first read the file through in a child process (unless
// MGEO_HDF5_CHECK=0 / MGEO_PARQUET_CHECK=0, input_check.h), then open it in this one with
// the *_in_process opener, which the child uses too.
std::unique_ptr<PairSource> open_hdf5(const std::string& path, const ReadOptions& opts);
std::unique_ptr<PairSource> open_hdf5_in_process(const std::string& path, const ReadOptions& opts);
// parquet_source.cpp; both throw mgeo::Error in a build without Parquet (parquet_off.cpp).
std::unique_ptr<PairSource> open_parquet(const std::string& path, const ReadOptions& opts);
std::unique_ptr<PairSource> open_parquet_in_process(const std::string& path, const ReadOptions& opts);

// "<path>: this build has no Parquet support; ..." (a build with MGEO_WITH_PARQUET=OFF).
[[noreturn]] void fail_no_parquet(const std::string& path);

}  // namespace mgeo::io
