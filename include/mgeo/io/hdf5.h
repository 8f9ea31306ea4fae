// mgeo/io/hdf5.h — RAII owners of HDF5 identifiers and the few dataset operations the
// readers and writers need (1-D string columns, row-chunked numeric tables).
//
// Contract: every hid_t lives in an h5::Id that closes it; explicit close() reports a
// failed close (where buffered data is written). Failures throw mgeo::Error naming the
// file or dataset with HDF5's reason (and the system's, e.g. a full disk). Linking
// this module switches off HDF5's error printing and its exit-time cleanup (which
// crashes after a failed close in HDF5 1.10): close every file explicitly. The HDF5
// library is not assumed thread-safe: use it from one thread.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mgeo::io::h5 {

// Throws mgeo::Error "<what>: <HDF5's reason>".
[[noreturn]] void fail_h5(const std::string& what);

// Owner of one HDF5 identifier, released with Close.
template <herr_t (*Close)(hid_t)>
class Id {
 public:
  Id() = default;
  explicit Id(hid_t id) : id_(id) {}
  Id(Id&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Id& operator=(Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { reset(); }

  hid_t get() const { return id_; }
  // Closes now; throws naming `what` if HDF5 reports a failure.
  void close(const std::string& what) {
    if (id_ >= 0 && Close(std::exchange(id_, H5I_INVALID_HID)) < 0) fail_h5("cannot close " + what);
  }

 private:
  void reset() {
    if (id_ >= 0) Close(std::exchange(id_, H5I_INVALID_HID));
  }
  hid_t id_ = H5I_INVALID_HID;
};

using File = Id<&H5Fclose>;
using Dataset = Id<&H5Dclose>;
using Dataspace = Id<&H5Sclose>;
using Datatype = Id<&H5Tclose>;
using PropList = Id<&H5Pclose>;
using Attribute = Id<&H5Aclose>;

File open_file(const std::string& path);  // read-only
File create_file(const std::string& path, const std::string& name);  // truncates; errors name `name`

bool has_dataset(const File& file, const std::string& name);
Dataset open_dataset(const File& file, const std::string& name, const std::string& what);
std::vector<hsize_t> shape(const Dataset& ds);
// Names of the datasets directly under the root group, in name order.
std::vector<std::string> dataset_names(const File& file);

// Variable-length UTF-8 string type.
Datatype vlen_utf8();

// Rows [begin, end) of a 1-D string or integer dataset, as text (integers in decimal).
class StringBlock {
 public:
  StringBlock() = default;
  StringBlock(StringBlock&& other) noexcept = default;
  StringBlock& operator=(StringBlock&&) = delete;
  ~StringBlock();

  std::size_t size() const { return views_.size(); }
  std::string_view operator[](std::size_t i) const { return views_[i]; }

 private:
  friend StringBlock read_strings(const Dataset&, int64_t, int64_t, const std::string&);
  std::vector<std::string_view> views_;
  std::vector<char*> vlen_;         // variable-length strings, freed with H5free_memory
  std::vector<char> fixed_;         // fixed-length strings
  std::vector<std::string> owned_;  // integers as text
};
StringBlock read_strings(const Dataset& ds, int64_t begin, int64_t end, const std::string& what);

// A dataset of `cols` columns (0: 1-D) that grows by whole rows, chunked by rows;
// `compress` adds shuffle + deflate when the filter is available.
Dataset create_rows(const File& file, const std::string& name, const Datatype& type, hsize_t cols,
                    bool compress, const std::string& what);
// Appends `rows` rows from `data` (laid out as `mem_type`, row-major) to a create_rows dataset.
void append_rows(const Dataset& ds, hid_t mem_type, const void* data, hsize_t rows, const std::string& what);
// Appends NUL-terminated strings to a 1-D vlen_utf8 create_rows dataset.
void append_strings(const Dataset& ds, const std::vector<const char*>& values, const std::string& what);

// Writes a 1-D variable-length UTF-8 string attribute on the file's root group.
void write_string_attribute(const File& file, const std::string& name, const std::vector<std::string>& values,
                            const std::string& what);

}  // namespace mgeo::io::h5
