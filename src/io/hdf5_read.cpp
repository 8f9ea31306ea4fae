// Reading 1-D string and integer datasets of untrusted files in bounded pieces.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "hdf5_internal.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/util/error.h"

namespace mgeo::io::h5 {
namespace {

constexpr uint64_t kVariableStringBytes = 8;  // the least an element of a variable-length string takes

// a * b, saturating instead of wrapping.
uint64_t times(uint64_t a, uint64_t b) {
  return b != 0 && a > std::numeric_limits<uint64_t>::max() / b ? std::numeric_limits<uint64_t>::max() : a * b;
}

uint64_t element_count(const std::vector<hsize_t>& dims) {
  uint64_t n = 1;
  for (const auto d : dims) n = times(n, d);
  return n;
}

// Bytes of one chunk of a chunked dataset (saturating), 0 for other layouts.
uint64_t chunk_bytes(hid_t dcpl, uint64_t element_bytes, const std::string& what) {
  if (H5Pget_layout(dcpl) != H5D_CHUNKED) return 0;
  std::vector<hsize_t> chunk(H5S_MAX_RANK);
  const int rank = H5Pget_chunk(dcpl, H5S_MAX_RANK, chunk.data());
  if (rank <= 0) fail_h5(what + ": cannot read its chunk shape");
  chunk.resize(rank);
  return times(element_count(chunk), element_bytes);
}

uint64_t element_bytes(hid_t type) {
  const bool variable = H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0;
  return variable ? kVariableStringBytes : H5Tget_size(type);
}

void check_storage(hid_t dcpl, uint64_t element_bytes, const std::string& what) {
  const auto layout = H5Pget_layout(dcpl);
  if (layout == H5D_VIRTUAL || H5Pget_external_count(dcpl) > 0)
    fail("{}: keeps its data outside the file ({} storage), which an input may not do", what,
         layout == H5D_VIRTUAL ? "virtual" : "external");
  const auto bytes = chunk_bytes(dcpl, element_bytes, what);
  if (bytes > kMaxChunkBytes)
    fail("{}: declares chunks of {} bytes, more than the {} MiB supported", what, bytes, kMaxChunkBytes >> 20);
}

// Variable-length strings are allocated through here rather than by HDF5 itself, so that
// each string's stored length is known (a NUL inside one stays visible), every string is
// freed whatever HDF5 leaves in the output array (also after a failed read), and one read
// cannot take more than kMaxVariableReadBytes.
class VariableStrings {
 public:
  VariableStrings() : transfer_(check(H5Pcreate(H5P_DATASET_XFER), "HDF5 transfer property list")) {
    check_status(H5Pset_vlen_mem_manager(transfer_.get(), &allocate, this, &release_one, this),
                 "HDF5 transfer property list");
  }
  VariableStrings(const VariableStrings&) = delete;
  VariableStrings& operator=(const VariableStrings&) = delete;
  ~VariableStrings() { release(); }

  const PropList& transfer() const { return transfer_; }
  bool refused() const { return refused_; }

  // The stored length of the string at `s`, which this reader allocated.
  std::size_t length(const char* s, const std::string& what) {
    if (!sorted_) {
      std::sort(blocks_.begin(), blocks_.end());
      sorted_ = true;
    }
    const auto key = std::make_pair(const_cast<char*>(s), std::size_t{0});
    const auto it = std::lower_bound(blocks_.begin(), blocks_.end(), key);
    if (it == blocks_.end() || it->first != s) fail("{}: HDF5 returned a string it did not allocate", what);
    return it->second - 1;  // HDF5 allocates the text and a terminating NUL
  }

  void release() {
    for (const auto& b : blocks_) std::free(b.first);
    blocks_.clear();
    bytes_ = 0;
    refused_ = false;
  }

 private:
  static void* allocate(std::size_t n, void* self) noexcept {
    auto& me = *static_cast<VariableStrings*>(self);
    if (n == 0 || n > kMaxVariableReadBytes - me.bytes_) {
      me.refused_ = true;
      return nullptr;
    }
    void* p = std::malloc(n);
    if (p == nullptr) return nullptr;
    try {
      me.blocks_.emplace_back(static_cast<char*>(p), n);
    } catch (...) {
      std::free(p);
      return nullptr;
    }
    me.bytes_ += n;
    me.sorted_ = false;
    return p;
  }

  static void release_one(void* p, void* self) noexcept {
    auto& blocks = static_cast<VariableStrings*>(self)->blocks_;
    const auto it = std::find_if(blocks.rbegin(), blocks.rend(), [&](const auto& b) { return b.first == p; });
    if (it == blocks.rend()) return;  // not ours: leave it rather than free a stray pointer
    std::free(p);
    blocks.erase(std::next(it).base());
  }

  PropList transfer_;
  std::vector<std::pair<char*, std::size_t>> blocks_;  // (string, bytes allocated)
  uint64_t bytes_ = 0;
  bool sorted_ = true;
  bool refused_ = false;
};

// The bytes of a value that read_strings keeps.
std::size_t kept_bytes(const StringLimits& limits) {
  return limits.max_value_bytes == std::numeric_limits<std::size_t>::max() ? limits.max_value_bytes
                                                                            : limits.max_value_bytes + 1;
}

void check_budget(const StringBlock& block, hsize_t last_row, const StringLimits& limits, const std::string& what) {
  if (block.text_bytes() > limits.budget)
    fail("{}: the strings up to row {} take {} bytes, more than the file can hold ({} bytes)", what, last_row,
         block.text_bytes(), limits.budget);
}

// Rows [begin, end) of a dataset of `total` rows, read in whole pieces of `rows` rows that
// start on multiples of `rows`, whatever the range asked for. On a damaged file HDF5 1.10
// can return bytes left over from earlier strings of the same read: reading whole pieces
// makes a row read the same in any range, and makes every read the same calls into the
// library that the check (input_check.cpp) made before. `read(first, n)` reads a piece
// and `keep(i)` appends its row i.
template <class Read, class Keep>
void read_pieces(hsize_t begin, hsize_t end, hsize_t total, hsize_t rows, Read&& read, Keep&& keep) {
  total = std::max(total, end);  // past the end, HDF5 refuses the selection
  for (hsize_t first = begin / rows * rows; first < end; first += rows) {
    const hsize_t n = std::min(rows, total - first);
    read(first, n);
    for (hsize_t row = std::max(begin, first); row < std::min(end, first + n); ++row) keep(row - first);
  }
}

std::string rows_text(const std::string& what, hsize_t first, hsize_t n) {
  return fmt::format("{}: cannot read rows {} to {}", what, first + 1, first + n);
}

void read_variable(const Dataset& ds, hid_t file_type, hsize_t begin, hsize_t end, hsize_t total, StringBlock& block,
                   const StringLimits& limits, const std::string& what) {
  Datatype mem(check(H5Tcopy(H5T_C_S1), what));
  check_status(H5Tset_size(mem.get(), H5T_VARIABLE), what);
  check_status(H5Tset_cset(mem.get(), H5Tget_cset(file_type) == H5T_CSET_UTF8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII), what);
  VariableStrings strings;
  std::vector<char*> out;
  const auto read = [&](hsize_t first, hsize_t n) {
    strings.release();
    out.assign(n, nullptr);
    const auto space = select_rows(ds, first, n, what);
    if (H5Dread(ds.get(), mem.get(), memory_space(n, 0).get(), space.get(), strings.transfer().get(), out.data()) >= 0)
      return;
    if (strings.refused())
      fail("{}: the variable-length strings of rows {} to {} take more than the {} MiB one read may", what, first + 1,
           first + n, kMaxVariableReadBytes >> 20);
    fail_h5(rows_text(what, first, n));
  };
  const auto keep = [&](hsize_t i) {
    const char* s = out[i];
    block.add(s ? std::string_view(s, strings.length(s, what)) : "", kept_bytes(limits));
    check_budget(block, begin + block.size(), limits, what);
  };
  read_pieces(begin, end, total, kReadRows, read, keep);
}

// The text of a fixed-length string without its padding: trailing NULs (NUL-terminated or
// NUL-padded) or trailing spaces (space-padded). A NUL before the end stays part of it.
std::string_view fixed_text(const char* s, std::size_t width, H5T_str_t pad) {
  const std::string_view v(s, width);
  const auto last = v.find_last_not_of(pad == H5T_STR_SPACEPAD ? ' ' : '\0');
  return v.substr(0, last == std::string_view::npos ? 0 : last + 1);
}

void read_fixed(const Dataset& ds, hid_t type, hsize_t begin, hsize_t end, hsize_t total, StringBlock& block,
                const StringLimits& limits, const std::string& what) {
  const std::size_t width = H5Tget_size(type);
  if (width == 0) fail_h5(what + ": cannot read its string width");
  if (width > kMaxFixedWidth)
    fail("{}: holds fixed-length strings of {} bytes, more than the {} MiB supported", what, width,
         kMaxFixedWidth >> 20);
  const auto pad = H5Tget_strpad(type);
  const hsize_t rows = std::clamp<hsize_t>(kReadBytes / width, 1, kReadRows);  // rows per read
  std::vector<char> buf(rows * width);
  const auto read = [&](hsize_t first, hsize_t n) {
    const auto space = select_rows(ds, first, n, what);
    check_status(H5Dread(ds.get(), type, memory_space(n, 0).get(), space.get(), H5P_DEFAULT, buf.data()),
                 rows_text(what, first, n));
  };
  const auto keep = [&](hsize_t i) {
    block.add(fixed_text(&buf[i * width], width, pad), kept_bytes(limits));
    check_budget(block, begin + block.size(), limits, what);
  };
  read_pieces(begin, end, total, rows, read, keep);
}

template <class Int>
void read_integers(const Dataset& ds, hid_t mem_type, hsize_t begin, hsize_t end, hsize_t total, StringBlock& block,
                   const std::string& what) {
  std::vector<Int> values;
  const auto read = [&](hsize_t first, hsize_t n) {
    values.resize(n);
    const auto space = select_rows(ds, first, n, what);
    check_status(H5Dread(ds.get(), mem_type, memory_space(n, 0).get(), space.get(), H5P_DEFAULT, values.data()),
                 rows_text(what, first, n));
  };
  const auto keep = [&](hsize_t i) {
    char text[24];
    const auto done = std::to_chars(text, text + sizeof text, values[i]);
    block.add(std::string_view(text, done.ptr - text), sizeof text);
  };
  read_pieces(begin, end, total, kReadRows, read, keep);
}

}  // namespace

uint64_t data_budget(uint64_t file_bytes) { return std::min(times(file_bytes, kMaxExpansion), kMaxDataBytes); }

Dataset open_for_reading(const File& file, const std::string& name, const std::string& what) {
  auto ds = open_dataset(file, name, what);
  Datatype type(check(H5Dget_type(ds.get()), what));
  PropList dcpl(check(H5Dget_create_plist(ds.get()), what));
  const auto bytes = chunk_bytes(dcpl.get(), element_bytes(type.get()), what);
  constexpr std::size_t kDefaultCache = 1 << 20, kSlots = 521;  // HDF5's defaults
  if (bytes <= kDefaultCache || bytes > kMaxChunkBytes) return ds;
  PropList access(check(H5Pcreate(H5P_DATASET_ACCESS), what));
  check_status(H5Pset_chunk_cache(access.get(), kSlots, static_cast<std::size_t>(bytes) + kDefaultCache, 0.75), what);
  ds = Dataset();  // a dataset opened twice shares the first opening's cache
  return Dataset(check(H5Dopen2(file.get(), name.c_str(), access.get()), what));
}

void check_dataset(const Dataset& ds, uint64_t file_bytes, const std::string& what) {
  Datatype type(check(H5Dget_type(ds.get()), what));
  const auto bytes_each = element_bytes(type.get());
  if (H5Tget_class(type.get()) == H5T_STRING && bytes_each > kMaxFixedWidth)
    fail("{}: holds fixed-length strings of {} bytes, more than the {} MiB supported", what, bytes_each,
         kMaxFixedWidth >> 20);
  PropList dcpl(check(H5Dget_create_plist(ds.get()), what));
  check_storage(dcpl.get(), bytes_each, what);
  const auto dims = shape(ds);
  const auto bytes = times(element_count(dims), bytes_each);
  const auto budget = data_budget(file_bytes);
  if (bytes > budget)
    fail("{}: declares {} rows of {} bytes ({} bytes), more than a file of {} bytes can hold (at most {} bytes)",
         what, dims.empty() ? 1 : dims[0], bytes_each, bytes, file_bytes, budget);
}

StringBlock read_strings(const Dataset& ds, int64_t begin, int64_t end, const std::string& what,
                         const StringLimits& limits) {
  StringBlock block;
  if (end <= begin) return block;
  const auto b = static_cast<hsize_t>(begin), e = static_cast<hsize_t>(end);
  const auto dims = shape(ds);
  const hsize_t total = dims.empty() ? 0 : dims[0];
  Datatype type(check(H5Dget_type(ds.get()), what));
  const auto cls = H5Tget_class(type.get());
  if (cls == H5T_STRING && H5Tis_variable_str(type.get()) > 0) {
    read_variable(ds, type.get(), b, e, total, block, limits, what);
  } else if (cls == H5T_STRING) {
    read_fixed(ds, type.get(), b, e, total, block, limits, what);
  } else if (cls == H5T_INTEGER) {
    if (H5Tget_precision(type.get()) > 64) fail("{}: holds integers wider than 64 bits", what);
    if (H5Tget_sign(type.get()) == H5T_SGN_NONE)
      read_integers<uint64_t>(ds, H5T_NATIVE_UINT64, b, e, total, block, what);
    else
      read_integers<int64_t>(ds, H5T_NATIVE_INT64, b, e, total, block, what);
  } else {
    fail("{}: holds neither strings nor integers", what);
  }
  return block;
}

}  // namespace mgeo::io::h5
