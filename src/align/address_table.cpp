#include "mgeo/align/address_table.h"

#include <algorithm>

#include "mgeo/io/pair_source.h"
#include "mgeo/util/error.h"

namespace mgeo::align {

int64_t AddressTable::flagged() const {
  return std::count_if(status.begin(), status.end(), [](io::RowStatus s) { return s != io::RowStatus::ok; });
}

AddressTable read_address_table(const std::string& path, std::size_t max_field_bytes) {
  io::ReadOptions opts;
  opts.max_field_bytes = max_field_bytes;
  opts.addr1_column = opts.addr2_column = "address";
  auto source = io::PairSource::open(path, opts);
  AddressTable t;
  t.path = path;
  const int64_t n = source->size();
  t.ids.reserve(n), t.addresses.reserve(n), t.status.reserve(n), t.lines.reserve(n);
  constexpr int64_t kBlock = 1 << 16;
  for (int64_t begin = 0; begin < n; begin += kBlock) {
    for (auto& row : source->read(begin, std::min(n, begin + kBlock))) {
      t.ids.push_back(std::move(row.id));
      t.addresses.push_back(std::move(row.addr1));
      t.status.push_back(row.status);
      t.lines.push_back(row.line);
    }
  }
  const auto repeated = io::find_duplicates(t.ids);
  for (std::size_t i = 0; i < repeated.size(); ++i)
    if (repeated[i] && t.status[i] == io::RowStatus::ok) t.status[i] = io::RowStatus::duplicate_id;
  return t;
}

void require_writable_ids(const AddressTable& t, const io::TableWriter& out) {
  for (std::size_t i = 0; i < t.size(); ++i)
    MGEO_CHECK(out.can_hold(t.ids[i]),
               "{}: line {}: the id '{}' holds a tab or line break, which {} cannot hold; write a .csv or .h5 output",
               t.path, t.lines[i], t.ids[i], out.path());
}

}  // namespace mgeo::align
