#include "mgeo/align/block_stage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "mgeo/address/parser.h"
#include "mgeo/align/address_table.h"
#include "mgeo/io/table_writer.h"
#include "mgeo/util/error.h"

namespace mgeo::align {
namespace {

using model::test::TempDir;
using model::test::write_file;

const address::Parser& parser() {
  static const auto p = address::Parser::from_directory();
  return p;
}

TEST(AddressTable, FlagsBadRowsInPlaceAndReadsAnyColumnOrder) {
  TempDir dir;
  const auto path = dir.file("t.csv");
  write_file(path,
             "address,note,id\n"
             "北京市朝阳区建国路8号,x,a\n"
             ",x,b\n"
             "\"广州市天河区体育西路1号\",x,c\n"
             "上海市浦东新区张江路123号,x,a\n"
             "\xff\xfe,x,d\n");
  const auto t = read_address_table(path);
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t.ids, (std::vector<std::string>{"a", "b", "c", "a", "d"}));
  EXPECT_EQ(t.addresses[2], "广州市天河区体育西路1号");
  EXPECT_EQ(t.status[0], io::RowStatus::ok);
  EXPECT_EQ(t.status[1], io::RowStatus::empty_address);
  EXPECT_EQ(t.status[3], io::RowStatus::duplicate_id);
  EXPECT_EQ(t.status[4], io::RowStatus::invalid_utf8);
  EXPECT_EQ(t.lines[4], 6);
  EXPECT_EQ(t.flagged(), 3);
}

TEST(AddressTable, ReadsHdf5DatasetsIdAndAddress) {
  TempDir dir;
  const auto path = dir.file("t.h5");
  io::TableWriter w(path, {"address", "id"});
  w.add({"北京市朝阳区建国路8号", "a"});
  w.add({"", "b"});
  w.close();
  const auto t = read_address_table(path);
  EXPECT_EQ(t.ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.addresses[0], "北京市朝阳区建国路8号");
  EXPECT_EQ(t.status[1], io::RowStatus::empty_address);
}

TEST(AddressTable, MissingColumnNamesTheFileAndColumn) {
  TempDir dir;
  const auto path = dir.file("pairs.csv");
  write_file(path, "id,addr1,addr2\n1,a,b\n");
  try {
    read_address_table(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("address"), std::string::npos) << e.what();
  }
}

AddressTable table(const std::vector<std::string>& addresses, std::vector<io::RowStatus> status = {}) {
  AddressTable t;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    t.ids.push_back("r" + std::to_string(i));
    t.addresses.push_back(addresses[i]);
    t.status.push_back(i < status.size() ? status[i] : io::RowStatus::ok);
    t.lines.push_back(static_cast<int64_t>(i) + 2);
  }
  return t;
}

const std::vector<std::string> kMasters = {
    "北京市朝阳区建国路8号", "北京市朝阳区建国路88号", "广州市天河区体育西路1号",
    "广州市越秀区体育西路1号", "杭州市西湖区文三路456号万塘大厦B座", "北京市朝阳区建国路9号",
};

TEST(BlockStage, FlaggedMastersStayOutOfTheIndexAndRowsIndexTheTable) {
  const auto masters = table(kMasters, {io::RowStatus::ok, io::RowStatus::empty_address});
  const auto index = build_index(parser(), masters, {});
  EXPECT_EQ(index.index->size(), kMasters.size() - 1);
  EXPECT_EQ(index.rows, (std::vector<uint32_t>{0, 2, 3, 4, 5}));
  const auto queries = table({"北京朝阳建国路8号", "广州市天河区体育西路1号", "北京朝阳建国路88号"},
                             {io::RowStatus::ok, io::RowStatus::ok, io::RowStatus::invalid_utf8});
  BlockOptions o;
  o.k = 3;
  const auto lists = block_range(index, queries, 0, 3, o);
  ASSERT_EQ(lists.queries(), 3u);
  ASSERT_GT(lists.end(0), lists.begin(0));
  EXPECT_EQ(lists.row[static_cast<std::size_t>(lists.begin(0))], 0u);  // 建国路8号, found by its keys first
  EXPECT_EQ(lists.row[static_cast<std::size_t>(lists.begin(1))], 2u);
  EXPECT_EQ(lists.end(2), lists.begin(2));  // a flagged query gets no candidate
  for (const auto r : lists.row) EXPECT_NE(r, 1u);  // the flagged master is never a candidate
  EXPECT_LE(lists.end(0) - lists.begin(0), 3);
}

TEST(BlockStage, SkipSelfDropsTheRowItselfAndKeepsK) {
  const auto t = table(kMasters);
  const auto index = build_index(parser(), t, {});
  BlockOptions o;
  o.k = 2;
  o.skip_self = true;
  const auto lists = block_range(index, t, 0, static_cast<int64_t>(t.size()), o);
  for (std::size_t q = 0; q < t.size(); ++q) {
    EXPECT_LE(lists.end(q) - lists.begin(q), 2);
    for (int64_t i = lists.begin(q); i < lists.end(q); ++i) EXPECT_NE(lists.row[static_cast<std::size_t>(i)], q);
  }
}

TEST(BlockStage, ThreadsAndRangesGiveTheSameLists) {
  const auto t = table(kMasters);
  const auto index = build_index(parser(), t, {});
  BlockOptions one;
  one.k = 4;
  BlockOptions four = one;
  four.threads = 4;
  const auto a = block_range(index, t, 0, 6, one), b = block_range(index, t, 0, 6, four);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.row, b.row);
  const auto tail = block_range(index, t, 3, 6, one);
  EXPECT_EQ(std::vector<uint32_t>(a.row.begin() + a.begin(3), a.row.end()), tail.row);
  EXPECT_THROW(block_range(index, t, 4, 7, one), Error);
}

TEST(BlockStage, QueriesOverRanksEqualOneRange) {  // under mpirun: every rank gets every list
  const auto comm = dist::test_support::world();
  const auto t = table(kMasters);
  const auto index = build_index(parser(), t, {});
  BlockOptions o;
  o.k = 3;
  const auto all = block_queries(index, t, o, comm);
  const auto one = block_range(index, t, 0, 6, o);
  EXPECT_EQ(all.offsets, one.offsets);
  EXPECT_EQ(all.row, one.row);
  EXPECT_EQ(all.found_by, one.found_by);
  EXPECT_EQ(all.block_score, one.block_score);
}

TEST(SymmetricPairs, EachPairOnceSmallerRowFirstPassesMerged) {
  CandidateLists l;
  // row 0 -> 1 (keys), 2; row 1 -> 0 (lexical); row 2 -> 2 (itself), 0
  l.offsets = {0, 2, 3, 5};
  l.row = {1, 2, 0, 2, 0};
  l.block_score = {1.0f, 2.0f, 5.0f, 9.0f, 3.0f};
  l.found_by = {1, 8, 8, 8, 8};
  const auto p = symmetric_pairs(l);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.a, (std::vector<uint32_t>{0, 0}));
  EXPECT_EQ(p.b, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(p.found_by, (std::vector<uint8_t>{9, 8}));
  EXPECT_EQ(p.block_score, (std::vector<float>{5.0f, 3.0f}));
}

}  // namespace
}  // namespace mgeo::align
