// Internal to mgeo_io: helpers shared by hdf5.cpp (files, writing) and hdf5_read.cpp.
#pragma once

#include <string>

#include "mgeo/io/hdf5.h"

namespace mgeo::io::h5 {

// `id`, or mgeo::Error "<what>: <HDF5's reason>" when it is negative.
hid_t check(hid_t id, const std::string& what);
void check_status(herr_t status, const std::string& what);

// The dataset's file space with rows [begin, begin + rows) selected (all columns).
Dataspace select_rows(const Dataset& ds, hsize_t begin, hsize_t rows, const std::string& what);
// A memory space of `rows` rows, 1-D when `cols` is 0.
Dataspace memory_space(hsize_t rows, hsize_t cols);

}  // namespace mgeo::io::h5
