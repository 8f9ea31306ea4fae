// mgeo/io/file.h — RAII owners of POSIX files: descriptors, read-only maps, buffered writes.
//
// Contract: each object owns its descriptor or mapping and releases it on destruction,
// ignoring errors there; explicit close() reports them. Failures throw mgeo::Error
// naming the file and the system's reason. Move-only; an object is not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mgeo::io {

// An open file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept;
  Fd& operator=(Fd&& other) noexcept;
  ~Fd();

  int get() const { return fd_; }
  // Closes now; throws mgeo::Error naming `name` if the system reports a failure.
  void close(const std::string& name);

 private:
  int fd_ = -1;
};

// A whole file mapped read-only (an empty file maps to an empty view).
class MappedFile {
 public:
  // Throws mgeo::Error "cannot open <path>: <reason>".
  static MappedFile open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  ~MappedFile();

  std::string_view text() const { return {data_, size_}; }
  // Drops the pages wholly inside `part` (a piece of text()) from this process's memory;
  // reading them again faults them back in from the file. Keeps resident memory to the
  // part being read when a large file is read front to back.
  void release(std::string_view part) const noexcept;

 private:
  MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Writes a new file through a large buffer: one system call per buffer, not per row.
class BufferedWriter {
 public:
  // Creates or truncates `path`; error messages name `name` (e.g. the final output path).
  BufferedWriter(const std::string& path, std::string name);

  void write(std::string_view bytes);
  // Flushes and closes; throws mgeo::Error on a short write or a failed close.
  void close();

 private:
  void flush();

  std::string name_;
  Fd fd_;
  std::string buffer_;
};

}  // namespace mgeo::io
