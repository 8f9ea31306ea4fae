#include "mgeo/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "mgeo/io/file.h"
#include "mgeo/util/error.h"

namespace mgeo::io {
namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string temp_name(const std::string& path) {
  const auto slash = path.rfind('/');
  const auto dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  const auto name = slash == std::string::npos ? path : path.substr(slash + 1);
  return fmt::format("{}.{}.tmp.{}", dir, name, ::getpid());
}

void fsync_path(const std::string& path, int flags, const std::string& what) {
  Fd fd(::open(path.c_str(), flags | O_CLOEXEC));
  if (fd.get() < 0) fail("cannot open {} to sync it: {}", what, std::strerror(errno));
  if (::fsync(fd.get()) != 0) fail("cannot sync {}: {}", what, std::strerror(errno));
  fd.close(what);
}

}  // namespace

AtomicOutput::AtomicOutput(std::string final_path)
    : final_path_(std::move(final_path)), temp_path_(temp_name(final_path_)) {
  MGEO_CHECK(!final_path_.empty() && final_path_.back() != '/', "output path '{}' names no file", final_path_);
  // Created here, exclusively and never through a link: whatever already sits at the
  // temporary name (a planted symlink, a stale file) is an error, never overwritten.
  Fd fd(::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == EEXIST)
      fail("cannot write {}: its temporary file {} already exists (a link or a file left behind by a job that "
           "died?); remove it and run again", final_path_, temp_path_);
    fail("cannot create {} (for {}): {}", temp_path_, final_path_, std::strerror(err));
  }
  fd.close(temp_path_);
  created_ = true;
}

AtomicOutput::~AtomicOutput() {
  if (created_ && !committed_) ::unlink(temp_path_.c_str());
}

void AtomicOutput::commit() {
  fsync_path(temp_path_, O_RDONLY, final_path_);
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    fail("cannot rename {} to {}: {}", temp_path_, final_path_, std::strerror(errno));
  committed_ = true;
  fsync_path(directory_of(final_path_), O_RDONLY | O_DIRECTORY, directory_of(final_path_));
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  AtomicOutput out(path);
  BufferedWriter writer(out.temp_path(), path);
  writer.write(bytes);
  writer.close();
  out.commit();
}

}  // namespace mgeo::io
