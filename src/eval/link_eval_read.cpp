// The readers of link_eval.h: links, truth, candidates, clusters and entities from CSV/TSV.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_map>

#include "mgeo/eval/link_eval.h"
#include "mgeo/io/file.h"
#include "mgeo/io/records.h"
#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

io::Dialect dialect_of(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  std::string ext;
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) ext = path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "csv") return io::kCsv;
  if (ext == "tsv") return io::kTsv;
  fail("{}: expected a .csv or .tsv file", path);
}

// A CSV/TSV file read row by row, giving the named columns of each data row.
class Table {
 public:
  // `columns` must exist; `optional` may not (has_optional() says).
  Table(std::string path, std::vector<std::string_view> columns, std::vector<std::string_view> optional = {})
      : path_(std::move(path)), dialect_(dialect_of(path_)), file_(io::MappedFile::open(path_)) {
    text_ = file_.text();
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (text_.substr(0, kBom.size()) == kBom) text_.remove_prefix(kBom.size());
    index_ = io::scan_records(text_, dialect_, path_, [this](std::string_view done) { file_.release(done); });
    MGEO_CHECK(index_.size() > 0, "{}: empty file; expected a header naming {}", path_, fmt::join(columns, ", "));
    MGEO_CHECK(io::split_record(index_.record(text_, 0), dialect_, fields_),
               "{}:1: malformed header (text after a closing quote)", path_);
    std::vector<std::string> header;
    for (const auto& f : fields_) header.emplace_back(trim(f.value()));
    header_size_ = header.size();
    auto find = [&](std::string_view name) {
      return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    for (const auto name : columns) {
      const auto at = find(name);
      MGEO_CHECK(at < header.size(), "{}:1: no column '{}' (columns: {})", path_, name, fmt::join(header, ", "));
      at_.push_back(at);
    }
    for (const auto name : optional) at_.push_back(find(name));
  }

  const std::string& path() const { return path_; }

  // f(values, line) for each data row; values follow columns then optional ("" when absent).
  template <class F>
  void each(F&& f) {
    std::vector<std::string> values(at_.size());
    for (std::size_t r = 1; r < index_.size(); ++r) {
      const int64_t line = index_.line(r);
      MGEO_CHECK(io::split_record(index_.record(text_, r), dialect_, fields_), "{}:{}: text after a closing quote",
                 path_, line);
      MGEO_CHECK(fields_.size() == header_size_, "{}:{}: {} field(s), the header has {}", path_, line, fields_.size(),
                 header_size_);
      for (std::size_t i = 0; i < at_.size(); ++i) values[i] = at_[i] < header_size_ ? fields_[at_[i]].value() : "";
      f(values, line);
    }
  }

 private:
  std::string path_;
  io::Dialect dialect_;
  io::MappedFile file_;
  std::string_view text_;
  io::RecordIndex index_;
  std::vector<io::Field> fields_;
  std::size_t header_size_ = 0;
  std::vector<std::size_t> at_;  // header position of each wanted column; header_size_ when absent
};

// Fails on an id seen on an earlier line of the same file.
class UniqueIds {
 public:
  UniqueIds(const std::string& path, const char* column) : path_(path), column_(column) {}
  void add(const std::string& id, int64_t line) {
    const auto [it, fresh] = first_.emplace(id, line);
    MGEO_CHECK(fresh, "{}:{}: {} '{}' repeats line {}", path_, line, column_, id, it->second);
  }

 private:
  const std::string& path_;
  const char* column_;
  std::unordered_map<std::string, int64_t> first_;
};

double parse_score(const std::string& text, const std::string& path, int64_t line) {
  const std::string s(trim(text));
  if (s.empty()) return kNaN;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  MGEO_CHECK(end == s.c_str() + s.size() && !std::isinf(v), "{}:{}: score '{}' is not a number", path, line, text);
  return v;  // "nan" reads as NaN: no score
}

int64_t parse_rank(const std::string& text, const std::string& path, int64_t line) {
  const std::string s(trim(text));
  char* end = nullptr;
  errno = 0;
  const long long v = s.empty() ? 0 : std::strtoll(s.c_str(), &end, 10);
  MGEO_CHECK(!s.empty() && end == s.c_str() + s.size() && errno == 0 && v >= 1,
             "{}:{}: rank '{}' is not a positive integer", path, line, text);
  return v;
}

}  // namespace

std::vector<LinkDecision> read_links(const std::string& path) {
  Table table(path, {"query_id", "master_id", "score", "best_id"}, {"reason", "status"});
  UniqueIds ids(table.path(), "query_id");
  std::vector<LinkDecision> out;
  table.each([&](std::vector<std::string>& v, int64_t line) {
    if (v[5] == "duplicate_id") return;  // the link job's repeat of an earlier query id: not a query of its own
    ids.add(v[0], line);
    LinkDecision d;
    d.query_id = std::move(v[0]);
    d.master_id = std::move(v[1]);
    d.score = parse_score(v[2], table.path(), line);
    d.best_id = std::move(v[3]);
    d.reason = std::move(v[4]);
    d.status = std::move(v[5]);
    out.push_back(std::move(d));
  });
  return out;
}

std::vector<LinkTruth> read_link_truth(const std::string& path) {
  Table table(path, {"query_id", "master_id"});
  UniqueIds ids(table.path(), "query_id");
  std::vector<LinkTruth> out;
  table.each([&](std::vector<std::string>& v, int64_t line) {
    ids.add(v[0], line);
    out.push_back(LinkTruth{std::move(v[0]), std::move(v[1])});
  });
  return out;
}

void read_candidates(const std::string& path, CandidateCounter& counter) {
  Table table(path, {"query_id", "master_id", "rank"});
  table.each([&](std::vector<std::string>& v, int64_t line) {
    const int64_t rank = parse_rank(v[2], table.path(), line);
    MGEO_CHECK(counter.add(v[0], v[1], rank), "{}:{}: query '{}' is not in the truth", table.path(), line, v[0]);
  });
}

namespace {

std::vector<std::pair<std::string, std::string>> read_id_pairs(const std::string& path, std::string_view second) {
  Table table(path, {"id", second});
  UniqueIds ids(table.path(), "id");
  std::vector<std::pair<std::string, std::string>> out;
  table.each([&](std::vector<std::string>& v, int64_t line) {
    ids.add(v[0], line);
    out.emplace_back(std::move(v[0]), std::move(v[1]));
  });
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> read_clusters(const std::string& path) {
  return read_id_pairs(path, "cluster_id");
}

std::vector<std::pair<std::string, std::string>> read_entities(const std::string& path) {
  return read_id_pairs(path, "entity_id");
}

}  // namespace mgeo::eval
