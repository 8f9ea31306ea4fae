#include "mgeo/io/records.h"

#include <algorithm>

#include "mgeo/util/error.h"

namespace mgeo::io {
namespace {

constexpr auto npos = std::string_view::npos;

// Position of the quote closing the quoted field opened at `open`, or npos.
std::size_t closing_quote(std::string_view s, std::size_t open) {
  std::size_t q = open;
  for (;;) {
    q = s.find('"', q + 1);
    if (q == npos || q + 1 == s.size() || s[q + 1] != '"') return q;
    ++q;  // "" is an escaped quote
  }
}

std::size_t count_breaks(std::string_view s, std::size_t begin, std::size_t end) {
  return static_cast<std::size_t>(std::count(s.begin() + begin, s.begin() + end, '\n'));
}

struct RecordSpan {
  std::size_t stop = 0;       // just past the record's line break (or the text's end)
  uint64_t inner_breaks = 0;  // line breaks inside quoted fields
  bool unterminated = false;
};

// Follows the CSV field state from `begin`, the start of a record with quotes in it.
RecordSpan scan_quoted_record(std::string_view t, std::size_t begin, char delimiter) {
  RecordSpan span;
  bool field_start = true;
  std::size_t i = begin;
  while (i < t.size()) {
    const char c = t[i];
    if (field_start && c == '"') {
      const auto close = closing_quote(t, i);
      if (close == npos) {
        span.unterminated = true;
        break;
      }
      span.inner_breaks += count_breaks(t, i, close);
      i = close + 1;
      field_start = false;
      continue;
    }
    if (c == '\n') {
      span.stop = i + 1;
      return span;
    }
    field_start = c == delimiter;
    ++i;
  }
  span.stop = t.size();
  return span;
}

}  // namespace

std::string_view RecordIndex::record(std::string_view text, std::size_t i) const {
  auto r = text.substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  if (!r.empty() && r.back() == '\n') r.remove_suffix(1);
  if (!r.empty() && r.back() == '\r') r.remove_suffix(1);
  return r;
}

int64_t RecordIndex::line(std::size_t i) const {
  const auto after = std::lower_bound(inner_breaks_.begin(), inner_breaks_.end(), std::make_pair(uint64_t{i}, uint64_t{0}));
  const uint64_t before = after == inner_breaks_.begin() ? 0 : std::prev(after)->second;
  return static_cast<int64_t>(1 + i + before);
}

RecordIndex scan_records(std::string_view text, Dialect dialect, std::string_view name,
                         const std::function<void(std::string_view)>& scanned) {
  constexpr std::size_t kReport = std::size_t{32} << 20;
  std::size_t reported = 0;
  RecordIndex index;
  uint64_t breaks = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto newline = text.find('\n', pos);
    const auto line_end = newline == npos ? text.size() : newline;
    std::size_t stop = newline == npos ? text.size() : newline + 1;
    // Quotes are looked for line by line: one search of the whole text would touch every
    // page of a mapped file at once.
    if (dialect.quoting && text.substr(pos, line_end - pos).find('"') != npos) {
      const auto span = scan_quoted_record(text, pos, dialect.delimiter);
      const auto record = index.size();
      if (span.unterminated) fail("{}:{}: unterminated quoted field", name, 1 + record + breaks);
      if (span.inner_breaks > 0) {
        breaks += span.inner_breaks;
        index.inner_breaks_.emplace_back(record, breaks);
      }
      stop = span.stop;
    }
    index.offsets_.push_back(stop);
    pos = stop;
    if (scanned && pos - reported >= kReport) {
      scanned(text.substr(reported, pos - reported));
      reported = pos;
    }
  }
  while (index.size() > 0 && index.record(text, index.size() - 1).empty()) index.offsets_.pop_back();
  return index;
}

std::string Field::value() const {
  if (!quoted) return std::string(stored);
  std::string out;
  out.reserve(stored.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    out.push_back(stored[i]);
    if (stored[i] == '"') ++i;  // skip the second quote of ""
  }
  return out;
}

bool split_record(std::string_view record, Dialect dialect, std::vector<Field>& fields) {
  fields.clear();
  bool well_formed = true;
  std::size_t i = 0;
  for (;;) {
    if (dialect.quoting && i < record.size() && record[i] == '"') {
      const auto close = closing_quote(record, i);
      if (close == npos) {
        fields.push_back({record.substr(i + 1), true});
        return false;
      }
      fields.push_back({record.substr(i + 1, close - i - 1), true});
      i = close + 1;
      if (i == record.size()) return well_formed;
      if (record[i] != dialect.delimiter) {
        well_formed = false;
        i = record.find(dialect.delimiter, i);
        if (i == npos) return false;
      }
      ++i;
      continue;
    }
    const auto end = record.find(dialect.delimiter, i);
    fields.push_back({record.substr(i, end == npos ? npos : end - i), false});
    if (end == npos) return well_formed;
    i = end + 1;
  }
}

bool append_field(std::string& out, std::string_view value, Dialect dialect) {
  const char special[] = {dialect.delimiter, '\r', '\n', dialect.quoting ? '"' : '\0', '\0'};
  if (value.find_first_of(special) == npos) {
    out.append(value);
    return true;
  }
  if (!dialect.quoting) return false;
  out.push_back('"');
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return true;
}

}  // namespace mgeo::io
