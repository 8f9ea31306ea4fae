// An HDF5 or Parquet input read through in a child process before this process opens it.
//
// HDF5 1.10.8 (the library Debian ships) can crash (heap overflows in its global heap
// and string conversion code), allocate gigabytes or loop forever on a damaged file. No
// check done from outside the library sees all of that, so the reader first runs in a
// child process under RLIMIT_CPU, RLIMIT_AS and a wall-clock deadline, and only a file
// the child read through completely is opened here. The library is deterministic, and the
// reader makes the same calls whatever rows it is asked for (whole pieces, hdf5_read.cpp):
// the same calls on the same bytes take the same path in both processes. Arrow's Parquet
// reader turns most damage into a Status, but a hostile file can still crash it (a decoder
// bug), make it allocate without bound or spin, so Parquet inputs take the same way: the
// child opens the file with the format's own in-process opener (open_hdf5_in_process,
// open_parquet_in_process) and reads every row of every column, as the parent may.
//
// The child is this executable started again (/proc/self/exe through posix_spawn), not a
// fork: the job is multi-threaded (libtorch, tokenizer pool, MPI progress threads) and an
// MPI process (Open MPI warns about fork with registered memory, and a forked child can
// inherit locks held by other threads, then hang). A fresh process inherits none of it,
// and posix_spawn neither copies the parent's pages nor runs its fork handlers. The
// child is told what to do (the file, its format, the read options, the time limit)
// through the environment and does it in a constructor of this library, before main()
// runs: any executable that links these readers (the tool, the tests, the benchmarks) can
// be the child without a subcommand, and the child never reaches MPI_Init. The cost is one
// process start (about 0.5 s for mgeo-dist, which loads libtorch) and one read of the
// file per open.
//
// Each format has its own switch and time limit, so trusting one format's files does not
// trust the other's: MGEO_HDF5_CHECK=0 / MGEO_PARQUET_CHECK=0 skip the check, for trusted
// inputs only; MGEO_HDF5_CHECK_SECONDS / MGEO_PARQUET_CHECK_SECONDS set the time limit
// (default 60 s plus 1 s per 16 MiB of file).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "formats.h"
#include "input_check.h"
#include "mgeo/io/file.h"
#include "mgeo/util/error.h"
#include "mgeo/util/regular_file.h"

extern char** environ;

namespace mgeo::io {
namespace {

// What differs between the formats the check serves: the user's switch and time limit,
// and the names its messages use.
struct Checked {
  Format format;
  const char* name;      // "HDF5": "the process that checks HDF5 inputs"
  const char* library;   // "the HDF5 library crashed ..."
  const char* var;       // the switch: MGEO_HDF5_CHECK=0 skips the check
  const char* seconds;   // its time limit
  const char* argv0;     // the child's name in ps
};
constexpr Checked kChecked[] = {
    {Format::hdf5, "HDF5", "the HDF5 library", "MGEO_HDF5_CHECK", "MGEO_HDF5_CHECK_SECONDS", "mgeo-hdf5-check"},
    {Format::parquet, "Parquet", "the Parquet library (Arrow)", "MGEO_PARQUET_CHECK", "MGEO_PARQUET_CHECK_SECONDS",
     "mgeo-parquet-check"},
};

const Checked& checked(Format format) {
  for (const auto& c : kChecked)
    if (c.format == format) return c;
  fail("no check in a separate process for this input format");
}

// Set only in the child's environment: the file, its format ("hdf5" or "parquet"), the
// ReadOptions that matter and the time limit in seconds.
constexpr const char* kChildPrefix = "MGEO_INPUT_CHECK_CHILD_";
constexpr const char* kChildPath = "MGEO_INPUT_CHECK_CHILD_PATH";
constexpr const char* kChildFormat = "MGEO_INPUT_CHECK_CHILD_FORMAT";
constexpr const char* kChildAddr1 = "MGEO_INPUT_CHECK_CHILD_ADDR1";
constexpr const char* kChildAddr2 = "MGEO_INPUT_CHECK_CHILD_ADDR2";
constexpr const char* kChildMaxField = "MGEO_INPUT_CHECK_CHILD_MAX_FIELD";
constexpr const char* kChildSeconds = "MGEO_INPUT_CHECK_CHILD_SECONDS";

constexpr int64_t kCheckRows = 1 << 16;            // rows per read() in the child
constexpr uint64_t kChildMemory = uint64_t{2} << 30;  // address space the child may add to its own
constexpr std::size_t kMaxReport = 4096;            // bytes of the child's report kept

// What the child reports on its stdout: the marker, one of these words, a line break, a
// message. The marker sets the report apart from anything a library may print first.
constexpr std::string_view kMarker = "mgeo-input-check:";
constexpr std::string_view kOk = "ok", kFailed = "error", kNoMemory = "memory";

int check_seconds(const Checked& c, uint64_t file_bytes) {
  if (const char* s = std::getenv(c.seconds); s && *s) {
    char* end = nullptr;
    const long v = std::strtol(s, &end, 10);
    MGEO_CHECK(*end == '\0' && v >= 1 && v <= 86400, "{} must be a number of seconds from 1 to 86400 (got '{}')",
               c.seconds, s);
    return static_cast<int>(v);
  }
  return static_cast<int>(std::min<uint64_t>(60 + (file_bytes >> 24), 86400));
}

// ---- the child ----

void report(std::string_view word, std::string_view message) {
  std::string text(kMarker);
  text.append(word);
  text += '\n';
  text.append(message.substr(0, kMaxReport));
  for (std::size_t done = 0; done < text.size();) {
    const auto n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
}

uint64_t address_space_now() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[64] = {};
  const auto n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  return n > 0 ? std::strtoull(buf, nullptr, 10) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

void limit_child(int seconds) {
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  const rlimit cpu{static_cast<rlim_t>(seconds), static_cast<rlim_t>(seconds) + 1};  // SIGXCPU, then SIGKILL
  ::setrlimit(RLIMIT_CPU, &cpu);
  // Relative to what is mapped now: libtorch maps gigabytes, AddressSanitizer terabytes.
  if (const auto now = address_space_now(); now > 0) {
    const rlimit as{now + kChildMemory, now + kChildMemory};
    ::setrlimit(RLIMIT_AS, &as);
  }
}

void read_through(const std::string& path, const ReadOptions& opts, bool parquet) {
  const auto source = parquet ? open_parquet_in_process(path, opts) : open_hdf5_in_process(path, opts);
  const int64_t n = source->size();
  for (int64_t b = 0; b < n; b += kCheckRows) source->read(b, std::min(n, b + kCheckRows));
  for (const auto& column : source->extra_columns()) {
    try {  // a column the reader refuses (floats, say) fails only the job that asks for it
      for (int64_t b = 0; b < n; b += kCheckRows) source->read_column(column, b, std::min(n, b + kCheckRows));
    } catch (const Error&) {
    }
  }
}  // and closes the file, as the parent will

[[noreturn]] void run_child(const char* path) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a job killed by mpirun takes its check with it
  const char* format = std::getenv(kChildFormat);
  const bool parquet = format && std::strcmp(format, "parquet") == 0;
  if (!parquet) H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    const char* seconds = std::getenv(kChildSeconds);
    limit_child(seconds ? std::atoi(seconds) : 60);
    ReadOptions opts;
    if (const char* s = std::getenv(kChildAddr1)) opts.addr1_column = s;
    if (const char* s = std::getenv(kChildAddr2)) opts.addr2_column = s;
    if (const char* s = std::getenv(kChildMaxField)) opts.max_field_bytes = std::strtoull(s, nullptr, 10);
    read_through(path, opts, parquet);
    report(kOk, "");
    ::_exit(0);
  } catch (const std::bad_alloc&) {
    report(kNoMemory, "");
  } catch (const Error& e) {
    report(kFailed, e.what());  // names the file, as the reader's errors do
  } catch (const std::exception& e) {
    report(kFailed, fmt::format("{}: {}", path, e.what()));
  } catch (...) {
    report(kFailed, fmt::format("{}: unknown exception", path));
  }
  ::_exit(1);
}

// The child's entry: it runs before main() and leaves with _exit, so neither main nor any
// exit-time cleanup of the executable runs in it. Needs only libraries that are already
// initialized (HDF5, Arrow and Parquet, libstdc++: shared libraries this one depends on)
// and code of this library without dynamic initializers (the Parquet sources have none).
__attribute__((constructor)) void input_check_child_entry() {
  if (const char* path = std::getenv(kChildPath)) run_child(path);
}

// ---- the parent ----

class SpawnActions {
 public:
  SpawnActions() { ::posix_spawn_file_actions_init(&a_); }
  ~SpawnActions() { ::posix_spawn_file_actions_destroy(&a_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &a_; }

 private:
  posix_spawn_file_actions_t a_;
};

class SpawnAttributes {
 public:
  SpawnAttributes() { ::posix_spawnattr_init(&a_); }
  ~SpawnAttributes() { ::posix_spawnattr_destroy(&a_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  posix_spawnattr_t* get() { return &a_; }

 private:
  posix_spawnattr_t a_;
};

bool starts_with(const char* s, std::string_view prefix) { return std::strncmp(s, prefix.data(), prefix.size()) == 0; }

// This process's environment without the check's variables, then the child's.
std::vector<std::string> child_environment(const Checked& c, const std::string& path, const ReadOptions& opts,
                                           int seconds) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    bool ours = starts_with(*e, kChildPrefix);
    for (const auto& k : kChecked) ours = ours || starts_with(*e, k.var);
    if (!ours) env.emplace_back(*e);
  }
  env.push_back(fmt::format("{}={}", kChildPath, path));
  env.push_back(fmt::format("{}={}", kChildFormat, c.format == Format::parquet ? "parquet" : "hdf5"));
  env.push_back(fmt::format("{}={}", kChildAddr1, opts.addr1_column));
  env.push_back(fmt::format("{}={}", kChildAddr2, opts.addr2_column));
  env.push_back(fmt::format("{}={}", kChildMaxField, opts.max_field_bytes));
  env.push_back(fmt::format("{}={}", kChildSeconds, seconds));
  return env;
}

pid_t spawn_child(const Checked& c, const std::string& path, const ReadOptions& opts, int seconds, int report_fd) {
  SpawnActions actions;
  MGEO_CHECK(::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0) == 0 &&
                 ::posix_spawn_file_actions_adddup2(actions.get(), report_fd, STDOUT_FILENO) == 0,
             "{}: cannot prepare the process that checks it", path);
  SpawnAttributes attrs;
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  ::posix_spawnattr_setsigmask(attrs.get(), &none);
  ::posix_spawnattr_setsigdefault(attrs.get(), &all);  // SIGXCPU and crashes end it, even if ignored here
  ::posix_spawnattr_setflags(attrs.get(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  auto env = child_environment(c, path, opts, seconds);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string name = c.argv0;
  char* argv[] = {name.data(), nullptr};
  pid_t pid = -1;
  const int err = ::posix_spawn(&pid, "/proc/self/exe", actions.get(), attrs.get(), argv, envp.data());
  if (err != 0)
    fail("{}: cannot start the process that checks {} inputs (/proc/self/exe: {}); {}=0 skips the check for "
         "trusted inputs",
         path, c.name, std::strerror(err), c.var);
  return pid;
}

struct Outcome {
  int status = 0;
  bool exited = false;  // status is known
  bool timed_out = false;
  std::string report;
};

// Collects the child's report until it exits or the deadline passes (then kills it).
Outcome wait_for(pid_t pid, int report_fd, int seconds) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  Outcome out;
  bool open = true;
  char buf[4096];
  for (;;) {
    const pid_t r = ::waitpid(pid, &out.status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) {
      out.exited = r == pid;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &out.status, 0) < 0 && errno == EINTR) {
      }
      out.timed_out = true;
      return out;
    }
    pollfd p{report_fd, POLLIN, 0};
    const int ready = ::poll(&p, open ? 1 : 0, static_cast<int>(std::min<long long>(left, open ? 1000 : 5)));
    if (ready > 0) {
      const auto n = ::read(report_fd, buf, sizeof buf);
      if (n > 0 && out.report.size() < 2 * kMaxReport) out.report.append(buf, static_cast<std::size_t>(n));
      if (n == 0) open = false;  // the child closed its end: it is exiting
    }
  }
  for (ssize_t n; (n = ::read(report_fd, buf, sizeof buf)) > 0;)  // what it wrote just before exiting
    if (out.report.size() < 2 * kMaxReport) out.report.append(buf, static_cast<std::size_t>(n));
  return out;
}

std::string signal_text(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

}  // namespace

bool input_check_enabled(Format format) {
  const char* s = std::getenv(checked(format).var);
  return !(s && std::strcmp(s, "0") == 0);
}

void check_input_in_child(const std::string& path, const ReadOptions& opts, Format format) {
  const Checked& c = checked(format);
  const int seconds = check_seconds(c, require_regular_file(path, "input"));
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("{}: cannot make a pipe to check it: {}", path, std::strerror(errno));
  Fd read_end(fds[0]), write_end(fds[1]);
  const pid_t pid = spawn_child(c, path, opts, seconds, write_end.get());
  write_end = Fd();  // closes it
  ::fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
  const auto out = wait_for(pid, read_end.get(), seconds);

  const auto at = out.report.find(kMarker);
  const auto report = at == std::string::npos ? std::string() : out.report.substr(at + kMarker.size());
  const auto newline = report.find('\n');
  const std::string_view word = std::string_view(report).substr(0, newline);
  const std::string message = newline == std::string::npos ? "" : report.substr(newline + 1);
  const std::string where = "(found by reading it in a separate process first)";
  if (out.timed_out || (out.exited && WIFSIGNALED(out.status) && WTERMSIG(out.status) == SIGXCPU))
    fail("{}: reading the file took more than {} s; {} can loop forever on a damaged file {}. "
         "For a large file on slow storage, raise {}",
         path, seconds, c.library, where, c.seconds);
  if (out.exited && WIFSIGNALED(out.status) && WTERMSIG(out.status) == SIGKILL)
    fail("{}: the process reading the file was killed (SIGKILL: out of memory or CPU time, or by hand) {}", path,
         where);
  if (out.exited && WIFSIGNALED(out.status))
    fail("{}: {} crashed ({}) reading this file, which is damaged or hostile {}", path, c.library,
         signal_text(WTERMSIG(out.status)), where);
  if (word == kOk && (!out.exited || WEXITSTATUS(out.status) == 0)) return;
  if (word == kFailed) throw Error(message);
  if (word == kNoMemory)
    fail("{}: reading the file needs more than {} GiB of memory, which a damaged file can make {} ask for {}",
         path, kChildMemory >> 30, c.library, where);
  fail("{}: the process that checks {} inputs ended without a result (exit status {}); {}=0 skips the check for "
       "trusted inputs",
       path, c.name, out.exited && WIFEXITED(out.status) ? WEXITSTATUS(out.status) : -1, c.var);
}

}  // namespace mgeo::io
