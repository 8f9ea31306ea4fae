#include "mgeo/text/vocab_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"

namespace mgeo::text {
namespace {

bool has(const std::vector<std::string>& tokens, const std::string& t) {
  return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
}

// addr1 and addr2 of an id,addr1,addr2,label file without quoted fields.
std::vector<std::string> addresses(const std::string& relative) {
  const std::string path = std::string(MGEO_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);  // header
  for (int n = 2; std::getline(in, line); ++n) {
    EXPECT_EQ(line.find('"'), std::string::npos) << path << ":" << n << ": quoted fields are not read here";
    const std::size_t c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1);
    EXPECT_TRUE(c3 != std::string::npos && line.find(',', c3 + 1) == std::string::npos) << path << ":" << n;
    if (c3 == std::string::npos) continue;
    out.push_back(line.substr(c1 + 1, c2 - c1 - 1));
    out.push_back(line.substr(c2 + 1, c3 - c2 - 1));
  }
  EXPECT_FALSE(out.empty()) << path;
  return out;
}

// The texts of `texts` that tokenize to at least one [UNK], each with its tokens.
std::vector<std::string> with_unk(const BertTokenizer& tok, const std::vector<std::string>& texts) {
  std::vector<std::string> bad;
  std::vector<int32_t> ids;
  for (const std::string& t : texts) {
    ids.clear();
    tok.tokenize_ids(t, &ids);
    if (std::count(ids.begin(), ids.end(), tok.vocab().unk_id()) > 0) bad.push_back(t);
  }
  return bad;
}

std::vector<std::string> pieces(const BertTokenizer& tok, std::string_view text) {
  std::vector<int32_t> ids;
  tok.tokenize_ids(text, &ids);
  std::vector<std::string> out;
  for (int32_t id : ids) out.push_back(tok.vocab().token(id));
  return out;
}

TEST(VocabBuilder, SpecialsFollowTheBertBaseChineseLayout) {
  const std::vector<std::string> tokens = VocabBuilder().tokens();
  ASSERT_EQ(tokens.size(), 104u);
  EXPECT_EQ(tokens[0], "[PAD]");
  EXPECT_EQ(tokens[1], "[unused1]");
  EXPECT_EQ(tokens[99], "[unused99]");
  const Vocab v = Vocab::from_tokens(tokens, "built");
  EXPECT_EQ(v.pad_id(), 0);
  EXPECT_EQ(v.unk_id(), 100);
  EXPECT_EQ(v.cls_id(), 101);
  EXPECT_EQ(v.sep_id(), 102);
  EXPECT_EQ(v.id("[MASK]"), 103);
  EXPECT_EQ(bert_special_tokens(), tokens);
}

TEST(VocabBuilder, CharactersAreTheOnesTheTokenizerEmits) {
  VocabBuilder b;
  b.count("ＡＢ北京 SOHO,[UNK]é");
  const std::vector<std::string> t = b.tokens();
  for (const char* want : {"ａ", "ｂ", "北", "京", "s", "o", "h", ",", "e", "##ａ", "##s"}) {
    EXPECT_TRUE(has(t, want)) << want;
  }
  for (const char* not_want : {"Ａ", "S", "é", "##北", "##,", "[", "u"}) EXPECT_FALSE(has(t, not_want)) << not_want;
  EXPECT_EQ(b.count_of(U'o'), 2);
  EXPECT_EQ(b.count_of(U'u'), 0);  // "[UNK]" in the text is the special token, not letters
}

TEST(VocabBuilder, CasedTokenizerKeepsUpperCase) {
  TokenizerOptions opts;
  opts.lowercase = false;
  VocabBuilder b(opts);
  b.count("SOHO Ａ座");
  const std::vector<std::string> t = b.tokens();
  EXPECT_TRUE(has(t, "S"));
  EXPECT_TRUE(has(t, "##O"));
  EXPECT_TRUE(has(t, "Ａ"));
  EXPECT_FALSE(has(t, "s"));
}

TEST(VocabBuilder, MinCountKeepsFrequentCharactersAndAllRequiredOnes) {
  VocabBuilder b;
  b.count("北北京");
  b.require("区");
  const std::vector<std::string> t = b.tokens(2);
  EXPECT_TRUE(has(t, "北"));
  EXPECT_FALSE(has(t, "京"));
  EXPECT_TRUE(has(t, "区"));
  EXPECT_TRUE(has(b.tokens(1), "京"));
  EXPECT_THROW(b.tokens(0), Error);
}

TEST(VocabBuilder, OrderIsSortedAndIndependentOfInsertionOrder) {
  VocabBuilder a, b;
  a.count("soho 北京市8号");
  a.require_word("tower");
  b.require_word("Tower");
  b.count("8号 市京北 ohos");
  const std::vector<std::string> t = a.tokens();
  EXPECT_EQ(t, b.tokens());
  const auto first_piece = std::find_if(t.begin(), t.end(), [](const std::string& s) { return s.rfind("##", 0) == 0; });
  ASSERT_NE(first_piece, t.end());
  EXPECT_TRUE(std::is_sorted(t.begin() + 104, first_piece));
  EXPECT_TRUE(std::is_sorted(first_piece, t.end()));
  EXPECT_TRUE(std::all_of(first_piece, t.end(), [](const std::string& s) { return s.rfind("##", 0) == 0; }));
  std::vector<std::string> sorted = t;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
  EXPECT_TRUE(has(t, "tower"));
  EXPECT_EQ(std::vector<std::string>(first_piece, t.end()),
            (std::vector<std::string>{"##8", "##e", "##h", "##o", "##r", "##s", "##t", "##w"}));
}

TEST(VocabBuilder, WholeWordMustBeOneWord) {
  VocabBuilder b;
  EXPECT_THROW(b.require_word("no 1"), Error);
  EXPECT_THROW(b.require_word("a-b"), Error);
  EXPECT_THROW(b.require_word("北京"), Error);
  EXPECT_THROW(b.require_word(""), Error);
  b.require_word("SOHO");
  EXPECT_TRUE(has(b.tokens(), "soho"));
}

TEST(VocabBuilder, BuiltinsSplitAsciiAndFullWidthWordsIntoPieces) {
  VocabBuilder b;
  add_builtins(b);
  const BertTokenizer tok(Vocab::from_tokens(b.tokens(), "builtins"));
  EXPECT_EQ(pieces(tok, "SOHO"), (std::vector<std::string>{"soho"}));
  EXPECT_EQ(pieces(tok, "Sohoa"), (std::vector<std::string>{"soho", "##a"}));
  EXPECT_EQ(pieces(tok, "1203室"), (std::vector<std::string>{"1", "##2", "##0", "##3", "室"}));
  EXPECT_EQ(pieces(tok, "１２３号Ｂ座"), (std::vector<std::string>{"１", "##２", "##３", "号", "ｂ", "座"}));
  EXPECT_EQ(pieces(tok, "W3座 b1-2"), (std::vector<std::string>{"w", "##3", "座", "b", "##1", "-", "2"}));
  EXPECT_EQ(pieces(tok, "二〇〇八"), (std::vector<std::string>{"二", "〇", "##〇", "八"}));
  EXPECT_TRUE(with_unk(tok, {"Tower B 12F", "ＳＯＨＯ城", "Ⅱ期", "（东门）", "No.8 Building"}).empty());
}

TEST(VocabBuilder, BuiltinsAndCountedDataCoverTheSampleAndHandwrittenPairs) {
  const std::vector<std::string> sample = addresses("data/sample/pairs.csv");
  const std::vector<std::string> hand = addresses("data/eval/handwritten.csv");
  VocabBuilder b;
  add_builtins(b);
  for (const std::string& s : sample) b.count(s);
  for (const std::string& s : hand) b.count(s);
  const BertTokenizer tok(Vocab::from_tokens(b.tokens(), "built"));
  EXPECT_EQ(with_unk(tok, sample), std::vector<std::string>{});
  EXPECT_EQ(with_unk(tok, hand), std::vector<std::string>{});
}

// data/vocab/address-vocab.txt, built from the divisions and built-ins alone, covers
// addresses it never saw.
TEST(AddressVocab, CoversTheSampleAndHandwrittenPairsWithoutUnk) {
  const Vocab v = Vocab::load(std::string(MGEO_SOURCE_DIR) + "/data/vocab/address-vocab.txt");
  EXPECT_GT(v.size(), 1000u);
  EXPECT_LT(v.size(), 8000u);
  EXPECT_EQ(v.unk_id(), 100);
  EXPECT_EQ(v.cls_id(), 101);
  EXPECT_EQ(v.sep_id(), 102);
  const BertTokenizer tok(v);
  EXPECT_EQ(with_unk(tok, addresses("data/sample/pairs.csv")), std::vector<std::string>{});
  EXPECT_EQ(with_unk(tok, addresses("data/eval/handwritten.csv")), std::vector<std::string>{});

  VocabBuilder b;
  add_builtins(b);
  for (const std::string& t : b.tokens()) EXPECT_GE(v.id(t), 0) << t << " (a built-in) is missing";
}

}  // namespace
}  // namespace mgeo::text
