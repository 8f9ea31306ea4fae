#include "mgeo/text/vocab_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "char_info.h"
#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"

namespace mgeo::text {
namespace {

constexpr std::string_view kSpecials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

bool is_special(std::string_view word) {
  return std::find(std::begin(kSpecials), std::end(kSpecials), word) != std::end(kSpecials);
}

Vocab specials_vocab() {
  return Vocab::from_tokens(std::vector<std::string>(std::begin(kSpecials), std::end(kSpecials)), "specials");
}

std::string to_utf8(char32_t c) {
  std::string s;
  utf8::append(s, c);
  return s;
}

// True when the pre-tokenizer makes `c` a word of its own (punctuation, a padded CJK
// ideograph), so it never follows another character inside a word.
bool stands_alone(char32_t c, const TokenizerOptions& opts) {
  const uint8_t flags = detail::char_info(detail::bmp_table(), c).flags;
  return (flags & detail::kPunct) || (opts.handle_chinese_chars && (flags & detail::kChinese));
}

}  // namespace

VocabBuilder::VocabBuilder(const TokenizerOptions& opts) : splitter_(specials_vocab(), opts) {}

template <class F>
void VocabBuilder::each_char(std::string_view text, F&& f) const {
  for (const std::string& word : splitter_.basic_tokenize(text)) {
    if (is_special(word)) continue;
    for (std::size_t i = 0; i < word.size();) {
      char32_t c;
      const std::size_t n = utf8::decode(word, i, &c);
      if (n == 0) break;  // basic_tokenize emits valid UTF-8 only
      f(c);
      i += n;
    }
  }
}

void VocabBuilder::require(std::string_view text) {
  each_char(text, [this](char32_t c) { required_.insert(c); });
}

void VocabBuilder::count(std::string_view text) {
  each_char(text, [this](char32_t c) { ++counts_[c]; });
}

void VocabBuilder::require_word(std::string_view word) {
  const std::vector<std::string> words = splitter_.basic_tokenize(word);
  MGEO_CHECK(words.size() == 1 && !is_special(words[0]), "whole word '{}' makes {} words, not 1", word,
             words.size());
  words_.insert(words[0]);
  require(words[0]);
}

int64_t VocabBuilder::count_of(char32_t c) const {
  const auto it = counts_.find(c);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<std::string> VocabBuilder::tokens(int64_t min_count) const {
  MGEO_CHECK(min_count >= 1, "min_count must be at least 1, got {}", min_count);
  std::set<char32_t> chars = required_;
  for (const auto& [c, n] : counts_) {
    if (n >= min_count) chars.insert(c);
  }
  // UTF-8 byte order is code point order, so one std::set sorts characters and words.
  std::set<std::string> singles(words_.begin(), words_.end());
  for (char32_t c : chars) singles.insert(to_utf8(c));

  std::vector<std::string> out = bert_special_tokens();
  out.insert(out.end(), singles.begin(), singles.end());
  for (char32_t c : chars) {
    if (!stands_alone(c, splitter_.options())) out.push_back("##" + to_utf8(c));
  }
  return out;
}

std::vector<std::string> bert_special_tokens() {
  std::vector<std::string> t = {"[PAD]"};
  for (int i = 1; i <= 99; ++i) t.push_back(fmt::format("[unused{}]", i));
  t.insert(t.end(), {"[UNK]", "[CLS]", "[SEP]", "[MASK]"});
  return t;
}

std::string_view builtin_address_characters() {
  static constexpr std::string_view kChars =
      // ASCII letters (lowercased unless the tokenizer keeps case), digits, punctuation
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
      // full-width forms
      "０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
      "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
      "！＃％＆（）＊＋，－．／：；＝？＠［］＿｛｝～"
      // CJK punctuation and symbols
      "、。，“”‘’《》〈〉【】「」『』〔〕…—–·・～￥№°"
      // Roman numerals, circled numbers
      "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ①②③④⑤⑥⑦⑧⑨⑩"
      // numerals
      "〇零一二三四五六七八九十百千万两壹贰叁肆伍陆柒捌玖拾佰仟甲乙丙丁戊己庚辛壬癸"
      // administrative levels
      "省市区县镇乡村街道社居委会组屯寨自治州盟旗特别行政开发新高园"
      // roads and places
      "路街道巷弄胡同里大环线桥口站东西南北中前后左右内外上下旁侧边对面附近交叉"
      // buildings and rooms
      "号楼栋幢座单元室层户门铺间梯期排院宅坊厦广场心写字商务科技产业花苑庭府邸"
      "城山庄家公寓馆所厂校医局店库仓楼阁台亭塔宫堂园林湾港岛湖江河海"
      // compass and misc words of addresses
      "地块首负夹底顶地下车库停场旁对过临近侧往至转交汇处内部";
  return kChars;
}

const std::vector<std::string_view>& builtin_address_words() {
  static const std::vector<std::string_view> kWords = {
      "soho",   "mall",   "park",     "tower", "plaza", "building", "road",   "street", "avenue",
      "center", "centre", "square",   "city",  "garden", "office",  "block",  "room",   "floor",
      "unit",   "lane",   "district", "cbd",   "ifc",    "wework",  "hotel",  "apartment"};
  return kWords;
}

void add_builtins(VocabBuilder& b) {
  b.require(builtin_address_characters());
  for (std::string_view w : builtin_address_words()) b.require_word(w);
}

}  // namespace mgeo::text
