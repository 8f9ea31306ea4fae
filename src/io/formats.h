// Internal to mgeo_io: file formats chosen by extension, and the reader factories.
#pragma once

#include <memory>
#include <string>

#include "mgeo/io/pair_source.h"
#include "mgeo/io/records.h"

namespace mgeo::io {

enum class Format { csv, tsv, hdf5 };

// .csv -> csv; .tsv, .txt -> tsv; .h5, .hdf5 -> hdf5 (any letter case). Throws
// mgeo::Error naming the path for any other extension.
Format format_of(const std::string& path);
inline Dialect dialect_of(Format f) { return f == Format::tsv ? kTsv : kCsv; }

std::unique_ptr<PairSource> open_delimited(const std::string& path, Dialect dialect, const ReadOptions& opts);
std::unique_ptr<PairSource> open_hdf5(const std::string& path, const ReadOptions& opts);

}  // namespace mgeo::io
