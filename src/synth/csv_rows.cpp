#include "csv_rows.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "mgeo/util/error.h"

namespace mgeo::synth::detail {

// A line source: plain stdio or gzip. Each owns its handle.
class CsvRows::Source {
 public:
  virtual ~Source() = default;
  // Appends one line (without its newline) to `out`; false at end of file.
  virtual bool getline(std::string& out) = 0;
};

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void chomp(std::string& s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
}

class FileSource final : public CsvRows::Source {
 public:
  explicit FileSource(const std::string& path) : f_(std::fopen(path.c_str(), "rb")) {
    MGEO_CHECK(f_ != nullptr, "cannot open {}: {}", path, std::strerror(errno));
  }
  ~FileSource() override { std::fclose(f_); }
  bool getline(std::string& out) override {
    char chunk[4096];
    bool any = false;
    while (std::fgets(chunk, sizeof chunk, f_) != nullptr) {
      any = true;
      out.append(chunk);
      if (!out.empty() && out.back() == '\n') break;
    }
    chomp(out);
    return any;
  }

 private:
  std::FILE* f_;
};

class GzSource final : public CsvRows::Source {
 public:
  explicit GzSource(const std::string& path) : path_(path), gz_(gzopen(path.c_str(), "rb")) {
    MGEO_CHECK(gz_ != nullptr, "cannot open {}: {}", path, errno ? std::strerror(errno) : "gzopen failed");
    gzbuffer(gz_, 1 << 18);
  }
  ~GzSource() override { gzclose(gz_); }
  bool getline(std::string& out) override {
    char chunk[4096];
    bool any = false;
    while (gzgets(gz_, chunk, sizeof chunk) != nullptr) {
      any = true;
      out.append(chunk);
      if (!out.empty() && out.back() == '\n') break;
    }
    if (!any) {
      int err = 0;
      const char* msg = gzerror(gz_, &err);
      MGEO_CHECK(err == Z_OK || err == Z_STREAM_END, "{}: gzip error: {}", path_, msg);
    }
    chomp(out);
    return any;
  }

 private:
  std::string path_;
  gzFile gz_;
};

}  // namespace

CsvRows::CsvRows(std::string path, std::string_view expected_header) : path_(std::move(path)) {
  if (ends_with(path_, ".gz")) {
    source_ = std::make_unique<GzSource>(path_);
  } else {
    source_ = std::make_unique<FileSource>(path_);
  }
  if (!read_line()) fail("empty file, expected header " + std::string(expected_header));
  if (buf_.size() >= 3 && buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) buf_.erase(0, 3);
  if (buf_ != expected_header) fail(fmt::format("header is '{}', expected '{}'", buf_, expected_header));
  columns_ = 1;
  for (char c : expected_header) columns_ += c == ',';
}

CsvRows::~CsvRows() = default;

bool CsvRows::read_line() {
  buf_.clear();
  if (!source_->getline(buf_)) return false;
  ++line_;
  return true;
}

bool CsvRows::next() {
  do {
    if (!read_line()) return false;
  } while (buf_.empty());
  split();
  if (fields_.size() != columns_) {
    fail(fmt::format("{} fields, expected {}", fields_.size(), columns_));
  }
  return true;
}

void CsvRows::split() {
  fields_.clear();
  unquoted_.clear();
  const std::string_view s = buf_;
  std::size_t pos = 0;
  while (true) {
    if (pos < s.size() && s[pos] == '"') {
      std::string value;
      std::size_t i = pos + 1;
      bool escaped = false;
      while (true) {
        if (i >= s.size()) fail("unterminated quoted field");
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            value.push_back('"');
            escaped = true;
            i += 2;
            continue;
          }
          break;
        }
        value.push_back(s[i++]);
      }
      if (escaped) {
        unquoted_.push_back(std::move(value));
        fields_.push_back(unquoted_.back());
      } else {
        fields_.push_back(s.substr(pos + 1, i - pos - 1));
      }
      pos = i + 1;
      if (pos < s.size() && s[pos] != ',') fail("text after a closing quote");
    } else {
      const std::size_t comma = s.find(',', pos);
      const std::size_t end = comma == std::string_view::npos ? s.size() : comma;
      fields_.push_back(s.substr(pos, end - pos));
      pos = end;
    }
    if (pos >= s.size()) break;
    ++pos;  // the comma
    if (pos == s.size()) {
      fields_.emplace_back();
      break;
    }
  }
}

uint64_t CsvRows::code(std::size_t i) const {
  const std::string_view f = fields_.at(i);
  if (f.empty() || f.size() > 19) fail(fmt::format("column {}: bad code '{}'", i + 1, f));
  uint64_t v = 0;
  for (char c : f) {
    if (c < '0' || c > '9') fail(fmt::format("column {}: bad code '{}'", i + 1, f));
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

void CsvRows::fail(std::string_view message) const { mgeo::fail("{}:{}: {}", path_, line_, message); }

}  // namespace mgeo::synth::detail
