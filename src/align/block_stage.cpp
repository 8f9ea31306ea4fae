#include "mgeo/align/block_stage.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"
#include "mgeo/dist/shard.h"
#include "mgeo/util/error.h"

namespace mgeo::align {
namespace {

// Every rank's `mine`, concatenated in rank order, on every rank.
template <class T>
std::vector<T> allgatherv(const dist::Communicator& comm, const std::vector<T>& mine) {
  if (comm.size() == 1) return mine;
  const std::vector<T> all = comm.gatherv(mine, 0);
  std::string bytes;
  if (comm.rank() == 0) bytes.assign(reinterpret_cast<const char*>(all.data()), all.size() * sizeof(T));
  comm.bcast(bytes, 0);
  std::vector<T> out(bytes.size() / sizeof(T));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
  return out;
}

}  // namespace

MasterIndex build_index(const address::Parser& parser, const AddressTable& masters, const link::BlockOptions& options) {
  MGEO_CHECK(masters.size() < (uint64_t{1} << 32), "{}: {} rows; the index holds at most 2^32 - 1", masters.path,
             masters.size());
  MasterIndex m;
  std::vector<std::string> ids, addresses;
  for (std::size_t i = 0; i < masters.size(); ++i) {
    if (!masters.ok(i)) continue;
    m.rows.push_back(static_cast<uint32_t>(i));
    ids.push_back(masters.ids[i]);
    addresses.push_back(masters.addresses[i]);
  }
  m.index = std::make_unique<link::BlockIndex>(parser, ids, addresses, options);
  return m;
}

CandidateLists block_range(const MasterIndex& index, const AddressTable& queries, int64_t begin, int64_t end,
                           const BlockOptions& o) {
  MGEO_CHECK(0 <= begin && begin <= end && end <= static_cast<int64_t>(queries.size()),
             "block_range: rows [{}, {}) out of [0, {})", begin, end, queries.size());
  const auto n = static_cast<std::size_t>(end - begin);
  std::vector<std::vector<link::Candidate>> lists(n);
  const std::size_t ask = o.k + (o.skip_self ? 1 : 0);
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mu;
  auto work = [&] {
    try {
      constexpr std::size_t kStep = 256;
      for (std::size_t s = next.fetch_add(kStep); s < n; s = next.fetch_add(kStep)) {
        for (std::size_t i = s; i < std::min(n, s + kStep); ++i) {
          const auto q = static_cast<std::size_t>(begin) + i;
          if (!queries.ok(q) || ask == 0) continue;
          auto found = index.index->candidates(queries.addresses[q], ask);
          if (o.skip_self) {
            found.erase(std::remove_if(found.begin(), found.end(),
                                       [&](const link::Candidate& c) { return index.rows[c.master] == q; }),
                        found.end());
            if (found.size() > o.k) found.resize(o.k);
          }
          lists[i] = std::move(found);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mu);
      if (!error) error = std::current_exception();
    }
  };
  const int threads = std::max(1, std::min<int>(o.threads, static_cast<int>(n / 256 + 1)));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);

  CandidateLists out;
  out.offsets.reserve(n + 1);
  for (const auto& list : lists) {
    for (const auto& c : list) {
      out.row.push_back(index.rows[c.master]);
      out.block_score.push_back(c.block_score);
      out.found_by.push_back(c.found_by);
    }
    out.offsets.push_back(static_cast<int64_t>(out.row.size()));
  }
  return out;
}

CandidateLists block_queries(const MasterIndex& index, const AddressTable& queries, const BlockOptions& o,
                             const dist::Communicator& comm) {
  const auto mine = dist::shard_range(static_cast<int64_t>(queries.size()), comm.rank(), comm.size());
  CandidateLists part = block_range(index, queries, mine.begin, mine.end, o);
  if (comm.size() == 1) return part;
  std::vector<int64_t> counts(part.queries());
  for (std::size_t q = 0; q < part.queries(); ++q) counts[q] = part.end(q) - part.begin(q);
  CandidateLists all;
  const auto all_counts = allgatherv(comm, counts);
  all.offsets.resize(all_counts.size() + 1);
  for (std::size_t q = 0; q < all_counts.size(); ++q) all.offsets[q + 1] = all.offsets[q] + all_counts[q];
  all.row = allgatherv(comm, part.row);
  all.block_score = allgatherv(comm, part.block_score);
  all.found_by = allgatherv(comm, part.found_by);
  MGEO_CHECK(all.queries() == queries.size() && static_cast<int64_t>(all.row.size()) == all.pairs(),
             "rank {}: gathered candidate lists for {} queries ({} pairs), expected {} queries", comm.rank(),
             all.queries(), all.row.size(), queries.size());
  return all;
}


RowPairs symmetric_pairs(const CandidateLists& lists) {
  struct P {
    uint32_t a, b;
    float s;
    uint8_t f;
  };
  std::vector<P> all;
  all.reserve(static_cast<std::size_t>(lists.pairs()));
  for (std::size_t q = 0; q < lists.queries(); ++q) {
    for (int64_t i = lists.begin(q); i < lists.end(q); ++i) {
      const auto k = static_cast<std::size_t>(i);
      const auto r = lists.row[k], self = static_cast<uint32_t>(q);
      if (r == self) continue;
      all.push_back({std::min(r, self), std::max(r, self), lists.block_score[k], lists.found_by[k]});
    }
  }
  std::sort(all.begin(), all.end(), [](const P& x, const P& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  RowPairs out;
  for (const P& p : all) {
    if (!out.a.empty() && out.a.back() == p.a && out.b.back() == p.b) {
      out.block_score.back() = std::max(out.block_score.back(), p.s);
      out.found_by.back() |= p.f;
      continue;
    }
    out.a.push_back(p.a), out.b.push_back(p.b), out.block_score.push_back(p.s), out.found_by.push_back(p.f);
  }
  return out;
}

}  // namespace mgeo::align
