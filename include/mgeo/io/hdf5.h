// mgeo/io/hdf5.h — RAII owners of HDF5 identifiers and the few dataset operations the
// readers and writers need (1-D string columns, row-chunked numeric tables).
//
// Contract: every hid_t lives in an h5::Id that closes it; explicit close() reports a
// failed close (where buffered data is written). Failures throw mgeo::Error naming the
// file or dataset with HDF5's reason (and the system's, e.g. a full disk). Linking
// this module switches off HDF5's error printing and its exit-time cleanup (which
// crashes after a failed close in HDF5 1.10): close every file explicitly. The HDF5
// library is not assumed thread-safe: use it from one thread.
//
// Reading untrusted files: check_dataset() bounds what a dataset declares against the
// size of its file before anything is allocated for it, and read_strings() reads at most
// kReadRows rows (kReadBytes of fixed-length text) per call into HDF5, so that memory
// follows the data actually returned. It reads whole pieces aligned on those multiples
// whatever rows are asked for, so that a row of a damaged file reads the same in any
// range. These bounds do not make HDF5 1.10 itself safe on a damaged file (it can crash
// or loop forever): the pair reader also reads a file through in a separate process
// first (pair_source.h).
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <limits>
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

// What a dataset may declare. Deflate cannot expand data more than about 1032 times; four
// times that leaves room for other filters, while a 2 KB file still cannot claim more
// than 8 MiB. Whatever the file's size, one dataset may hold at most kMaxDataBytes.
inline constexpr uint64_t kMaxExpansion = 4096;
inline constexpr uint64_t kMaxDataBytes = uint64_t{1} << 40;
inline constexpr uint64_t kMaxFixedWidth = uint64_t{16} << 20;  // bytes of one fixed-length string
inline constexpr uint64_t kMaxChunkBytes = uint64_t{256} << 20;
// How much one call into HDF5 reads: rows, bytes of fixed-length strings (at least one
// row), bytes of variable-length strings (more is an error).
inline constexpr uint64_t kReadRows = 4096;
inline constexpr uint64_t kReadBytes = uint64_t{16} << 20;
inline constexpr uint64_t kMaxVariableReadBytes = uint64_t{256} << 20;

// The most bytes of data a file of `file_bytes` bytes can hold once decompressed.
uint64_t data_budget(uint64_t file_bytes);

// Checks, before anything is allocated for it, that a dataset of a file of `file_bytes`
// bytes can be read: its data lies in the file (no external or virtual storage), a
// fixed-length string takes at most kMaxFixedWidth bytes and a chunk kMaxChunkBytes, and
// its elements (each at least 8 bytes when variable-length) take at most
// data_budget(file_bytes). Throws mgeo::Error naming `what`.
void check_dataset(const Dataset& ds, uint64_t file_bytes, const std::string& what);

// open_dataset, with a chunk cache that holds a whole chunk (up to kMaxChunkBytes): reading
// kReadRows rows at a time then decompresses each chunk once.
Dataset open_for_reading(const File& file, const std::string& name, const std::string& what);

// Bounds on one read_strings call.
struct StringLimits {
  uint64_t budget = kMaxDataBytes;  // bytes of text it may return (more is an error)
  // A longer value keeps only its first max_value_bytes + 1 bytes: enough to see that it
  // is too long.
  std::size_t max_value_bytes = std::numeric_limits<std::size_t>::max();
};

// Rows [begin, end) of a 1-D string or integer dataset, as text: integers in decimal
// (signed and unsigned, exact up to 64 bits; wider integers are an error), strings with
// their padding removed. A NUL byte inside a string is kept, for the caller to flag:
// fixed-length strings lose only trailing NULs (or spaces, when space-padded), and a
// variable-length string keeps the length stored in the file.
class StringBlock {
 public:
  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  // Appends `value`, cut to `max_bytes` bytes.
  void add(std::string_view value, std::size_t max_bytes) {
    text_.append(value.substr(0, max_bytes));
    ends_.push_back(text_.size());
  }
  uint64_t text_bytes() const { return text_.size(); }

 private:
  std::string text_;  // the values, one after another
  std::vector<std::size_t> ends_;
};
StringBlock read_strings(const Dataset& ds, int64_t begin, int64_t end, const std::string& what,
                         const StringLimits& limits = {});

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
