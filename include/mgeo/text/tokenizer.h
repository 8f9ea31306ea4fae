// mgeo/text/tokenizer.h — the BERT WordPiece tokenizer, id-for-id equal to HuggingFace's
// BertTokenizerFast (tokenizers: BertNormalizer + BertPreTokenizer + WordPiece, special
// tokens, "longest_first" truncation).
//
// Contract: a BertTokenizer is immutable after construction and cheap to copy (shared
// state); its const methods are thread-safe (per-thread scratch buffers, no locks).
// Text is UTF-8. Bytes that are not valid UTF-8 never crash it: each one is dropped, as
// HF drops the U+FFFD that a lossy decode puts there (with clean_text on, the ids equal
// HF's for bytes.decode("utf-8", "replace")); callers normally validate first.
// Like HF, the literal strings [PAD] [UNK] [CLS] [SEP] [MASK] in the raw text (case as
// written, present in the vocab) become their special ids. Unicode data comes from ICU,
// aligned to the older tables HF tokenizers uses (see src/text/char_info.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mgeo/text/vocab.h"

namespace mgeo::text {

struct TokenizerOptions {
  bool lowercase = true;
  std::optional<bool> strip_accents;  // nullopt: follows lowercase (HF semantics)
  bool clean_text = true;
  bool handle_chinese_chars = true;
  int max_input_chars_per_word = 100;

  bool strips_accents() const { return strip_accents.value_or(lowercase); }
};

struct Encoding {
  std::vector<int32_t> input_ids;
  std::vector<int32_t> token_type_ids;
};

class BertTokenizer {
 public:
  explicit BertTokenizer(Vocab vocab, TokenizerOptions opts = {});

  // vocab.txt plus, if present, tokenizer_config.json (do_lower_case, strip_accents,
  // tokenize_chinese_chars) in a model directory.
  static BertTokenizer from_model_dir(const std::string& dir);

  // Normalized, pre-tokenized words (special tokens appear verbatim).
  std::vector<std::string> basic_tokenize(std::string_view text) const;
  // Appends the WordPiece ids of `text` to *out, without [CLS]/[SEP].
  void tokenize_ids(std::string_view text, std::vector<int32_t>* out) const;

  // [CLS] a [SEP], truncated to max_length (>= 2) ids; token types all 0.
  Encoding encode(std::string_view a, int max_length = 128) const;
  // [CLS] a [SEP] b [SEP], longest_first-truncated to max_length (>= 3) ids; types 0 then 1.
  Encoding encode_pair(std::string_view a, std::string_view b, int max_length = 128) const;

  const Vocab& vocab() const;
  const TokenizerOptions& options() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// Lengths after HF "longest_first" truncation of a pair so that n_a + n_b <= budget.
std::pair<std::size_t, std::size_t> truncate_longest_first(std::size_t n_a, std::size_t n_b,
                                                           std::size_t budget);

}  // namespace mgeo::text
