#include "mgeo/io/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
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

std::string temp_name(const std::string& path) { return hidden_beside(path, fmt::format(".tmp.{}", ::getpid())); }

// Takes the lock file ".<name>.lock" beside `path` (flock, exclusive, not waiting). A lock
// file that was unlinked and made anew while we waited for it is taken again, so two
// holders can never hold two different files of one name.
Fd take_lock(const std::string& lock, const std::string& path) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    Fd fd(::open(lock.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.get() < 0) fail("cannot create the lock {} for {}: {}", lock, path, std::strerror(errno));
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK)
        fail("another job is writing {} now (it holds {}); wait for it or choose another output", path, lock);
      fail("cannot lock {}: {}", lock, std::strerror(errno));
    }
    struct stat held {}, now {};
    if (::fstat(fd.get(), &held) == 0 && ::stat(lock.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev)
      return fd;
  }
  fail("cannot lock {}: it keeps being replaced", lock);
}

// The temporary files alive in this process, so that SIGTERM, SIGINT or SIGHUP (mpirun
// forwards them to every rank, and uses SIGTERM to end the other ranks when one fails) can
// remove them before the process dies. Slots are claimed without locks; the handler only
// reads paths whose slot is published, and calls unlink(), which is async-signal-safe.
constexpr int kSlots = 64;
constexpr std::size_t kPathBytes = 4096;
struct TempSlot {
  std::atomic<bool> claimed{false};
  std::atomic<bool> live{false};
  char path[kPathBytes];
};
TempSlot g_slots[kSlots];
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs lock-free flags");

// A line written to stderr when a signal ends the process (how to resume, say).
char g_note[kPathBytes];
std::atomic<std::size_t> g_note_bytes{0};

extern "C" void remove_temps_and_die(int sig) {
  for (auto& slot : g_slots)
    if (slot.live.load(std::memory_order_acquire)) ::unlink(slot.path);
  if (const std::size_t n = g_note_bytes.load(std::memory_order_acquire); n > 0) {
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, g_note, n);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Installs the handler for the signals that still have their default action.
void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int sig : {SIGTERM, SIGINT, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction sa {};
      sa.sa_handler = remove_temps_and_die;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

// The slot now holding `path`, or -1 when every slot is taken or the path is too long
// (the file is then only removed by the destructor, as before).
int register_temp(const std::string& path) {
  install_handlers();
  if (path.size() >= kPathBytes) return -1;
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (!g_slots[i].claimed.compare_exchange_strong(expected, true)) continue;
    std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
    g_slots[i].live.store(true, std::memory_order_release);
    return i;
  }
  return -1;
}

}  // namespace

std::string hidden_beside(const std::string& path, const std::string& suffix) {
  const auto slash = path.rfind('/');
  const auto dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  const auto name = slash == std::string::npos ? path : path.substr(slash + 1);
  return fmt::format("{}.{}{}", dir, name, suffix);
}

void set_interrupt_note(const std::string& line) {
  install_handlers();
  g_note_bytes.store(0, std::memory_order_release);
  const std::size_t n = std::min(line.size(), kPathBytes - 1);
  std::memcpy(g_note, line.data(), n);
  if (n > 0) g_note[n - 1] = '\n';
  g_note_bytes.store(n, std::memory_order_release);
}

namespace {

void unregister_temp(int slot) {
  if (slot < 0) return;
  g_slots[slot].live.store(false, std::memory_order_release);
  g_slots[slot].claimed.store(false, std::memory_order_release);
}

void fsync_path(const std::string& path, int flags, const std::string& what) {
  Fd fd(::open(path.c_str(), flags | O_CLOEXEC));
  if (fd.get() < 0) fail("cannot open {} to sync it: {}", what, std::strerror(errno));
  if (::fsync(fd.get()) != 0) fail("cannot sync {}: {}", what, std::strerror(errno));
  fd.close(what);
}

// Removes the temporary files ".<name>.tmp.<pid>" that earlier writers of `path` left
// behind (killed by SIGKILL, or by a signal before their handler could run). Safe only
// while holding the output's lock: no other writer of this output is alive. Only regular
// files and symlinks are removed (unlink never follows a link); `own` is left to the
// exclusive create, which refuses it.
void remove_stale_temps(const std::string& path, const std::string& own) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  const std::string prefix = "." + (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp.";
  DIR* d = ::opendir(dir.empty() ? "." : dir.c_str());
  if (d == nullptr) return;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.find_first_not_of("0123456789", prefix.size()) != std::string::npos)
      continue;
    const std::string full = dir + name;
    struct stat st {};
    if (full != own && ::lstat(full.c_str(), &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
      ::unlink(full.c_str());
  }
  ::closedir(d);
}

}  // namespace

AtomicOutput::AtomicOutput(std::string final_path)
    : final_path_(std::move(final_path)),
      temp_path_(temp_name(final_path_)),
      lock_path_(hidden_beside(final_path_, ".lock")) {
  MGEO_CHECK(!final_path_.empty() && final_path_.back() != '/', "output path '{}' names no file", final_path_);
  lock_ = std::make_unique<Fd>(take_lock(lock_path_, final_path_));
  lock_slot_ = register_temp(lock_path_);
  remove_stale_temps(final_path_, temp_path_);
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
  slot_ = register_temp(temp_path_);
}

AtomicOutput::~AtomicOutput() {
  if (created_ && !committed_) ::unlink(temp_path_.c_str());
  unregister_temp(slot_);
  if (lock_) ::unlink(lock_path_.c_str());  // still held: a waiter that opened it takes it again
  unregister_temp(lock_slot_);
}

void AtomicOutput::commit() {
  fsync_path(temp_path_, O_RDONLY, final_path_);
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    fail("cannot rename {} to {}: {}", temp_path_, final_path_, std::strerror(errno));
  committed_ = true;
  unregister_temp(std::exchange(slot_, -1));
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
