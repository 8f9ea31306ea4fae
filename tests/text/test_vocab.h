// A small hand-made vocab for unit tests; ids are the positions in kTestTokens.
#pragma once

#include <string>
#include <vector>

#include "mgeo/text/vocab.h"

namespace mgeo::text::testing {

inline const std::vector<std::string>& test_tokens() {
  static const std::vector<std::string> tokens = {
      "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",                        // 0-4
      "北", "京", "市", "朝", "阳", "区",                                  // 5-10
      "soho", "##ho", "##s", "un", "##aff", "##able", "a", "##a", "b",     // 11-19
      ",", "!", "cafe", "café", "hello", "world", "1203", "##3", "ａ",     // 20-28
      "[", "]", "sep", "号", "i", "##̇", "x",                              // 29-35
  };
  return tokens;
}

inline Vocab test_vocab() { return Vocab::from_tokens(test_tokens(), "test-vocab"); }

}  // namespace mgeo::text::testing
