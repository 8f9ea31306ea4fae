#include "mgeo/io/pair_source.h"

#include <gtest/gtest.h>

#include "io_test_util.h"
#include "mgeo/io/pair_writer.h"

namespace mgeo::io {
namespace {

using namespace std::string_literals;
using testing::expect_error;
using testing::TempDir;
using testing::write_file;

const std::string kBigField(5 << 20, 'a');  // a 5 MB address: a line of megabytes

struct Expected {
  std::string id;
  RowStatus status;
  int64_t line;
  std::string addr1 = {}, addr2 = {};
};

// A CSV holding one row per status, with line breaks `nl` and an optional BOM.
std::string bad_csv(const std::string& nl, bool bom) {
  std::string s = bom ? "\xEF\xBB\xBF" : "";
  const std::vector<std::string> lines = {
      "id,addr1,addr2,label",                         // 1
      "r1,北京市朝阳区,北京朝阳,exact_match",         // 2
      "r2,\"上海市, 浦东新区\",\"上海" + nl + "浦东\",partial_match",  // 3-4
      "r3,  ,北京,not_match",                         // 5
      "r4,\xE3\x80\x80,北京,not_match",               // 6
      "r5,abc\0def,北京,not_match"s,                  // 7
      "r6,\xFF\xFE北,北京,not_match",                 // 8
      "r7,only-two",                                  // 9
      "r8,a,b,c,d,e",                                 // 10
      "r9," + kBigField + ",北京,not_match",          // 11
      "\"r10\"x,a,b,l",                               // 12
      "",                                             // 13
      "r12,\"a \"\"x\"\"\",b,l",                      // 14
      "\xFF-id,a,b,l",                                // 15
      "r13,a,\"\",l",                                 // 16
  };
  for (const auto& l : lines) s += l + nl;
  return s;
}

std::vector<Expected> bad_csv_rows(const std::string& nl) {
  return {
      {"r1", RowStatus::ok, 2, "北京市朝阳区", "北京朝阳"},
      {"r2", RowStatus::ok, 3, "上海市, 浦东新区", "上海" + nl + "浦东"},
      {"r3", RowStatus::empty_address, 5},
      {"r4", RowStatus::empty_address, 6},
      {"r5", RowStatus::nul_byte, 7},
      {"r6", RowStatus::invalid_utf8, 8},
      {"r7", RowStatus::malformed_row, 9},
      {"r8", RowStatus::malformed_row, 10},
      {"r9", RowStatus::field_too_long, 11},
      {"r10", RowStatus::malformed_row, 12},
      {"", RowStatus::malformed_row, 13},
      {"r12", RowStatus::ok, 14, "a \"x\"", "b"},
      {"\xEF\xBF\xBD-id", RowStatus::invalid_utf8, 15},
      {"r13", RowStatus::empty_address, 16},
  };
}

void expect_rows(const std::vector<PairRow>& rows, const std::vector<Expected>& want) {
  ASSERT_EQ(rows.size(), want.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    EXPECT_EQ(rows[i].id, want[i].id);
    EXPECT_EQ(status_name(rows[i].status), std::string(status_name(want[i].status)));
    EXPECT_EQ(rows[i].line, want[i].line);
    EXPECT_EQ(rows[i].addr1, want[i].addr1);
    EXPECT_EQ(rows[i].addr2, want[i].addr2);
  }
}

class BadCsv : public ::testing::TestWithParam<std::pair<const char*, bool>> {};

TEST_P(BadCsv, FlagsEveryBadRowWithItsLine) {
  const auto [nl, bom] = GetParam();
  TempDir dir;
  const auto path = dir.file("bad.csv");
  write_file(path, bad_csv(nl, bom));
  const auto src = PairSource::open(path);
  EXPECT_EQ(src->size(), 14);
  expect_rows(src->read(0, src->size()), bad_csv_rows(nl));
  EXPECT_EQ(src->extra_columns(), std::vector<std::string>{"label"});
  const auto labels = src->read_column("label", 0, 4);
  EXPECT_EQ(labels, (std::vector<std::string>{"exact_match", "partial_match", "not_match", "not_match"}));
  EXPECT_EQ(src->read_column("label", 6, 8), (std::vector<std::string>{"", ""}));  // malformed rows
}

INSTANTIATE_TEST_SUITE_P(LineBreaks, BadCsv,
                         ::testing::Values(std::make_pair("\n", false), std::make_pair("\r\n", true)));

TEST(BadTsv, FlagsEveryBadRowWithItsLine) {
  TempDir dir;
  const auto path = dir.file("bad.tsv");
  write_file(path, "addr2\tid\taddr1\n"
                   "b\tt1\t\"a\"\n"
                   "b\tt2\n"
                   "b\tt3\t\xE3\x80\x80\n"
                   "b\xC3\tt4\ta\n"
                   "b\tt5\t"s + kBigField + "\n"
                   "b\tt6\ta\0\n"s);
  const auto src = PairSource::open(path);
  expect_rows(src->read(0, src->size()), {
                                             {"t1", RowStatus::ok, 2, "\"a\"", "b"},
                                             {"t2", RowStatus::malformed_row, 3},
                                             {"t3", RowStatus::empty_address, 4},
                                             {"t4", RowStatus::invalid_utf8, 5},
                                             {"t5", RowStatus::field_too_long, 6},
                                             {"t6", RowStatus::nul_byte, 7},
                                         });
  EXPECT_TRUE(src->extra_columns().empty());
}

TEST(PairSource, TxtIsTsvAndMaxFieldBytesApplies) {
  TempDir dir;
  const auto path = dir.file("pairs.TXT");
  write_file(path, "id\taddr1\taddr2\nx\t12345\t123456\n");
  EXPECT_EQ(PairSource::open(path, ReadOptions{6})->read(0, 1)[0].status, RowStatus::ok);
  EXPECT_EQ(PairSource::open(path, ReadOptions{5})->read(0, 1)[0].status, RowStatus::field_too_long);
}

TEST(PairSource, HeaderOnlyFileHasNoRows) {
  TempDir dir;
  const auto path = dir.file("empty.csv");
  write_file(path, "id,addr1,addr2\r\n\r\n");
  const auto src = PairSource::open(path);
  EXPECT_EQ(src->size(), 0);
  EXPECT_TRUE(src->read(0, 0).empty());
}

TEST(PairSource, ReadRangesConcatenateToTheWholeFile) {
  TempDir dir;
  const auto path = dir.file("many.csv");
  std::vector<PairRow> rows(1000);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].id = "id" + std::to_string(i);
    rows[i].addr1 = i % 7 == 0 ? "多行\n地址" + std::to_string(i) : "地址" + std::to_string(i);
    rows[i].addr2 = i % 5 == 0 ? "" : "b,\"" + std::to_string(i);
  }
  write_pairs(path, rows);
  const auto src = PairSource::open(path);
  ASSERT_EQ(src->size(), 1000);
  const auto all = src->read(0, src->size());
  std::vector<PairRow> joined;
  for (int64_t b = 0, step = 1; b < src->size(); b += step, step = step * 3 % 17 + 1) {
    auto part = src->read(b, std::min(src->size(), b + step));
    joined.insert(joined.end(), part.begin(), part.end());
    EXPECT_TRUE(src->read(b, b).empty());
  }
  ASSERT_EQ(joined.size(), all.size());
  int64_t line = 2;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(joined[i].id, all[i].id);
    EXPECT_EQ(joined[i].line, all[i].line);
    EXPECT_EQ(all[i].id, rows[i].id);
    EXPECT_EQ(all[i].line, line) << i;
    EXPECT_EQ(all[i].status, i % 5 == 0 ? RowStatus::empty_address : RowStatus::ok) << i;
    if (all[i].status == RowStatus::ok) {
      EXPECT_EQ(all[i].addr1, rows[i].addr1);
    }
    line += i % 7 == 0 ? 2 : 1;
  }
  expect_error([&] { src->read(999, 1001); }, {path, "out of range"});
  expect_error([&] { src->read(5, 4); }, {path});
}

TEST(PairSource, FileErrorsNameTheFile) {
  TempDir dir;
  const auto missing = dir.file("missing.csv");
  expect_error([&] { PairSource::open(missing); }, {missing});
  const auto empty = dir.file("empty.csv");
  write_file(empty, "");
  expect_error([&] { PairSource::open(empty); }, {empty, "empty file"});
  const auto bom_only = dir.file("bom.csv");
  write_file(bom_only, "\xEF\xBB\xBF\n");
  expect_error([&] { PairSource::open(bom_only); }, {bom_only, "empty file"});
  const auto no_addr2 = dir.file("cols.csv");
  write_file(no_addr2, "id,addr1,address2\n1,a,b\n");
  expect_error([&] { PairSource::open(no_addr2); }, {no_addr2 + ":1:", "lacks column(s) addr2", "address2"});
  const auto twice = dir.file("twice.tsv");
  write_file(twice, "id\taddr1\taddr2\tid\n");
  expect_error([&] { PairSource::open(twice); }, {twice + ":1:", "'id' appears twice"});
  const auto open_quote = dir.file("quote.csv");
  write_file(open_quote, "id,addr1,addr2\n1,a,b\n2,\"a,b\n3,c,d\n");
  expect_error([&] { PairSource::open(open_quote); }, {open_quote + ":3:", "unterminated"});
  const auto odd = dir.file("pairs.json");
  write_file(odd, "{}");
  expect_error([&] { PairSource::open(odd); }, {odd, "format"});
  const auto ok = dir.file("ok.csv");
  write_file(ok, "id,addr1,addr2\n1,a,b\n");
  expect_error([&] { PairSource::open(ok)->read_column("label", 0, 1); }, {ok, "no column 'label'"});
}

}  // namespace
}  // namespace mgeo::io
