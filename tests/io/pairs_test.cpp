#include "mgeo/io/pairs.h"

#include <gtest/gtest.h>

namespace mgeo::io {
namespace {

const ReadOptions kOpts{16};

TEST(StatusName, EveryStatus) {
  EXPECT_STREQ(status_name(RowStatus::ok), "ok");
  EXPECT_STREQ(status_name(RowStatus::malformed_row), "malformed_row");
  EXPECT_STREQ(status_name(RowStatus::invalid_utf8), "invalid_utf8");
  EXPECT_STREQ(status_name(RowStatus::empty_address), "empty_address");
  EXPECT_STREQ(status_name(RowStatus::nul_byte), "nul_byte");
  EXPECT_STREQ(status_name(RowStatus::field_too_long), "field_too_long");
  EXPECT_STREQ(status_name(RowStatus::duplicate_id), "duplicate_id");
}

TEST(MakeRow, KeepsAGoodRow) {
  const auto row = make_row("r1", "北京市 朝阳区", "北京朝阳", 7, ReadOptions{});
  EXPECT_EQ(row.status, RowStatus::ok);
  EXPECT_EQ(row.id, "r1");
  EXPECT_EQ(row.addr1, "北京市 朝阳区");
  EXPECT_EQ(row.addr2, "北京朝阳");
  EXPECT_EQ(row.line, 7);
}

TEST(MakeRow, FlagsEachProblem) {
  using namespace std::string_literals;
  EXPECT_EQ(make_row("r", "a", std::string(17, 'x'), 1, kOpts).status, RowStatus::field_too_long);
  EXPECT_EQ(make_row(std::string(17, 'x'), "a", "b", 1, kOpts).status, RowStatus::field_too_long);
  EXPECT_EQ(make_row("r", std::string(16, 'x'), "b", 1, kOpts).status, RowStatus::ok);
  EXPECT_EQ(make_row("r", "a\0b"s, "b", 1, kOpts).status, RowStatus::nul_byte);
  EXPECT_EQ(make_row("r\0"s, "a", "b", 1, kOpts).status, RowStatus::nul_byte);
  EXPECT_EQ(make_row("r", "a", "\xE5\x8C", 1, kOpts).status, RowStatus::invalid_utf8);
  EXPECT_EQ(make_row("\xC0\xAF", "a", "b", 1, kOpts).status, RowStatus::invalid_utf8);
  EXPECT_EQ(make_row("r", "", "b", 1, kOpts).status, RowStatus::empty_address);
  EXPECT_EQ(make_row("r", "a", " \t\xE3\x80\x80\xC2\xA0", 1, kOpts).status, RowStatus::empty_address);
  EXPECT_EQ(make_row("", "a", "b", 1, kOpts).status, RowStatus::ok);
}

TEST(MakeRow, FirstProblemWins) {
  using namespace std::string_literals;
  EXPECT_EQ(make_row("r", std::string(17, '\0'), "", 1, kOpts).status, RowStatus::field_too_long);
  EXPECT_EQ(make_row("r", "\0\xFF"s, "", 1, kOpts).status, RowStatus::nul_byte);
  EXPECT_EQ(make_row("r", "\xFF", "", 1, kOpts).status, RowStatus::invalid_utf8);
}

TEST(MakeRow, FlaggedRowKeepsAUsableIdAndNoAddresses) {
  using namespace std::string_literals;
  const auto bad = make_row("id\xFF\0"s, "a", "b", 3, kOpts);
  EXPECT_EQ(bad.status, RowStatus::nul_byte);
  EXPECT_EQ(bad.id, "id\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(bad.addr1, "");
  EXPECT_EQ(bad.addr2, "");
  EXPECT_EQ(bad.line, 3);
  EXPECT_EQ(make_row(std::string(20, 'i'), "a", "b", 1, kOpts).id, "");
  EXPECT_EQ(make_row("r", std::string(20, 'a'), "b", 1, kOpts).addr1, "");
}

TEST(MalformedRow, KeepsId) {
  const auto row = malformed_row("r9", 12, kOpts);
  EXPECT_EQ(row.status, RowStatus::malformed_row);
  EXPECT_EQ(row.id, "r9");
  EXPECT_EQ(row.line, 12);
}

TEST(IsBlank, UnicodeSpaces) {
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \t\r\n"));
  EXPECT_TRUE(is_blank("\xE3\x80\x80"));      // U+3000 ideographic space
  EXPECT_TRUE(is_blank("\xE2\x80\x8B\xEF\xBB\xBF"));  // U+200B, U+FEFF
  EXPECT_FALSE(is_blank(" a "));
  EXPECT_FALSE(is_blank("\xFF"));
}

TEST(SanitizeUtf8, ReplacesBadBytesOnly) {
  using namespace std::string_literals;
  EXPECT_EQ(sanitize_utf8("北京"), "北京");
  EXPECT_EQ(sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("\xE5\x8C"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("x\0y"s), "x\xEF\xBF\xBDy");
}

TEST(FindDuplicates, LaterOccurrencesOnly) {
  const std::vector<std::string> ids = {"a", "b", "a", "c", "b", "a", ""};
  EXPECT_EQ(find_duplicates(ids), (std::vector<bool>{false, false, true, false, true, true, false}));
  EXPECT_TRUE(find_duplicates({}).empty());
}

}  // namespace
}  // namespace mgeo::io
