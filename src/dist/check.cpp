#include "check.h"

#include <string_view>

#include "mgeo/util/error.h"

namespace mgeo::dist::detail {
namespace {

std::string_view source_relative(std::string_view file) {
  constexpr std::string_view root = MGEO_SOURCE_DIR "/";
  if (file.substr(0, root.size()) == root) file.remove_prefix(root.size());
  return file;
}

}  // namespace

void throw_call_error(const char* call, const std::string& reason, const char* file, int line) {
  const int rank = world_rank();
  fail("{} failed on rank {} at {}:{}: {}", call, rank >= 0 ? std::to_string(rank) : "?",
       source_relative(file), line, reason);
}

std::string mpi_error_string(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(code, text, &len) != MPI_SUCCESS) return "MPI error " + std::to_string(code);
  return std::string(text, static_cast<size_t>(len));
}

int world_rank() noexcept {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  int rank = -1;
  if (initialized && !finalized) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

}  // namespace mgeo::dist::detail
