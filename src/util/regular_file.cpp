#include "mgeo/util/regular_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "mgeo/util/error.h"

namespace mgeo {

uint64_t require_regular_file(const std::string& path, const char* what, uint64_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail("cannot open {} {}: {}", what, path, std::strerror(errno));
  const char* kind = S_ISREG(st.st_mode)    ? nullptr
                     : S_ISDIR(st.st_mode)  ? "a directory"
                     : S_ISFIFO(st.st_mode) ? "a FIFO"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                                            : "not a regular file";
  if (kind != nullptr) fail("cannot read {} {}: it is {}, not a regular file", what, path, kind);
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) fail("cannot read {} {}: {} bytes, more than the {} allowed", what, path, size, max_bytes);
  return size;
}

}  // namespace mgeo
