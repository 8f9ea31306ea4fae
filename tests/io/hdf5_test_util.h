// Helpers for the HDF5 tests: datasets written with the C API, as other tools write them.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "mgeo/io/hdf5.h"

namespace mgeo::io::testing {

inline h5::Datatype fixed_string(std::size_t width, H5T_str_t pad) {
  h5::Datatype t(H5Tcopy(H5T_C_S1));
  H5Tset_size(t.get(), width);
  H5Tset_strpad(t.get(), pad);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

// Writes a contiguous dataset of `dims` from `data` laid out as `type`.
inline void write_dataset(const h5::File& f, const std::string& name, const h5::Datatype& type,
                          const std::vector<hsize_t>& dims, const void* data) {
  h5::Dataspace space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  h5::Dataset ds(H5Dcreate2(f.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_GE(ds.get(), 0) << name;
  ASSERT_GE(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0) << name;
}

inline void write_fixed(const h5::File& f, const std::string& name, const std::vector<std::string>& values,
                        std::size_t width, H5T_str_t pad) {
  std::vector<char> buf(values.size() * width, pad == H5T_STR_SPACEPAD ? ' ' : '\0');
  for (std::size_t i = 0; i < values.size(); ++i) std::memcpy(&buf[i * width], values[i].data(), values[i].size());
  write_dataset(f, name, fixed_string(width, pad), {values.size()}, buf.data());
}

inline void write_vlen(const h5::File& f, const std::string& name, const std::vector<std::string>& values) {
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  write_dataset(f, name, h5::vlen_utf8(), {values.size()}, ptrs.data());
}

// A dataset of `rows` rows of `type`, chunked by `chunk_rows` and deflated, of which
// nothing is written: the file holds its metadata only.
inline void declare_rows(const h5::File& f, const std::string& name, const h5::Datatype& type, hsize_t rows,
                         hsize_t chunk_rows) {
  const hsize_t max_rows = H5S_UNLIMITED;
  h5::Dataspace space(H5Screate_simple(1, &rows, &max_rows));
  h5::PropList dcpl(H5Pcreate(H5P_DATASET_CREATE));
  ASSERT_GE(H5Pset_chunk(dcpl.get(), 1, &chunk_rows), 0);
  ASSERT_GE(H5Pset_deflate(dcpl.get(), 9), 0);
  h5::Dataset ds(H5Dcreate2(f.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT));
  ASSERT_GE(ds.get(), 0) << name;
}

}  // namespace mgeo::io::testing
