#include "mgeo/text/tokenizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "mgeo/util/error.h"
#include "test_vocab.h"

namespace mgeo::text {
namespace {

using namespace std::string_view_literals;
using Words = std::vector<std::string>;
using Ids = std::vector<int32_t>;

BertTokenizer make(TokenizerOptions opts = {}) { return BertTokenizer(testing::test_vocab(), opts); }

Ids ids(const BertTokenizer& tok, std::string_view text) {
  Ids out;
  tok.tokenize_ids(text, &out);
  return out;
}

TEST(BasicTokenize, PadsChineseAndLowercases) {
  EXPECT_EQ(make().basic_tokenize("北京市SOHO现代城"), (Words{"北", "京", "市", "soho", "现", "代", "城"}));
}

TEST(BasicTokenize, IsolatesPunctuation) {
  EXPECT_EQ(make().basic_tokenize("Hello,World! (1203)"), (Words{"hello", ",", "world", "!", "(", "1203", ")"}));
  EXPECT_EQ(make().basic_tokenize("北京，朝阳。"), (Words{"北", "京", "，", "朝", "阳", "。"}));
}

TEST(BasicTokenize, CleansControlsAndWhitespace) {
  EXPECT_EQ(make().basic_tokenize("a\0b\u200bc\td\u3000e\u00a0f\x07g\ufffdh"sv), (Words{"abc", "d", "e", "fgh"}));
  EXPECT_TRUE(make().basic_tokenize(" \t\n\r\u3000").empty());
}

TEST(BasicTokenize, StripsAccentsWhenLowercasing) {
  EXPECT_EQ(make().basic_tokenize("Café ÅNGSTRÖM"), (Words{"cafe", "angstrom"}));
  TokenizerOptions cased;
  cased.lowercase = false;
  EXPECT_EQ(make(cased).basic_tokenize("Café"), (Words{"Café"}));
  TokenizerOptions keep_accents;
  keep_accents.strip_accents = false;
  EXPECT_EQ(make(keep_accents).basic_tokenize("Café"), (Words{"café"}));
}

TEST(BasicTokenize, LowercasesPerCharacterWithFullMapping) {
  TokenizerOptions keep_accents;
  keep_accents.strip_accents = false;
  EXPECT_EQ(make(keep_accents).basic_tokenize("İ"), (Words{"i\u0307"}));    // two code points
  EXPECT_EQ(make(keep_accents).basic_tokenize("ΟΔΟΣ"), (Words{"οδοσ"}));  // no final sigma
  EXPECT_EQ(make().basic_tokenize("ＡＢ１"), (Words{"ａｂ１"}));
}

TEST(BasicTokenize, KeepsSpecialTokensVerbatim) {
  EXPECT_EQ(make().basic_tokenize("A[SEP]B [sep]"), (Words{"a", "[SEP]", "b", "[", "sep", "]"}));
}

TEST(BasicTokenize, DropsInvalidUtf8Bytes) {
  EXPECT_EQ(make().basic_tokenize("北\xff京 ab\xe4\xb8" "cd \xc3"), (Words{"北", "京", "abcd"}));
  EXPECT_TRUE(make().basic_tokenize("\x80\xc0\xaf\xed\xa0\x80").empty());
}

TEST(TokenizeIds, GreedyLongestMatchWordPiece) {
  EXPECT_EQ(ids(make(), "unaffable"), (Ids{14, 15, 16}));
  EXPECT_EQ(ids(make(), "SOHOs sohoho"), (Ids{11, 13, 11, 12}));
  EXPECT_EQ(ids(make(), "12033"), (Ids{26, 27}));
}

TEST(TokenizeIds, WordWithUnknownPieceIsOneUnk) {
  EXPECT_EQ(ids(make(), "sohoz a"), (Ids{1, 17}));
  EXPECT_EQ(ids(make(), "北京区号Z"), (Ids{5, 6, 10, 32, 1}));
}

TEST(TokenizeIds, OverlongWordIsUnk) {
  Ids hundred(100, 18);  // a ##a ##a ...
  hundred[0] = 17;
  EXPECT_EQ(ids(make(), std::string(100, 'a')), hundred);
  EXPECT_EQ(ids(make(), std::string(101, 'a')), (Ids{1}));
  TokenizerOptions short_words;
  short_words.max_input_chars_per_word = 3;
  EXPECT_EQ(ids(make(short_words), "aaa aaaa"), (Ids{17, 18, 18, 1}));
}

TEST(TokenizeIds, ContinuationPiecesMayStartWithAMark) {
  TokenizerOptions keep_accents;
  keep_accents.strip_accents = false;
  EXPECT_EQ(ids(make(keep_accents), "İ"), (Ids{33, 34}));
  EXPECT_EQ(ids(make(), "İ"), (Ids{33}));
}

TEST(TokenizeIds, SpecialTokensInTextBecomeTheirIds) {
  EXPECT_EQ(ids(make(), "a[SEP]b[MASK][CLS]"), (Ids{17, 3, 19, 4, 2}));
  EXPECT_EQ(ids(make(), "[sep]"), (Ids{29, 31, 30}));
}

TEST(Encode, AddsSpecialsAndTruncates) {
  const auto tok = make();
  auto e = tok.encode("北京市朝阳区", 128);
  EXPECT_EQ(e.input_ids, (Ids{2, 5, 6, 7, 8, 9, 10, 3}));
  EXPECT_EQ(e.token_type_ids, Ids(8, 0));
  e = tok.encode("北京市朝阳区", 5);
  EXPECT_EQ(e.input_ids, (Ids{2, 5, 6, 7, 3}));
  EXPECT_EQ(tok.encode("", 2).input_ids, (Ids{2, 3}));
  EXPECT_THROW(tok.encode("x", 1), Error);
}

TEST(Encode, PairUsesLongestFirstAndTypeIds) {
  const auto tok = make();
  auto e = tok.encode_pair("北京市朝阳区", "a b", 128);
  EXPECT_EQ(e.input_ids, (Ids{2, 5, 6, 7, 8, 9, 10, 3, 17, 19, 3}));
  EXPECT_EQ(e.token_type_ids, (Ids{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}));
  e = tok.encode_pair("北京市朝阳区", "a b", 8);  // budget 5: a keeps 3, b keeps 2
  EXPECT_EQ(e.input_ids, (Ids{2, 5, 6, 7, 3, 17, 19, 3}));
  EXPECT_EQ(tok.encode_pair("北京", "朝阳", 3).input_ids, (Ids{2, 3, 3}));
  EXPECT_THROW(tok.encode_pair("x", "y", 2), Error);
}

TEST(Encode, ConstMethodsAreThreadSafe) {
  const auto tok = make();
  const std::vector<std::string> texts = {"北京市朝阳区SOHO 1203", "café unaffable", "a[SEP]b", "İ\u0301x"};
  std::vector<Encoding> serial;
  for (const auto& t : texts) serial.push_back(tok.encode_pair(t, t, 32));
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 2000; ++rep) {
        const auto i = static_cast<std::size_t>(rep) % texts.size();
        if (tok.encode_pair(texts[i], texts[i], 32).input_ids != serial[i].input_ids) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

class ModelDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mgeo_tok_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    std::ofstream v(dir_ / "vocab.txt");
    for (const auto& t : testing::test_tokens()) v << t << "\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write_config(const std::string& json) { std::ofstream(dir_ / "tokenizer_config.json") << json; }

  std::filesystem::path dir_;
};

TEST_F(ModelDir, DefaultsWithoutConfig) {
  const auto tok = BertTokenizer::from_model_dir(dir_.string());
  EXPECT_TRUE(tok.options().lowercase);
  EXPECT_EQ(tok.vocab().size(), testing::test_tokens().size());
}

TEST_F(ModelDir, ReadsTokenizerConfig) {
  write_config(R"({"do_lower_case": false, "strip_accents": true, "tokenize_chinese_chars": false, "x": 1})");
  const auto tok = BertTokenizer::from_model_dir(dir_.string());
  EXPECT_FALSE(tok.options().lowercase);
  EXPECT_EQ(tok.options().strip_accents, std::optional<bool>(true));
  EXPECT_FALSE(tok.options().handle_chinese_chars);
  EXPECT_EQ(tok.basic_tokenize("Café北京"), (Words{"Cafe北京"}));
}

TEST_F(ModelDir, NullStripAccentsFollowsLowercase) {
  write_config(R"({"do_lower_case": true, "strip_accents": null})");
  EXPECT_FALSE(BertTokenizer::from_model_dir(dir_.string()).options().strip_accents.has_value());
}

TEST_F(ModelDir, BadConfigNamesTheFile) {
  write_config(R"({"do_lower_case": "yes"})");
  try {
    BertTokenizer::from_model_dir(dir_.string());
    FAIL() << "expected mgeo::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer_config.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("do_lower_case"), std::string::npos) << e.what();
  }
  write_config("{not json");
  EXPECT_THROW(BertTokenizer::from_model_dir(dir_.string()), Error);
}

}  // namespace
}  // namespace mgeo::text
