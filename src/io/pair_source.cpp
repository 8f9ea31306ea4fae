#include "mgeo/io/pair_source.h"

#include "formats.h"
#include "mgeo/util/regular_file.h"

namespace mgeo::io {

std::unique_ptr<PairSource> PairSource::open(const std::string& path, ReadOptions opts) {
  require_regular_file(path, "input");  // a FIFO or device would hang the reader
  const auto format = format_of(path);
  if (format == Format::hdf5) return open_hdf5(path, opts);
  if (format == Format::parquet) return open_parquet(path, opts);
  return open_delimited(path, dialect_of(format), opts);
}

}  // namespace mgeo::io
