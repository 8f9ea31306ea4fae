// mgeo/io/atomic_file.h — all-or-nothing creation of an output file.
//
// Contract: the constructor first takes ".<name>.lock" beside the final file (flock,
// exclusive): a second writer of the same output, in this or another process, is refused
// with an error naming both, rather than the last rename silently winning; the lock file
// is removed when the writer is destroyed. Holding it, it removes the temporary files of
// earlier writers of this output that died without cleaning up (".<name>.tmp.<other pid>",
// regular files and symlinks only). It then creates temp_path() (".<name>.tmp.<pid>"
// in the final file's directory) empty, with O_EXCL|O_NOFOLLOW: anything already there (a
// planted symlink, a stale file) is an error naming both paths, and is left alone. The writer then writes
// to temp_path(); commit() makes it durable and renames it to the final path in one step.
// Destroying an uncommitted AtomicOutput removes the temp file, so a failed write
// leaves nothing at either name, and a reader never sees a partial output. An existing
// file at the final path stays untouched until commit() replaces it. While it lives, the
// temporary file (and the lock file) is also in a process-wide table that a handler for SIGTERM, SIGINT and
// SIGHUP (installed on first use, only for signals left at their default action) removes
// before the process dies of the signal: a job ended by Ctrl-C, by mpirun's SIGTERM or by
// another rank's failure leaves no temporary file (kill -9 still can). Not thread-safe.
// write_file_atomic() does all of that for a file written in one piece.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace mgeo::io {

class Fd;

class AtomicOutput {
 public:
  explicit AtomicOutput(std::string final_path);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();

  const std::string& path() const { return final_path_; }
  const std::string& temp_path() const { return temp_path_; }

  // fsyncs the temp file, renames it to path() and fsyncs the directory. The writer
  // must have closed the temp file. Throws mgeo::Error naming path() on failure.
  void commit();

 private:
  std::string final_path_;
  std::string temp_path_;
  std::string lock_path_;
  std::unique_ptr<Fd> lock_;  // held from construction to destruction
  bool created_ = false;
  bool committed_ = false;
  int slot_ = -1, lock_slot_ = -1;  // in the process's table of files to remove on a signal
};

// Sets the line (its last character becomes a newline) that the handler above writes to
// stderr when one of those signals ends the process, e.g. how to resume the job; "" for
// none. Installs the handler. Not to be called concurrently with itself.
void set_interrupt_note(const std::string& line);

// ".<name><suffix>" in the directory of `path` (a hidden file beside an output: its
// temporary file, its lock, a job's journal).
std::string hidden_beside(const std::string& path, const std::string& suffix);

// Writes `bytes` as the whole of `path`, all or nothing; throws mgeo::Error naming path.
void write_file_atomic(const std::string& path, std::string_view bytes);

}  // namespace mgeo::io
