// src/text/word_splitter.h — HF's BertNormalizer and BertPreTokenizer as one streaming pass.
//
// Contract: split() hands each word (normalized UTF-8, with its length in code points) and
// each special token found in the raw text to a WordSink, in order. Words are never empty.
// Immutable; split() is thread-safe (per-thread scratch buffers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "char_info.h"
#include "mgeo/text/tokenizer.h"

namespace mgeo::text::detail {

class WordSink {
 public:
  virtual void on_word(std::string_view word, std::size_t n_chars) = 0;
  virtual void on_special(std::string_view token, int32_t id) = 0;

 protected:
  ~WordSink() = default;
};

struct SpecialToken {
  std::string text;
  int32_t id;
};

struct NormalizerFlags {
  bool clean_text, handle_chinese_chars, strip_accents, lowercase;
};

class WordSplitter {
 public:
  WordSplitter(const TokenizerOptions& opts, const Vocab& vocab);

  void split(std::string_view text, WordSink& sink) const;

 private:
  const SpecialToken* special_at(std::string_view text, std::size_t pos) const;
  void split_plain(std::string_view text, WordSink& sink) const;

  NormalizerFlags flags_;
  std::vector<SpecialToken> specials_;  // each starts with '['
  const BmpTable* bmp_;
};

}  // namespace mgeo::text::detail
