// Communicator collectives. Payloads move as MPI_BYTE; those over the message limit are
// split into pieces (a single MPI call takes an int count and int displacements).
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "check.h"
#include "mgeo/dist/comm.h"

namespace mgeo::dist {
namespace {

constexpr int kPieceTag = 1;  // the communicator is private, so one tag suffices

template <class T>
MPI_Datatype mpi_type();
template <>
MPI_Datatype mpi_type<float>() { return MPI_FLOAT; }
template <>
MPI_Datatype mpi_type<double>() { return MPI_DOUBLE; }
template <>
MPI_Datatype mpi_type<int32_t>() { return MPI_INT32_T; }
template <>
MPI_Datatype mpi_type<int64_t>() { return MPI_INT64_T; }
template <>
MPI_Datatype mpi_type<uint8_t>() { return MPI_UINT8_T; }
template <>
MPI_Datatype mpi_type<char>() { return std::is_signed_v<char> ? MPI_SIGNED_CHAR : MPI_UNSIGNED_CHAR; }

template <class T>
T allreduce(MPI_Comm c, T v, MPI_Op op) {
  T out{};
  MGEO_MPI_CHECK(MPI_Allreduce(&v, &out, 1, mpi_type<T>(), op, c));
  return out;
}

// Pieces of at most `piece` bytes, sent and received in order (MPI does not overtake).
void send_bytes(MPI_Comm c, const char* p, int64_t n, int dest, int64_t piece) {
  for (int64_t off = 0; off < n; off += piece) {
    const int k = static_cast<int>(std::min(piece, n - off));
    MGEO_MPI_CHECK(MPI_Send(p + off, k, MPI_BYTE, dest, kPieceTag, c));
  }
}

void recv_bytes(MPI_Comm c, char* p, int64_t n, int src, int64_t piece) {
  for (int64_t off = 0; off < n; off += piece) {
    const int k = static_cast<int>(std::min(piece, n - off));
    MGEO_MPI_CHECK(MPI_Recv(p + off, k, MPI_BYTE, src, kPieceTag, c, MPI_STATUS_IGNORE));
  }
}

void bcast_bytes(MPI_Comm c, char* p, int64_t n, int root, int64_t piece) {
  for (int64_t off = 0; off < n; off += piece) {
    const int k = static_cast<int>(std::min(piece, n - off));
    MGEO_MPI_CHECK(MPI_Bcast(p + off, k, MPI_BYTE, root, c));
  }
}

// One MPI_Gatherv; every byte count and offset fits in an int.
void gatherv_once(MPI_Comm c, const void* mine, const std::vector<int64_t>& bytes, void* all, int root,
                  int rank) {
  std::vector<int> counts(bytes.size());
  std::vector<int> displs(bytes.size());
  int64_t off = 0;
  for (size_t r = 0; r < bytes.size(); off += bytes[r], ++r) {
    counts[r] = static_cast<int>(bytes[r]);
    displs[r] = static_cast<int>(off);
  }
  MGEO_MPI_CHECK(MPI_Gatherv(mine, counts[rank], MPI_BYTE, all, counts.data(), displs.data(), MPI_BYTE, root, c));
}

// Root receives each rank's bytes in turn, piece by piece.
void gatherv_pieces(MPI_Comm c, const void* mine, const std::vector<int64_t>& bytes, void* all, int root,
                    int rank, int64_t piece) {
  if (rank != root) return send_bytes(c, static_cast<const char*>(mine), bytes[rank], root, piece);
  char* out = static_cast<char*>(all);
  for (size_t r = 0; r < bytes.size(); out += bytes[r], ++r) {
    if (static_cast<int>(r) != root)
      recv_bytes(c, out, bytes[r], static_cast<int>(r), piece);
    else if (bytes[r] > 0)
      std::memcpy(out, mine, static_cast<size_t>(bytes[r]));
  }
}

}  // namespace

void Communicator::allgather_bytes(const void* mine, size_t bytes, void* all) const {
  const int n = static_cast<int>(bytes);
  MGEO_MPI_CHECK(MPI_Allgather(mine, n, MPI_BYTE, all, n, MPI_BYTE, comm_.get()));
}

void Communicator::gatherv_bytes(const void* mine, const std::vector<int64_t>& counts, size_t elem_bytes,
                                 void* all, int root) const {
  std::vector<int64_t> bytes(counts.size());
  std::transform(counts.begin(), counts.end(), bytes.begin(),
                 [&](int64_t n) { return n * static_cast<int64_t>(elem_bytes); });
  const int64_t total = std::accumulate(bytes.begin(), bytes.end(), int64_t{0});
  const auto piece = static_cast<int64_t>(max_message_bytes_);
  if (total <= piece)
    gatherv_once(comm_.get(), mine, bytes, all, root, rank_);
  else
    gatherv_pieces(comm_.get(), mine, bytes, all, root, rank_, piece);
}

std::vector<std::string> Communicator::gather_strings(const std::vector<std::string>& mine, int root) const {
  check_root(root);
  std::vector<int64_t> lengths;
  std::vector<char> bytes;
  lengths.reserve(mine.size());
  for (const auto& s : mine) {
    lengths.push_back(static_cast<int64_t>(s.size()));
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  const auto all_lengths = gatherv(lengths, root);
  const auto all_bytes = gatherv(bytes, root);
  std::vector<std::string> out;
  out.reserve(all_lengths.size());
  size_t off = 0;
  for (int64_t len : all_lengths) {
    out.emplace_back(all_bytes.data() + off, static_cast<size_t>(len));
    off += static_cast<size_t>(len);
  }
  return out;
}

template <class T>
T Communicator::allreduce_sum(T v) const {
  return allreduce(comm_.get(), v, MPI_SUM);
}

template <class T>
T Communicator::allreduce_max(T v) const {
  return allreduce(comm_.get(), v, MPI_MAX);
}

template <class T>
T Communicator::allreduce_min(T v) const {
  return allreduce(comm_.get(), v, MPI_MIN);
}

void Communicator::allreduce_sum_inplace(float* data, size_t n) const {
  const size_t piece = std::max<size_t>(1, max_message_bytes_ / sizeof(float));
  for (size_t off = 0; off < n; off += piece) {
    const int k = static_cast<int>(std::min(piece, n - off));
    MGEO_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, data + off, k, MPI_FLOAT, MPI_SUM, comm_.get()));
  }
}

void Communicator::bcast(std::string& s, int root) const {
  check_root(root);
  auto n = static_cast<int64_t>(s.size());
  MGEO_MPI_CHECK(MPI_Bcast(&n, 1, MPI_INT64_T, root, comm_.get()));
  s.resize(static_cast<size_t>(n));
  bcast_bytes(comm_.get(), s.data(), n, root, static_cast<int64_t>(max_message_bytes_));
}

#define MGEO_DIST_REDUCTIONS(T)                           \
  template T Communicator::allreduce_sum<T>(T) const;    \
  template T Communicator::allreduce_max<T>(T) const;    \
  template T Communicator::allreduce_min<T>(T) const;
MGEO_DIST_REDUCTIONS(float)
MGEO_DIST_REDUCTIONS(double)
MGEO_DIST_REDUCTIONS(int32_t)
MGEO_DIST_REDUCTIONS(int64_t)
MGEO_DIST_REDUCTIONS(uint8_t)
MGEO_DIST_REDUCTIONS(char)
#undef MGEO_DIST_REDUCTIONS

}  // namespace mgeo::dist
