// src/text/wordpiece.h — greedy longest-match-first WordPiece, as HF tokenizers' WordPiece.
//
// Contract: a word longer than max_chars code points, or one with any piece missing from
// the vocab, becomes a single [UNK]. Continuation pieces carry the "##" prefix in the vocab.
// Immutable; tokenize() is thread-safe and allocates only when *out grows.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "mgeo/text/token_table.h"
#include "mgeo/text/vocab.h"

namespace mgeo::text::detail {

class WordPiece {
 public:
  WordPiece(const Vocab& vocab, int max_chars);

  void tokenize(std::string_view word, std::size_t n_chars, std::vector<int32_t>* out) const;

 private:
  int32_t longest_piece(std::string_view rest, bool continuation, std::size_t* len) const;

  TokenTable initial_;       // every token, for the first piece of a word
  TokenTable continuation_;  // "##x" tokens keyed by "x"
  int32_t unk_;
  std::size_t max_chars_;
};

}  // namespace mgeo::text::detail
