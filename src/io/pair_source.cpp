#include "mgeo/io/pair_source.h"

#include "formats.h"

namespace mgeo::io {

std::unique_ptr<PairSource> PairSource::open(const std::string& path, ReadOptions opts) {
  const auto format = format_of(path);
  if (format == Format::hdf5) return open_hdf5(path, opts);
  return open_delimited(path, dialect_of(format), opts);
}

}  // namespace mgeo::io
