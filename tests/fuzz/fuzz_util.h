// Shared by the harnesses: the fuzz input as a file (for readers that take a path) and
// invariant checks that abort, so that a broken contract counts as a finding.
//
// Contract: an InputFile lives in a directory of its own under $TMPDIR (default /tmp),
// made on first use and removed at a normal exit. Single-threaded, as libFuzzer runs.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "mgeo/util/error.h"

namespace mgeo::fuzz {

// Called with each expected error a harness catches: prints it when MGEO_FUZZ_VERBOSE is
// set (to see why a seed is refused), else nothing.
inline void rejected(const mgeo::Error& e) {
  static const bool verbose = std::getenv("MGEO_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "rejected: %s\n", e.what());
}

class InputFile {
 public:
  // `name` (e.g. "pairs.csv") sets the extension the reader goes by.
  explicit InputFile(const std::string& name) : path_(dir().path + "/" + name) { dir().files.push_back(path_); }

  // Replaces the file's contents with `data`; returns its path.
  const std::string& write(const uint8_t* data, size_t size) const {
    // A new file each time: truncating one in place makes ext4 flush it (auto_da_alloc).
    ::unlink(path_.c_str());
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die("cannot create", path_);
    for (size_t done = 0; done < size;) {
      const auto n = ::write(fd, data + done, size - done);
      if (n <= 0) die("cannot write", path_);
      done += static_cast<size_t>(n);
    }
    ::close(fd);
    return path_;
  }
  const std::string& write(const std::string& text) const {
    return write(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  }
  const std::string& path() const { return path_; }

 private:
  struct Dir {
    Dir() {
      const char* tmp = std::getenv("TMPDIR");
      std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/mgeo-fuzz-XXXXXX";
      if (!::mkdtemp(pattern.data())) die("cannot make a directory like", pattern);
      path = pattern;
    }
    ~Dir() {
      for (const auto& f : files) ::unlink(f.c_str());
      ::rmdir(path.c_str());
    }
    std::string path;
    std::vector<std::string> files;
  };
  static Dir& dir() {
    static Dir d;
    return d;
  }
  [[noreturn]] static void die(const char* what, const std::string& path) {
    std::fprintf(stderr, "fuzz harness: %s %s\n", what, path.c_str());
    std::abort();
  }

  std::string path_;
};

}  // namespace mgeo::fuzz

// FUZZ_CHECK(cond, "what"): a contract the reader broke; aborts with the message.
#define FUZZ_CHECK(cond, what)                                                              \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "%s:%d: contract broken: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)
