// mgeo/io/format.h — a table file's format, chosen by its extension.
// Contract: pure; .csv -> csv; .tsv, .txt -> tsv; .h5, .hdf5 -> hdf5; .parquet -> parquet
// (any letter case); any other extension throws mgeo::Error naming the path. A build
// without Parquet support (MGEO_WITH_PARQUET=OFF) still maps .parquet to parquet; its
// readers and writers then throw mgeo::Error saying so (parquet_supported()).
#pragma once

#include <string>

namespace mgeo::io {

enum class Format { csv, tsv, hdf5, parquet };

Format format_of(const std::string& path);

// Whether this build reads and writes .parquet (Arrow C++ from the pyarrow wheel).
bool parquet_supported();

}  // namespace mgeo::io
