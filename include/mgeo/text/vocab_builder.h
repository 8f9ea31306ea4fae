// mgeo/text/vocab_builder.h — a BERT vocab.txt for address models trained from scratch.
//
// Contract: a VocabBuilder collects the characters of texts exactly as BertTokenizer
// emits them under the given TokenizerOptions (cleaned, NFD + accents stripped, lowercased,
// split on white space and punctuation), so every collected character has a token. tokens()
// lays the vocab out like bert-base-chinese: [PAD]=0, [unused1]..[unused99], [UNK]=100,
// [CLS]=101, [SEP]=102, [MASK]=103; then the single characters and whole words in code
// point order; then a "##" piece for each single character the tokenizer does not cut off
// on its own (ASCII and full-width letters and digits, 〇, ...), so any word made of such
// characters (soho, 1203, １２３) splits into pieces instead of [UNK]. The output depends
// only on what was added, not on the order. Pure in-memory work; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/text/tokenizer.h"

namespace mgeo::text {

class VocabBuilder {
 public:
  explicit VocabBuilder(const TokenizerOptions& opts = {});

  // Every character of `text` becomes a token, whatever the counts.
  void require(std::string_view text);
  // Counts the characters of `text`; tokens(min_count) keeps those counted that often.
  void count(std::string_view text);
  // `word` as one whole token (normalized like text). Throws mgeo::Error when it does
  // not make exactly one word ("no 1", "a-b").
  void require_word(std::string_view word);

  int64_t count_of(char32_t c) const;  // times counted (not required)
  // Throws mgeo::Error when min_count < 1.
  std::vector<std::string> tokens(int64_t min_count = 1) const;

 private:
  template <class F>
  void each_char(std::string_view text, F&& f) const;

  BertTokenizer splitter_;  // a specials-only vocab: used for basic_tokenize alone
  std::set<char32_t> required_;
  std::map<char32_t, int64_t> counts_;
  std::set<std::string> words_;
};

// [PAD], [unused1]..[unused99], [UNK], [CLS], [SEP], [MASK]: ids 0..103.
std::vector<std::string> bert_special_tokens();

// Characters every address vocab holds: ASCII letters, digits and punctuation, their
// full-width forms, common CJK punctuation, Chinese numerals and the words of addresses
// (号 楼 栋 幢 座 单元 室 层 弄 巷 路 街 道 ...).
std::string_view builtin_address_characters();
// Frequent whole ASCII words of addresses: soho, mall, park, tower, plaza, ...
const std::vector<std::string_view>& builtin_address_words();
// Requires the two lists above.
void add_builtins(VocabBuilder& b);

}  // namespace mgeo::text
