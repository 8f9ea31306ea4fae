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
std::unique_ptr<PairSource> open_hdf5(const std::string& path, const ReadOptions& opts);

}  // namespace mgeo::io
