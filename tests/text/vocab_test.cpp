#include "mgeo/text/vocab.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "mgeo/text/token_table.h"
#include "mgeo/util/error.h"
#include "test_vocab.h"

namespace mgeo::text {
namespace {

class VocabFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("mgeo_vocab_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt"))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void write(const std::string& content) { std::ofstream(path_, std::ios::binary) << content; }

  // The message of the mgeo::Error that loading throws.
  std::string load_error() {
    try {
      Vocab::load(path_);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }

  std::string path_;
};

TEST_F(VocabFile, IdsAreLineIndices) {
  write("[PAD]\n[UNK]\n[CLS]\n[SEP]\n北\n##京\n");
  const Vocab v = Vocab::load(path_);
  EXPECT_EQ(v.size(), 6u);
  EXPECT_EQ(v.pad_id(), 0);
  EXPECT_EQ(v.unk_id(), 1);
  EXPECT_EQ(v.cls_id(), 2);
  EXPECT_EQ(v.sep_id(), 3);
  EXPECT_EQ(v.id("北"), 4);
  EXPECT_EQ(v.id("##京"), 5);
  EXPECT_EQ(v.id("京"), -1);
  EXPECT_EQ(v.token(5), "##京");
  EXPECT_THROW(v.token(6), Error);
  EXPECT_THROW(v.token(-1), Error);
}

TEST_F(VocabFile, AcceptsCrlfAndNoFinalNewline) {
  write("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nx");
  const Vocab v = Vocab::load(path_);
  EXPECT_EQ(v.size(), 5u);
  EXPECT_EQ(v.id("[SEP]"), 3);
  EXPECT_EQ(v.id("x"), 4);
}

TEST_F(VocabFile, DuplicateTokenNamesFileAndLine) {
  write("[PAD]\n[UNK]\n[CLS]\n[SEP]\na\nb\na\n");
  EXPECT_EQ(load_error(), path_ + ":7: duplicate token 'a' (first on line 5)");
}

TEST_F(VocabFile, MissingSpecialTokenNamesFile) {
  write("[PAD]\n[UNK]\n[SEP]\n");
  EXPECT_EQ(load_error(), path_ + ": vocab has no [CLS] token");
}

TEST_F(VocabFile, InvalidUtf8NamesLine) {
  write("[PAD]\n[UNK]\n\xff\n");
  EXPECT_EQ(load_error(), path_ + ":3: token is not valid UTF-8");
}

TEST_F(VocabFile, MissingFileIsAnError) {
  EXPECT_NE(load_error().find("cannot open vocab file " + path_), std::string::npos);
}

TEST(TokenTable, FindsByStringViewAndGrows) {
  TokenTable t;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(t.insert("tok" + std::to_string(i), i));
  EXPECT_FALSE(t.insert("tok7", 5));
  EXPECT_EQ(t.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(t.find("tok" + std::to_string(i)), i);
  EXPECT_EQ(t.find("tok1000"), -1);
  EXPECT_EQ(t.find(""), -1);
  EXPECT_TRUE(t.insert("", 1000));
  EXPECT_EQ(t.find(""), 1000);
  EXPECT_EQ(t.max_key_size(), 6u);
}

TEST(TokenTable, CopiesOwnTheirKeys) {
  TokenTable copy;
  {
    TokenTable t;
    std::string key = "temporary key";
    t.insert(key, 3);
    key.assign("overwritten!!");
    copy = t;
  }
  EXPECT_EQ(copy.find("temporary key"), 3);
}

TEST(Vocab, FromTokensChecksLikeLoad) {
  EXPECT_EQ(testing::test_vocab().id("soho"), 11);
  EXPECT_THROW(Vocab::from_tokens({"[PAD]", "[UNK]", "[CLS]"}, "mem"), Error);
}

}  // namespace
}  // namespace mgeo::text
