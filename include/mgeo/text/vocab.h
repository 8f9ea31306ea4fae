// mgeo/text/vocab.h — a BERT vocab.txt: token <-> id.
//
// Contract: one token per line, id = line index (0-based); a trailing "\r" is dropped so
// CRLF files load. Loading fails with mgeo::Error naming the file (and file:line for a
// duplicate token or invalid UTF-8) or a missing [UNK], [CLS], [SEP] or [PAD].
// Immutable after load; const methods are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/text/token_table.h"

namespace mgeo::text {

class Vocab {
 public:
  static Vocab load(const std::string& path);
  // Same rules as load(); `source` names the tokens in error messages.
  static Vocab from_tokens(std::vector<std::string> tokens, const std::string& source);

  int32_t id(std::string_view token) const noexcept { return index_.find(token); }  // -1: absent
  const std::string& token(int32_t id) const;  // throws mgeo::Error when out of range
  std::size_t size() const noexcept { return tokens_.size(); }

  int32_t unk_id() const noexcept { return unk_; }
  int32_t cls_id() const noexcept { return cls_; }
  int32_t sep_id() const noexcept { return sep_; }
  int32_t pad_id() const noexcept { return pad_; }

 private:
  Vocab() = default;

  std::vector<std::string> tokens_;
  TokenTable index_;
  int32_t unk_ = -1, cls_ = -1, sep_ = -1, pad_ = -1;
};

}  // namespace mgeo::text
