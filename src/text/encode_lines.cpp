#include "mgeo/text/encode_lines.h"

#include <fmt/format.h>

#include <istream>
#include <ostream>

#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"

namespace mgeo::text {
namespace {

Encoding encode_line(const BertTokenizer& tok, std::string_view line, const EncodeLinesOptions& opts,
                     const std::string& source, std::size_t line_no) {
  const std::size_t bad = utf8::find_invalid(line);
  MGEO_CHECK(bad == std::string_view::npos, "{}:{}: invalid UTF-8 at byte {}", source, line_no, bad + 1);
  if (!opts.pair) return tok.encode(line, opts.max_length);
  const std::size_t tab = line.find('\t');
  MGEO_CHECK(tab != std::string_view::npos, "{}:{}: expected two tab-separated fields, found no tab", source,
             line_no);
  MGEO_CHECK(line.find('\t', tab + 1) == std::string_view::npos,
             "{}:{}: expected two tab-separated fields, found more", source, line_no);
  return tok.encode_pair(line.substr(0, tab), line.substr(tab + 1), opts.max_length);
}

void write_json(const Encoding& e, fmt::memory_buffer* buf) {
  fmt::format_to(std::back_inserter(*buf), "{{\"input_ids\":[{}],\"token_type_ids\":[{}]}}\n",
                 fmt::join(e.input_ids, ","), fmt::join(e.token_type_ids, ","));
}

}  // namespace

std::size_t encode_lines(const BertTokenizer& tok, std::istream& in, std::ostream& out, const std::string& source,
                         const EncodeLinesOptions& opts) {
  const int min_length = opts.pair ? 3 : 2;
  MGEO_CHECK(opts.max_length >= min_length, "max length {} is below {} (the special tokens)", opts.max_length,
             min_length);
  std::string line;
  fmt::memory_buffer buf;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    write_json(encode_line(tok, line, opts, source, ++n), &buf);
    if (buf.size() >= (1 << 16)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  MGEO_CHECK(in.eof(), "{}: read error after line {}", source, n);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out.flush();
  MGEO_CHECK(out.good(), "{}: cannot write output", source);
  return n;
}

}  // namespace mgeo::text
