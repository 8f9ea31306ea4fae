// The candidate pairs of link and dedupe as an io::PairSource (internal to src/align):
// pair p is (left row left_of[p], right row right_of[p]) of two address tables, made into
// a PairRow on demand (id: p in decimal; addr1: the left address; addr2: the right one),
// so the score engine reads candidate pairs as it reads a pair file, without a copy of
// every pair's text. Rows are never flagged: only ok rows become candidates.
#pragma once

#include <string>
#include <vector>

#include "mgeo/align/address_table.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/util/error.h"

namespace mgeo::align::detail {

class CandidatePairs final : public io::PairSource {
 public:
  CandidatePairs(const AddressTable& left, const AddressTable& right, const std::vector<uint32_t>& left_of,
                 const std::vector<uint32_t>& right_of)
      : left_(left), right_(right), left_of_(left_of), right_of_(right_of) {
    MGEO_CHECK(left_of.size() == right_of.size(), "candidate pairs: {} left rows for {} right rows", left_of.size(),
               right_of.size());
  }

  int64_t size() const override { return static_cast<int64_t>(left_of_.size()); }

  std::vector<io::PairRow> read(int64_t begin, int64_t end) override {
    MGEO_CHECK(0 <= begin && begin <= end && end <= size(), "candidate pairs: rows [{}, {}) out of [0, {})", begin,
               end, size());
    std::vector<io::PairRow> rows(static_cast<std::size_t>(end - begin));
    for (int64_t p = begin; p < end; ++p) {
      auto& r = rows[static_cast<std::size_t>(p - begin)];
      r.id = std::to_string(p);
      r.addr1 = left_.addresses[left_of_[static_cast<std::size_t>(p)]];
      r.addr2 = right_.addresses[right_of_[static_cast<std::size_t>(p)]];
      r.line = p + 1;
    }
    return rows;
  }

  std::vector<std::string> extra_columns() const override { return {}; }
  std::vector<std::string> read_column(const std::string& name, int64_t, int64_t) override {
    fail("candidate pairs have no column '{}'", name);
  }

 private:
  const AddressTable& left_;
  const AddressTable& right_;
  const std::vector<uint32_t>& left_of_;
  const std::vector<uint32_t>& right_of_;
};

}  // namespace mgeo::align::detail
