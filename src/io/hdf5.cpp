#include "mgeo/io/hdf5.h"

#include <algorithm>

#include "hdf5_internal.h"
#include "mgeo/util/error.h"

namespace mgeo::io::h5 {
namespace {

constexpr hsize_t kChunkRows = 1 << 16;
constexpr unsigned kDeflateLevel = 4;

// HDF5 1.10 cannot tear down a file whose close failed (as on a full disk): its exit-time
// cleanup then crashes. Every file here is closed explicitly, so that cleanup is switched
// off, before anything else initializes the library. HDF5's error printing goes too:
// its errors become mgeo::Error.
[[maybe_unused]] const bool kLibraryConfigured = [] {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return true;
}();

herr_t collect_message(unsigned, const H5E_error2_t* err, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(err->desc ? err->desc : "");
  return 0;
}

// The API-level message on HDF5's error stack, with the system's reason when one is there.
std::string hdf5_reason() {
  std::vector<std::string> stack;  // most specific first
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_message, &stack);
  if (stack.empty()) return "HDF5 error";
  constexpr std::string_view kSystem = "error message = '";
  for (const auto& m : stack) {
    const auto at = m.find(kSystem);
    if (at == std::string::npos) continue;
    const auto begin = at + kSystem.size();
    return fmt::format("{} ({})", stack.back(), m.substr(begin, m.find('\'', begin) - begin));
  }
  return stack.back();
}

}  // namespace

void fail_h5(const std::string& what) { throw Error(what + ": " + hdf5_reason()); }

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) fail_h5(what);
  return id;
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) fail_h5(what);
}

Dataspace select_rows(const Dataset& ds, hsize_t begin, hsize_t rows, const std::string& what) {
  Dataspace space(check(H5Dget_space(ds.get()), what));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(std::max(rank, 1));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::vector<hsize_t> start(dims.size(), 0), count = dims;
  start[0] = begin;
  count[0] = rows;
  check_status(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
               what);
  return space;
}

Dataspace memory_space(hsize_t rows, hsize_t cols) {
  const hsize_t dims[2] = {rows, cols};
  return Dataspace(H5Screate_simple(cols == 0 ? 1 : 2, dims, nullptr));
}

File open_file(const std::string& path) {
  return File(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "cannot open HDF5 file " + path));
}

File create_file(const std::string& path, const std::string& name) {
  return File(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "cannot create " + name));
}

bool has_dataset(const File& file, const std::string& name) {
  if (H5Lexists(file.get(), name.c_str(), H5P_DEFAULT) <= 0) return false;
  return Dataset(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT)).get() >= 0;
}

Dataset open_dataset(const File& file, const std::string& name, const std::string& what) {
  return Dataset(check(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), what));
}

std::vector<hsize_t> shape(const Dataset& ds) {
  Dataspace space(H5Dget_space(ds.get()));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(std::max(rank, 0));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

std::vector<std::string> dataset_names(const File& file) {
  std::vector<std::string> names;
  const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  };
  hsize_t idx = 0;
  H5Literate(file.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &names);
  names.erase(std::remove_if(names.begin(), names.end(), [&](const auto& n) { return !has_dataset(file, n); }),
              names.end());
  return names;
}

Datatype vlen_utf8() {
  Datatype t(H5Tcopy(H5T_C_S1));
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

Dataset create_rows(const File& file, const std::string& name, const Datatype& type, hsize_t cols, bool compress,
                    const std::string& what) {
  const hsize_t dims[2] = {0, cols}, max_dims[2] = {H5S_UNLIMITED, cols};
  const int rank = cols == 0 ? 1 : 2;
  Dataspace space(check(H5Screate_simple(rank, dims, max_dims), what));
  PropList props(H5Pcreate(H5P_DATASET_CREATE));
  const hsize_t chunk[2] = {kChunkRows, std::max<hsize_t>(cols, 1)};
  check_status(H5Pset_chunk(props.get(), rank, chunk), what);
  // No object times: the same rows give the same bytes (a resumed job's output included).
  check_status(H5Pset_obj_track_times(props.get(), false), what);
  if (compress && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
    check_status(H5Pset_shuffle(props.get()), what);
    check_status(H5Pset_deflate(props.get(), kDeflateLevel), what);
  }
  return Dataset(check(
      H5Dcreate2(file.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT), what));
}

void append_rows(const Dataset& ds, hid_t mem_type, const void* data, hsize_t rows, const std::string& what) {
  if (rows == 0) return;
  auto dims = shape(ds);
  const hsize_t begin = dims[0];
  dims[0] += rows;
  check_status(H5Dset_extent(ds.get(), dims.data()), what);
  const auto space = select_rows(ds, begin, rows, what);
  const auto mem = memory_space(rows, dims.size() == 2 ? dims[1] : 0);
  check_status(H5Dwrite(ds.get(), mem_type, mem.get(), space.get(), H5P_DEFAULT, data), what);
}

void append_strings(const Dataset& ds, const std::vector<const char*>& values, const std::string& what) {
  append_rows(ds, vlen_utf8().get(), values.data(), values.size(), what);
}

void write_string_attribute(const File& file, const std::string& name, const std::vector<std::string>& values,
                            const std::string& what) {
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  const hsize_t dims[1] = {values.size()};
  Dataspace space(check(H5Screate_simple(1, dims, nullptr), what));
  const auto type = vlen_utf8();
  Attribute attr(check(H5Acreate2(file.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), what));
  check_status(H5Awrite(attr.get(), type.get(), ptrs.data()), what);
  attr.close(what);
}

}  // namespace mgeo::io::h5
