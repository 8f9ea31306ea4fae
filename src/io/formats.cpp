#include "formats.h"

#include <algorithm>
#include <cctype>

#include "mgeo/util/error.h"

namespace mgeo::io {

Format format_of(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  std::string ext = dot == std::string::npos || (slash != std::string::npos && dot < slash) ? "" : path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "csv") return Format::csv;
  if (ext == "tsv" || ext == "txt") return Format::tsv;
  if (ext == "h5" || ext == "hdf5") return Format::hdf5;
  if (ext == "parquet") return Format::parquet;
  fail("{}: cannot tell the format from the file name (use .csv, .tsv, .txt, .h5, .hdf5 or .parquet)", path);
}

bool parquet_supported() {
#if MGEO_WITH_PARQUET
  return true;
#else
  return false;
#endif
}

void fail_no_parquet(const std::string& path) {
  fail("{}: this build has no Parquet support; rebuild with -DMGEO_WITH_PARQUET=ON (pyarrow from "
       "launch/install-deps.sh), or use a .csv, .tsv or .h5 file",
       path);
}

}  // namespace mgeo::io
