#include "mgeo/io/records.h"

#include <gtest/gtest.h>

#include "io_test_util.h"

namespace mgeo::io {
namespace {

using testing::expect_error;

std::vector<std::string> records_of(std::string_view text, Dialect d = kCsv) {
  const auto index = scan_records(text, d, "t.csv");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < index.size(); ++i) out.emplace_back(index.record(text, i));
  return out;
}

std::vector<int64_t> lines_of(std::string_view text, Dialect d = kCsv) {
  const auto index = scan_records(text, d, "t.csv");
  std::vector<int64_t> out;
  for (std::size_t i = 0; i < index.size(); ++i) out.push_back(index.line(i));
  return out;
}

std::vector<std::string> values_of(std::string_view record, Dialect d = kCsv) {
  std::vector<Field> fields;
  EXPECT_TRUE(split_record(record, d, fields)) << record;
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.value());
  return out;
}

using Strings = std::vector<std::string>;
using Lines = std::vector<int64_t>;

TEST(ScanRecords, SplitsAtLineBreaks) {
  const std::string text = "id,addr1,addr2\n1,a,b\n2,c,d\n";
  EXPECT_EQ(records_of(text), (Strings{"id,addr1,addr2", "1,a,b", "2,c,d"}));
  EXPECT_EQ(lines_of(text), (Lines{1, 2, 3}));
}

TEST(ScanRecords, LastRecordNeedsNoLineBreak) {
  EXPECT_EQ(records_of("h\n1,a"), (Strings{"h", "1,a"}));
  EXPECT_EQ(records_of("h\n\"1\",\"a\""), (Strings{"h", "\"1\",\"a\""}));
}

TEST(ScanRecords, EmptyText) { EXPECT_EQ(scan_records("", kCsv, "t.csv").size(), 0u); }

TEST(ScanRecords, StripsCrlf) {
  EXPECT_EQ(records_of("h\r\nx\r\ny\r\n"), (Strings{"h", "x", "y"}));
  EXPECT_EQ(records_of("h\r\n\"a\r\nb\",c\r\n"), (Strings{"h", "\"a\r\nb\",c"}));
}

TEST(ScanRecords, IgnoresEmptyLinesAtTheEndOnly) {
  EXPECT_EQ(records_of("h\nx\n\n\r\n\n"), (Strings{"h", "x"}));
  EXPECT_EQ(records_of("h\n\nx\n"), (Strings{"h", "", "x"}));
  EXPECT_EQ(lines_of("h\n\nx\n"), (Lines{1, 2, 3}));
}

TEST(ScanRecords, QuotedFieldsHoldDelimitersAndLineBreaks) {
  const std::string text = "id,a\n1,\"x,\ny\"\n2,\"p\n\nq\",\"r\ns\"\n3,z\n4,\"\"\n";
  EXPECT_EQ(records_of(text), (Strings{"id,a", "1,\"x,\ny\"", "2,\"p\n\nq\",\"r\ns\"", "3,z", "4,\"\""}));
  EXPECT_EQ(lines_of(text), (Lines{1, 2, 4, 8, 9}));
}

TEST(ScanRecords, EscapedQuotesKeepTheFieldOpen) {
  const std::string text = "\"a\"\"\nb\"\"\",c\nd\n";
  EXPECT_EQ(records_of(text), (Strings{"\"a\"\"\nb\"\"\",c", "d"}));
  EXPECT_EQ(lines_of(text), (Lines{1, 3}));
}

TEST(ScanRecords, QuoteInsideAnUnquotedFieldIsLiteral) {
  const std::string text = "1,ab\"c,d\n2,e,f\n3,\"x\ny\"\n4,g\"\n5\n";
  EXPECT_EQ(records_of(text), (Strings{"1,ab\"c,d", "2,e,f", "3,\"x\ny\"", "4,g\"", "5"}));
  EXPECT_EQ(lines_of(text), (Lines{1, 2, 3, 5, 6}));
}

TEST(ScanRecords, TsvHasNoQuoting) {
  const std::string text = "a\t\"b\nc\t\"d\n";
  EXPECT_EQ(records_of(text, kTsv), (Strings{"a\t\"b", "c\t\"d"}));
  EXPECT_EQ(values_of("a\t\"b\"\"\t", kTsv), (Strings{"a", "\"b\"\"", ""}));
}

TEST(ScanRecords, UnterminatedQuoteNamesFileAndLine) {
  expect_error([] { scan_records("h\n1,\"x\ny\"\n2,\"abc\n3,x\n", kCsv, "in.csv"); },
               {"in.csv:4:", "unterminated quoted field"});
  expect_error([] { scan_records("\"", kCsv, "one.csv"); }, {"one.csv:1:"});
}

TEST(SplitRecord, Fields) {
  EXPECT_EQ(values_of("a,,"), (Strings{"a", "", ""}));
  EXPECT_EQ(values_of(""), (Strings{""}));
  EXPECT_EQ(values_of("\"\",x"), (Strings{"", "x"}));
  EXPECT_EQ(values_of("\"a\"\"b\",\"c,d\",\"e\nf\","), (Strings{"a\"b", "c,d", "e\nf", ""}));
  EXPECT_EQ(values_of(" \"a\" ,b"), (Strings{" \"a\" ", "b"}));
}

TEST(SplitRecord, TextAfterClosingQuoteIsMalformed) {
  std::vector<Field> fields;
  EXPECT_FALSE(split_record("\"a\"x,b,c", kCsv, fields));
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].value(), "a");
  EXPECT_EQ(fields[2].value(), "c");
  EXPECT_FALSE(split_record("\"a\" ", kCsv, fields));
}

TEST(AppendField, QuotesOnlyWhenNeeded) {
  std::string out;
  ASSERT_TRUE(append_field(out, "北京市", kCsv));
  EXPECT_EQ(out, "北京市");
  out.clear();
  ASSERT_TRUE(append_field(out, "a,\"b\"\r\n", kCsv));
  EXPECT_EQ(out, "\"a,\"\"b\"\"\r\n\"");
}

TEST(AppendField, TsvRejectsTabsAndLineBreaks) {
  std::string out;
  EXPECT_FALSE(append_field(out, "a\tb", kTsv));
  EXPECT_FALSE(append_field(out, "a\nb", kTsv));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(append_field(out, "a,\"b\"", kTsv));
  EXPECT_EQ(out, "a,\"b\"");
}

TEST(AppendField, RoundTripsThroughScanAndSplit) {
  const Strings values = {"plain", "", "a,b", "\"", "\"\"x\"", "line\nbreak", "crlf\r\nx", " pad ", "末尾\""};
  std::string text;
  for (const auto& v : values) {
    ASSERT_TRUE(append_field(text, v, kCsv));
    text += ",end\n";
  }
  const auto index = scan_records(text, kCsv, "t.csv");
  ASSERT_EQ(index.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(values_of(index.record(text, i)), (Strings{values[i], "end"})) << i;
}

}  // namespace
}  // namespace mgeo::io
