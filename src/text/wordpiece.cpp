#include "wordpiece.h"

#include <algorithm>

namespace mgeo::text::detail {
namespace {

constexpr std::string_view kContinuation = "##";

bool is_utf8_continuation(char b) { return (static_cast<unsigned char>(b) & 0xC0) == 0x80; }

// Largest code point boundary <= n in s.
std::size_t boundary_at_or_before(std::string_view s, std::size_t n) {
  while (n > 0 && n < s.size() && is_utf8_continuation(s[n])) --n;
  return n;
}

}  // namespace

WordPiece::WordPiece(const Vocab& vocab, int max_chars)
    : initial_(vocab.size()), unk_(vocab.unk_id()), max_chars_(static_cast<std::size_t>(std::max(max_chars, 0))) {
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const std::string_view t = vocab.token(static_cast<int32_t>(i));
    const auto id = static_cast<int32_t>(i);
    initial_.insert(t, id);
    if (t.size() > kContinuation.size() && t.substr(0, kContinuation.size()) == kContinuation) {
      continuation_.insert(t.substr(kContinuation.size()), id);
    }
  }
}

int32_t WordPiece::longest_piece(std::string_view rest, bool continuation, std::size_t* len) const {
  const TokenTable& table = continuation ? continuation_ : initial_;
  for (std::size_t n = boundary_at_or_before(rest, std::min(rest.size(), table.max_key_size())); n > 0;
       n = boundary_at_or_before(rest, n - 1)) {
    const int32_t id = table.find(rest.substr(0, n));
    if (id >= 0) {
      *len = n;
      return id;
    }
  }
  return -1;
}

void WordPiece::tokenize(std::string_view word, std::size_t n_chars, std::vector<int32_t>* out) const {
  if (n_chars > max_chars_) {
    out->push_back(unk_);
    return;
  }
  const std::size_t mark = out->size();
  for (std::size_t start = 0; start < word.size();) {
    std::size_t len = 0;
    const int32_t id = longest_piece(word.substr(start), start > 0, &len);
    if (id < 0) {
      out->resize(mark);
      out->push_back(unk_);
      return;
    }
    out->push_back(id);
    start += len;
  }
}

}  // namespace mgeo::text::detail
