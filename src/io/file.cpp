#include "mgeo/io/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "mgeo/util/error.h"

namespace mgeo::io {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

const char* reason() { return std::strerror(errno); }

}  // namespace

Fd::Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

void Fd::close(const std::string& name) {
  const int fd = std::exchange(fd_, -1);
  if (fd >= 0 && ::close(fd) != 0) fail("cannot close {}: {}", name, reason());
}

MappedFile MappedFile::open(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; it is refused below.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) fail("cannot open {}: {}", path, reason());
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("cannot stat {}: {}", path, reason());
  if (!S_ISREG(st.st_mode)) fail("cannot open {}: not a regular file (a FIFO, device or directory)", path);
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) return MappedFile(nullptr, 0);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) fail("cannot map {}: {}", path, reason());
  ::madvise(p, size, MADV_SEQUENTIAL);
  return MappedFile(static_cast<const char*>(p), size);
}

void MappedFile::release(std::string_view part) const noexcept {
  if (data_ == nullptr || part.data() < data_ || part.data() + part.size() > data_ + size_) return;
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<uintptr_t>(part.data()) + page - 1) / page * page;
  const auto end = (reinterpret_cast<uintptr_t>(part.data()) + part.size()) / page * page;
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);  // read-only map: safe
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

BufferedWriter::BufferedWriter(const std::string& path, std::string name)
    : name_(std::move(name)), fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644)) {
  if (fd_.get() < 0) fail("cannot create {}: {}", name_, reason());
  buffer_.reserve(kBufferBytes);
}

void BufferedWriter::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= kBufferBytes) flush();
}

void BufferedWriter::close() {
  flush();
  fd_.close(name_);
}

void BufferedWriter::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const auto n = ::write(fd_.get(), buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write {}: {}", name_, n < 0 ? reason() : "no progress");
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

}  // namespace mgeo::io
