// mgeo/io/format.h — a table file's format, chosen by its extension.
// Contract: pure; .csv -> csv; .tsv, .txt -> tsv; .h5, .hdf5 -> hdf5 (any letter case);
// any other extension throws mgeo::Error naming the path.
#pragma once

#include <string>

namespace mgeo::io {

enum class Format { csv, tsv, hdf5 };

Format format_of(const std::string& path);

}  // namespace mgeo::io
