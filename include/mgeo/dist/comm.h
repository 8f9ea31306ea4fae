// mgeo/dist/comm.h — MPI lifetime and the collectives the scoring job needs.
//
// Contract: one MpiContext per process brackets all MPI use (it initialises MPI with
// MPI_THREAD_FUNNELED unless MPI is already initialised, and finalises only what it
// initialised). A Communicator owns a duplicate of its parent communicator with errors
// returned, not fatal: every failing MPI call throws mgeo::Error naming the call, the
// rank and the source line. The constructor, barrier, gather*, allgather, allreduce* and
// bcast are collective: all ranks call them in the same order, with the same root and the
// same max_message_bytes(). Payloads of any size work: larger ones travel in pieces of at
// most max_message_bytes(). Only the thread that initialised MPI may use a Communicator.
#pragma once

#include <mpi.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

namespace mgeo::dist {

class MpiContext {
 public:
  explicit MpiContext(int* argc = nullptr, char*** argv = nullptr);
  ~MpiContext();
  MpiContext(const MpiContext&) = delete;
  MpiContext& operator=(const MpiContext&) = delete;

 private:
  bool owns_ = false;
};

// An owned MPI_Comm, freed on destruction (unless MPI is already finalised).
class CommHandle {
 public:
  CommHandle() = default;
  explicit CommHandle(MPI_Comm c) : c_(c) {}
  ~CommHandle() { reset(); }
  CommHandle(CommHandle&& o) noexcept;
  CommHandle& operator=(CommHandle&& o) noexcept;
  CommHandle(const CommHandle&) = delete;
  CommHandle& operator=(const CommHandle&) = delete;

  MPI_Comm get() const { return c_; }

 private:
  void reset() noexcept;
  MPI_Comm c_ = MPI_COMM_NULL;
};

class Communicator {
 public:
  // Duplicates `parent` (collective over it). Requires MPI to be initialised.
  explicit Communicator(MPI_Comm parent = MPI_COMM_WORLD);

  int rank() const { return rank_; }
  int size() const { return size_; }
  // Rank among the processes on this node: the launcher's variable if set
  // (see env.h), else the rank within MPI_COMM_TYPE_SHARED.
  int local_rank() const { return local_rank_; }
  // Number of this communicator's processes on this node.
  int local_size() const { return local_size_; }

  // The MPI communicator, for calls this class does not wrap (windows, point to point).
  MPI_Comm handle() const { return comm_.get(); }

  void barrier() const;
  // Ends every process of the job (not collective).
  [[noreturn]] void abort(int code) const;

  // Largest single MPI message, 1 .. INT_MAX bytes (default INT_MAX).
  size_t max_message_bytes() const { return max_message_bytes_; }
  void set_max_message_bytes(size_t bytes);

  // Root receives every rank's `mine`, concatenated in rank order; other ranks get {}.
  template <class T>
  std::vector<T> gatherv(const std::vector<T>& mine, int root) const;
  std::vector<std::string> gather_strings(const std::vector<std::string>& mine, int root) const;

  // Every rank's value, in rank order, on every rank.
  template <class T>
  std::vector<T> allgather(T v) const;

  // T is one of float, double, int32_t, int64_t, uint8_t, char.
  template <class T>
  T allreduce_sum(T v) const;
  template <class T>
  T allreduce_max(T v) const;
  template <class T>
  T allreduce_min(T v) const;
  void allreduce_sum_inplace(float* data, size_t n) const;

  // Every rank's `s` becomes root's.
  void bcast(std::string& s, int root) const;

 private:
  void check_root(int root) const;
  void allgather_bytes(const void* mine, size_t bytes, void* all) const;
  void gatherv_bytes(const void* mine, const std::vector<int64_t>& counts, size_t elem_bytes, void* all,
                     int root) const;

  CommHandle comm_;
  int rank_ = 0;
  int size_ = 1;
  int local_rank_ = 0;
  int local_size_ = 1;
  size_t max_message_bytes_ = INT_MAX;
};

template <class T>
std::vector<T> Communicator::allgather(T v) const {
  static_assert(std::is_trivially_copyable_v<T>, "allgather moves raw bytes");
  std::vector<T> all(static_cast<size_t>(size_));
  allgather_bytes(&v, sizeof(T), all.data());
  return all;
}

template <class T>
std::vector<T> Communicator::gatherv(const std::vector<T>& mine, int root) const {
  static_assert(std::is_trivially_copyable_v<T>, "gatherv moves raw bytes");
  check_root(root);
  const auto counts = allgather(static_cast<int64_t>(mine.size()));
  const int64_t total = std::accumulate(counts.begin(), counts.end(), int64_t{0});
  std::vector<T> all(rank_ == root ? static_cast<size_t>(total) : 0);
  gatherv_bytes(mine.data(), counts, sizeof(T), all.data(), root);
  return all;
}

}  // namespace mgeo::dist
