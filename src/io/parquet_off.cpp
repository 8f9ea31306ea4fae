// A build without Parquet (MGEO_WITH_PARQUET=OFF): .parquet paths are refused with a
// clear mgeo::Error. With Parquet, src/io/parquet/ (C++20, as Arrow's headers need) has them.
#if !MGEO_WITH_PARQUET

#include "formats.h"
#include "sinks.h"

namespace mgeo::io {

std::unique_ptr<PairSource> open_parquet(const std::string& path, const ReadOptions&) { fail_no_parquet(path); }

// Never reached (open_parquet checks nothing here), but input_check.cpp's child names it.
std::unique_ptr<PairSource> open_parquet_in_process(const std::string& path, const ReadOptions&) {
  fail_no_parquet(path);
}

std::unique_ptr<ScoreWriter::Impl> open_parquet_scores(const std::string& path, const std::vector<std::string>&,
                                                      const std::vector<std::string>&) {
  fail_no_parquet(path);
}

std::unique_ptr<TableWriter::Sink> open_parquet_table(const std::string& path, const std::vector<std::string>&) {
  fail_no_parquet(path);
}

}  // namespace mgeo::io

#endif
