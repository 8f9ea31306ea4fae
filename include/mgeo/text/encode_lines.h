// mgeo/text/encode_lines.h — the `tokenize` subcommand's work: text lines in, JSON lines out.
//
// Contract: reads `in` line by line (a trailing "\r" is dropped) and writes one
// {"input_ids":[...],"token_type_ids":[...]} line per input line to `out`. In pair mode a
// line is two tab-separated fields. Throws mgeo::Error "source:line: ..." for a pair line
// without exactly one tab or a line that is not valid UTF-8, and for a max_length below
// what the special tokens need. Thread-safe given distinct streams.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "mgeo/text/tokenizer.h"

namespace mgeo::text {

struct EncodeLinesOptions {
  bool pair = false;
  int max_length = 128;
};

// Returns the number of lines encoded.
std::size_t encode_lines(const BertTokenizer& tok, std::istream& in, std::ostream& out, const std::string& source,
                         const EncodeLinesOptions& opts);

}  // namespace mgeo::text
