// The WordPiece tokenizer on the input as text (split at the first tab into a pair), with
// a small fixed vocab, under the default options and under every switch flipped.
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"

namespace {

using mgeo::text::BertTokenizer;
using mgeo::text::Encoding;

mgeo::text::Vocab small_vocab() {
  return mgeo::text::Vocab::from_tokens(
      {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "浙", "江", "省", "杭", "州", "市", "西", "湖", "区", "路",
       "号", "##号", "1", "##2", "##3", "12", "a", "##b", "ab", "café", "cafe", "##é", "ｂ", "-", "#", "##",
       "[", "]", "·", "北", "京", "朝", "阳", "栋", "单", "元", "室", "x", "##x"},
      "fuzz-vocab");
}

void check(const Encoding& e, std::size_t max_length, int32_t vocab_size, int32_t cls) {
  FUZZ_CHECK(e.input_ids.size() >= 2 && e.input_ids.size() <= max_length, "encoding within max_length");
  FUZZ_CHECK(e.token_type_ids.size() == e.input_ids.size(), "a token type per id");
  FUZZ_CHECK(e.input_ids.front() == cls, "starts with [CLS]");
  for (const auto id : e.input_ids) FUZZ_CHECK(id >= 0 && id < vocab_size, "ids in the vocab");
}

void run(const BertTokenizer& tok, std::string_view text) {
  const auto n = static_cast<int32_t>(tok.vocab().size());
  const auto cls = tok.vocab().cls_id();
  tok.basic_tokenize(text);
  std::vector<int32_t> ids;
  tok.tokenize_ids(text, &ids);
  for (const auto id : ids) FUZZ_CHECK(id >= 0 && id < n, "ids in the vocab");
  check(tok.encode(text, 16), 16, n, cls);
  const auto tab = text.find('\t');
  const auto a = text.substr(0, tab), b = tab == text.npos ? std::string_view() : text.substr(tab + 1);
  check(tok.encode_pair(a, b, 12), 12, n, cls);
  check(tok.encode_pair(a, b, 3), 3, n, cls);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const BertTokenizer plain(small_vocab());
  static const BertTokenizer flipped(small_vocab(), [] {
    mgeo::text::TokenizerOptions o;
    o.lowercase = false;
    o.strip_accents = true;
    o.clean_text = false;
    o.handle_chinese_chars = false;
    o.max_input_chars_per_word = 4;
    return o;
  }());
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  run(plain, text);
  run(flipped, text);
  return 0;
}
