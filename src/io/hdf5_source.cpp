// HDF5 input: 1-D string datasets id, addr1, addr2 read by hyperslab, one block per read().
#include <fmt/format.h>

#include <algorithm>

#include "formats.h"
#include "input_check.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/util/error.h"
#include "mgeo/util/regular_file.h"

namespace mgeo::io {
namespace {

class Hdf5Source final : public PairSource {
 public:
  Hdf5Source(const std::string& path, const ReadOptions& opts)
      : path_(path),
        opts_(opts),
        file_bytes_(require_regular_file(path, "input")),
        budget_(h5::data_budget(file_bytes_)),
        file_(h5::open_file(path)),
        required_{"id", opts.addr1_column, opts.addr2_column} {
    for (const auto& name : required_) {
      if (!h5::has_dataset(file_, name))
        fail("{}: missing dataset '{}' (an input file needs 1-D datasets {})", path_, name, fmt::join(required_, ", "));
      columns_.push_back(open_column(name));
    }
    size_ = static_cast<int64_t>(h5::shape(columns_[0])[0]);
    for (std::size_t c = 1; c < columns_.size(); ++c) {
      const auto n = static_cast<int64_t>(h5::shape(columns_[c])[0]);
      if (n != size_) fail("{}: dataset '{}' has {} rows but 'id' has {}", path_, required_[c], n, size_);
    }
    find_extra_columns();
  }

  int64_t size() const override { return size_; }

  std::vector<PairRow> read(int64_t begin, int64_t end) override {
    check_range(begin, end);
    const h5::StringLimits limits{budget_, opts_.max_field_bytes};  // longer fields are flagged, not kept
    const auto id = h5::read_strings(columns_[0], begin, end, what("id"), limits);
    const auto addr1 = h5::read_strings(columns_[1], begin, end, what(required_[1]), limits);
    const auto addr2 = h5::read_strings(columns_[2], begin, end, what(required_[2]), limits);
    std::vector<PairRow> rows;
    rows.reserve(id.size());
    for (std::size_t i = 0; i < id.size(); ++i)
      rows.push_back(make_row(id[i], addr1[i], addr2[i], begin + static_cast<int64_t>(i) + 1, opts_));
    return rows;
  }

  std::vector<std::string> extra_columns() const override { return extra_; }

  std::vector<std::string> read_column(const std::string& name, int64_t begin, int64_t end) override {
    check_range(begin, end);
    const bool known = std::find(required_.begin(), required_.end(), name) != required_.end() ||
                       std::find(extra_.begin(), extra_.end(), name) != extra_.end();
    if (!known) fail("{}: no 1-D dataset '{}' with {} rows", path_, name, size_);
    const auto ds = h5::open_for_reading(file_, name, what(name));
    const auto block = h5::read_strings(ds, begin, end, what(name), h5::StringLimits{budget_});
    std::vector<std::string> values;
    values.reserve(block.size());
    for (std::size_t i = 0; i < block.size(); ++i) values.emplace_back(block[i]);
    return values;
  }

 private:
  std::string what(const std::string& name) const { return fmt::format("{}: dataset '{}'", path_, name); }

  h5::Dataset open_column(const std::string& name) const {
    auto ds = h5::open_for_reading(file_, name, what(name));
    const auto dims = h5::shape(ds);
    if (dims.size() != 1) fail("{}: dataset '{}' has {} dimensions, expected 1", path_, name, dims.size());
    h5::check_dataset(ds, file_bytes_, what(name));
    h5::read_strings(ds, 0, std::min<int64_t>(1, static_cast<int64_t>(dims[0])), what(name));  // checks the type
    return ds;
  }

  void find_extra_columns() {
    for (const auto& name : h5::dataset_names(file_)) {
      if (std::find(required_.begin(), required_.end(), name) != required_.end()) continue;
      const auto ds = h5::open_dataset(file_, name, what(name));
      const auto dims = h5::shape(ds);
      if (dims.size() != 1 || static_cast<int64_t>(dims[0]) != size_) continue;
      h5::check_dataset(ds, file_bytes_, what(name));
      extra_.push_back(name);
    }
  }

  void check_range(int64_t begin, int64_t end) const {
    MGEO_CHECK(0 <= begin && begin <= end && end <= size_, "{}: rows [{}, {}) out of range [0, {})", path_, begin,
               end, size_);
  }

  std::string path_;
  ReadOptions opts_;
  uint64_t file_bytes_;
  uint64_t budget_;  // bytes of text a column may hold, given the file's size
  h5::File file_;
  std::vector<std::string> required_;  // id and the two address datasets' names
  std::vector<h5::Dataset> columns_;   // id, addr1, addr2
  int64_t size_ = 0;
  std::vector<std::string> extra_;
};

}  // namespace

std::unique_ptr<PairSource> open_hdf5_in_process(const std::string& path, const ReadOptions& opts) {
  return std::make_unique<Hdf5Source>(path, opts);
}

std::unique_ptr<PairSource> open_hdf5(const std::string& path, const ReadOptions& opts) {
  if (input_check_enabled(Format::hdf5)) check_input_in_child(path, opts, Format::hdf5);
  return open_hdf5_in_process(path, opts);
}

}  // namespace mgeo::io
