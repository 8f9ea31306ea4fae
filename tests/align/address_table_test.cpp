#include "mgeo/align/address_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "mgeo/io/table_writer.h"
#include "mgeo/util/error.h"

namespace mgeo::align {
namespace {

namespace fs = std::filesystem;

class AddressTableIds : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("address_table_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    input_ = (dir_ / "queries.csv").string();
    std::ofstream(input_) << "id,address\nq1,北京市海淀区中关村大街1号\n\"q\t2\",北京市朝阳区建国路8号\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string input_;
};

TEST_F(AddressTableIds, ATabbedIdIsRefusedForATsvOutputBeforeAnyWork) {
  const auto table = read_address_table(input_);
  ASSERT_EQ(table.size(), 2u);
  io::TableWriter tsv((dir_ / "links.tsv").string(), {"query_id", "master_id"});
  try {
    require_writable_ids(table, tsv);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(input_ + ": line 3"), std::string::npos) << what;
    EXPECT_NE(what.find("links.tsv"), std::string::npos) << what;
  }
}

TEST_F(AddressTableIds, CsvAndHdf5OutputsHoldThem) {
  const auto table = read_address_table(input_);
  io::TableWriter csv((dir_ / "links.csv").string(), {"query_id"});
  io::TableWriter h5((dir_ / "links.h5").string(), {"query_id"});
  EXPECT_NO_THROW(require_writable_ids(table, csv));
  EXPECT_NO_THROW(require_writable_ids(table, h5));
  EXPECT_TRUE(csv.can_hold("a\tb\nc"));
  EXPECT_FALSE(h5.can_hold(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace mgeo::align
