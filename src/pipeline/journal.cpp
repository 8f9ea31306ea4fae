#include "mgeo/pipeline/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mgeo/io/atomic_file.h"
#include "mgeo/util/error.h"
#include "mgeo/util/fingerprint.h"

namespace mgeo::pipeline {
namespace {

constexpr char kMagic[8] = {'M', 'G', 'E', 'O', 'J', 'R', 'N', 'L'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kRecordMagic = 0x444E524AU;  // "JRND"
constexpr int64_t kHeaderFixed = 8 + 4 + 4 + 8;   // magic, version, reserved, json length
constexpr int64_t kRecordHead = 4 + 4 + 8 + 8;     // magic, reserved, payload length, fingerprint
constexpr uint64_t kMaxKeyBytes = 1 << 20;

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);  // little-endian hosts only (as the readers)
}

void put_string(std::string& out, const std::string& s) {
  MGEO_CHECK(s.size() <= UINT32_MAX, "a journal string of {} bytes is too long", s.size());
  put(out, static_cast<uint32_t>(s.size()));
  out += s;
}

// Reads a payload field by field; every length is checked against what is left.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& path, int64_t offset) : p_(bytes), path_(path), at_(offset) {}
  template <typename T>
  T get() {
    T v;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
  }
  std::string_view take(uint64_t n) {
    MGEO_CHECK(n <= p_.size(), "{}: the record at byte {} is damaged (it declares more bytes than it holds)", path_,
               at_);
    auto s = p_.substr(0, n);
    p_.remove_prefix(n);
    return s;
  }
  std::string get_string() { return std::string(take(get<uint32_t>())); }
  bool done() const { return p_.empty(); }

 private:
  std::string_view p_;
  const std::string& path_;
  int64_t at_;
};

}  // namespace

std::string journal_file(const std::string& output) { return io::hidden_beside(output, ".journal"); }

std::vector<std::string> key_differences(const nlohmann::json& a, const nlohmann::json& b) {
  std::vector<std::string> out;
  const auto ra = a.value("result", nlohmann::json::object()), rb = b.value("result", nlohmann::json::object());
  std::set<std::string> keys;
  for (auto it = ra.begin(); it != ra.end(); ++it) keys.insert(it.key());
  for (auto it = rb.begin(); it != rb.end(); ++it) keys.insert(it.key());
  for (const auto& k : keys)
    if (!ra.contains(k) || !rb.contains(k) || ra[k] != rb[k]) out.push_back(k);
  return out;
}

Journal::Journal(std::string path, nlohmann::json key, bool resume) : path_(std::move(path)), key_(std::move(key)) {
  fd_ = io::Fd(::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (fd_.get() < 0) fail("cannot open the journal {}: {}", path_, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0 || !S_ISREG(st.st_mode)) fail("the journal {} is not a regular file", path_);
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      fail("another job is using the journal {} now; wait for it or choose another output", path_);
    fail("cannot lock the journal {}: {}", path_, std::strerror(errno));
  }
  if (st.st_size == 0) {
    start_new();
  } else if (resume) {
    scan(key_);
  } else {
    try {  // only to say how much an old journal held
      scan(key_);
    } catch (const Error&) {
    }
    discarded_rows_ = rows_;
    start_new();
  }
}

Journal::~Journal() = default;

void Journal::start_new() {
  records_.clear();
  rows_ = 0;
  const std::string json = key_.dump();
  std::string head(kMagic, sizeof kMagic);
  put(head, kVersion);
  put(head, uint32_t{0});
  put(head, static_cast<uint64_t>(json.size()));
  head += json;
  put(head, hash_bytes(json));
  const int fd = fd_.get();
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, head.data(), head.size(), 0) != static_cast<ssize_t>(head.size()) ||
      ::fdatasync(fd) != 0)
    fail("cannot write the journal {}: {}", path_, std::strerror(errno));
  end_ = static_cast<int64_t>(head.size());
}

void Journal::scan(const nlohmann::json& key) {
  struct stat st {};
  MGEO_CHECK(::fstat(fd_.get(), &st) == 0, "cannot stat the journal {}", path_);
  const int64_t size = st.st_size;
  auto read_at = [&](int64_t offset, uint64_t n) {
    std::string buf(n, '\0');
    const ssize_t got = ::pread(fd_.get(), buf.data(), n, offset);
    MGEO_CHECK(got == static_cast<ssize_t>(n), "cannot read the journal {} at byte {}", path_, offset);
    return buf;
  };
  if (size < kHeaderFixed) {  // torn while the header was written: nothing was kept
    start_new();
    return;
  }
  const std::string fixed_bytes = read_at(0, kHeaderFixed);
  Reader fixed(fixed_bytes, path_, 0);
  MGEO_CHECK(fixed.take(8) == std::string_view(kMagic, 8),
             "{} is not a mgeo-dist journal; remove it, or choose another output", path_);
  const auto version = fixed.get<uint32_t>();
  MGEO_CHECK(version == kVersion, "{}: journal version {} is not supported (this build writes {})", path_, version,
             kVersion);
  fixed.get<uint32_t>();
  const auto json_len = fixed.get<uint64_t>();
  MGEO_CHECK(json_len <= kMaxKeyBytes, "{}: the journal declares a key of {} bytes", path_, json_len);
  if (kHeaderFixed + static_cast<int64_t>(json_len) + 8 > size) {
    start_new();
    return;
  }
  const std::string json = read_at(kHeaderFixed, json_len);
  const std::string tail_bytes = read_at(kHeaderFixed + json_len, 8);
  Reader tail(tail_bytes, path_, kHeaderFixed + json_len);
  MGEO_CHECK(tail.get<uint64_t>() == hash_bytes(json), "{}: the journal's header is damaged; remove it to start over",
             path_);
  nlohmann::json old;
  try {
    old = nlohmann::json::parse(json);
  } catch (const std::exception& e) {
    fail("{}: the journal's header is damaged ({}); remove it to start over", path_, e.what());
  }
  const auto diff = key_differences(old, key);
  if (!diff.empty())
    fail("{} was written by a job with another {}: resuming would mix two jobs' results (rerun without --resume "
         "to start over)",
         path_, fmt::format("{}", fmt::join(diff, ", ")));
  int64_t at = kHeaderFixed + static_cast<int64_t>(json_len) + 8;
  records_.clear();
  rows_ = 0;
  while (at + kRecordHead <= size) {
    const std::string head_bytes = read_at(at, kRecordHead);
    Reader head(head_bytes, path_, at);
    const auto magic = head.get<uint32_t>();
    head.get<uint32_t>();
    const auto bytes = head.get<uint64_t>();
    const auto fp = head.get<uint64_t>();
    if (magic != kRecordMagic || bytes < 8 || bytes > static_cast<uint64_t>(size - at - kRecordHead)) break;
    const std::string payload = read_at(at + kRecordHead, bytes);
    if (hash_bytes(payload) != fp) break;
    Record r;
    r.offset = at;
    r.bytes = kRecordHead + static_cast<int64_t>(bytes);
    std::memcpy(&r.rows, payload.data(), sizeof r.rows);
    if (r.rows < 0) break;
    records_.push_back(r);
    rows_ += r.rows;
    at += r.bytes;
  }
  end_ = at;
  if (end_ < size && ::ftruncate(fd_.get(), end_) != 0)  // a torn last record
    fail("cannot truncate the journal {}: {}", path_, std::strerror(errno));
}

void Journal::replay(const std::vector<std::string>& labels, int score_label,
                     const std::vector<std::string>& extra_columns,
                     const std::function<void(io::ScoreTable&&)>& fn) const {
  for (const auto& r : records_) {
    std::string buf(r.bytes - kRecordHead, '\0');
    MGEO_CHECK(::pread(fd_.get(), buf.data(), buf.size(), r.offset + kRecordHead) == static_cast<ssize_t>(buf.size()),
               "cannot read the journal {} at byte {}", path_, r.offset);
    Reader in(buf, path_, r.offset);
    io::ScoreTable t;
    t.labels = labels;
    t.score_label = score_label;
    t.extra_columns = extra_columns;
    const auto rows = in.get<int64_t>();
    const auto nl = in.get<uint32_t>();
    const auto nx = in.get<uint32_t>();
    MGEO_CHECK(nl == labels.size() && nx == extra_columns.size(),
               "{}: the record at byte {} has {} labels and {} extra columns, expected {} and {}", path_, r.offset, nl,
               nx, labels.size(), extra_columns.size());
    MGEO_CHECK(static_cast<uint64_t>(rows) <= buf.size(), "{}: the record at byte {} is damaged", path_, r.offset);
    t.ids.reserve(rows);
    for (int64_t i = 0; i < rows; ++i) t.ids.push_back(in.get_string());
    t.probs.resize(rows * nl);
    const auto probs = in.take(t.probs.size() * sizeof(float));
    std::memcpy(t.probs.data(), probs.data(), probs.size());
    const auto status = in.take(rows);
    for (char s : status) {
      MGEO_CHECK(static_cast<uint8_t>(s) <= static_cast<uint8_t>(io::kLastRowStatus),
                 "{}: the record at byte {} holds an unknown status {}", path_, r.offset, static_cast<int>(s));
      t.status.push_back(static_cast<io::RowStatus>(s));
    }
    t.extra.reserve(rows * nx);
    for (int64_t i = 0; i < rows * static_cast<int64_t>(nx); ++i) t.extra.push_back(in.get_string());
    MGEO_CHECK(in.done(), "{}: the record at byte {} has bytes left over", path_, r.offset);
    fn(std::move(t));
  }
}

void Journal::append(const io::ScoreTable& block) {
  const auto rows = static_cast<int64_t>(block.ids.size());
  std::string payload;
  put(payload, rows);
  put(payload, static_cast<uint32_t>(block.labels.size()));
  put(payload, static_cast<uint32_t>(block.extra_columns.size()));
  for (const auto& id : block.ids) put_string(payload, id);
  payload.append(reinterpret_cast<const char*>(block.probs.data()), block.probs.size() * sizeof(float));
  for (auto s : block.status) payload.push_back(static_cast<char>(s));
  for (const auto& x : block.extra) put_string(payload, x);
  std::string rec;
  rec.reserve(kRecordHead + payload.size());
  put(rec, kRecordMagic);
  put(rec, uint32_t{0});
  put(rec, static_cast<uint64_t>(payload.size()));
  put(rec, hash_bytes(payload));
  rec += payload;
  size_t done = 0;
  while (done < rec.size()) {
    const ssize_t w = ::pwrite(fd_.get(), rec.data() + done, rec.size() - done, end_ + static_cast<int64_t>(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail("cannot write the journal {}: {}", path_, std::strerror(errno));
    done += static_cast<size_t>(w);
  }
  if (::fdatasync(fd_.get()) != 0) fail("cannot flush the journal {}: {}", path_, std::strerror(errno));
  records_.push_back({end_, static_cast<int64_t>(rec.size()), rows});
  end_ += static_cast<int64_t>(rec.size());
  rows_ += rows;
}

void Journal::remove() {
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
    fail("cannot remove the journal {}: {}", path_, std::strerror(errno));
}

}  // namespace mgeo::pipeline
