// Parquet input and output (src/io/parquet/): files pyarrow wrote
// (tests/reference/make_parquet_fixtures.py), round trips through our writers, bad files.
// ParquetWritten.ForPyarrow writes files that tests/reference/check_parquet_written.py
// reads back with pyarrow.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "io_test_util.h"
#include "mgeo/io/format.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/pair_writer.h"
#include "mgeo/io/score_writer.h"
#include "mgeo/io/table_writer.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::TempDir;
using Strings = std::vector<std::string>;

std::string fixture(const std::string& name) { return std::string(MGEO_FIXTURE_DIR) + "/parquet/" + name; }

nlohmann::json expected() {
  std::ifstream f(fixture("expected.json"));
  EXPECT_TRUE(f.good()) << "missing " << fixture("expected.json") << " (ctest runs fixture_parquet first)";
  return nlohmann::json::parse(f);
}

#define REQUIRE_PARQUET()                                                       \
  if (!parquet_supported()) GTEST_SKIP() << "this build has no Parquet support"

Strings as_strings(const PairRow& r) { return {r.id, r.addr1, r.addr2, status_name(r.status)}; }

TEST(ParquetFormat, FromExtension) {
  EXPECT_EQ(format_of("a/b.parquet"), Format::parquet);
  EXPECT_EQ(format_of("B.PARQUET"), Format::parquet);
  expect_error([] { format_of("x.pq"); }, {"x.pq", ".parquet"});
}

TEST(ParquetFormat, WithoutSupportTheErrorSaysSo) {
  if (parquet_supported()) GTEST_SKIP() << "this build has Parquet support";
  TempDir dir;
  testing::write_file(dir.file("a.parquet"), "PAR1");
  expect_error([&] { PairSource::open(dir.file("a.parquet")); }, {"a.parquet", "no Parquet support"});
  expect_error([&] { TableWriter(dir.file("b.parquet"), {"id"}); }, {"b.parquet", "no Parquet support"});
  EXPECT_EQ(dir.entries(), Strings{"a.parquet"});
}

TEST(ParquetRead, PyarrowFilesReadAsExpected) {
  REQUIRE_PARQUET();
  for (const auto& [name, want] : expected()["good"].items()) {
    SCOPED_TRACE(name);
    auto src = PairSource::open(fixture(name + ".parquet"));
    const auto& rows = want["rows"];
    ASSERT_EQ(src->size(), static_cast<int64_t>(rows.size()));
    const auto got = src->read(0, src->size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(as_strings(got[i]), rows[i].get<Strings>()) << "row " << i;
      EXPECT_EQ(got[i].line, static_cast<int64_t>(i) + 1);
    }
    EXPECT_EQ(src->extra_columns(), want["extra"].get<Strings>());
    for (const auto& column : want["extra"]) {
      const auto c = column.get<std::string>();
      EXPECT_EQ(src->read_column(c, 0, src->size()), want[c].get<Strings>()) << c;
    }
  }
}

TEST(ParquetRead, RangesAcrossRowGroupsEqualTheWholeRead) {
  REQUIRE_PARQUET();
  for (const char* name : {"plain", "dict", "large", "nulls"}) {
    SCOPED_TRACE(name);
    auto src = PairSource::open(fixture(std::string(name) + ".parquet"));
    const int64_t n = src->size();
    const auto whole = src->read(0, n);
    for (int64_t step : {1, 2, 5, 96, 97, 98, 300}) {
      std::vector<PairRow> pieces;
      for (int64_t b = 0; b < n; b += step) {
        auto part = src->read(b, std::min(n, b + step));
        pieces.insert(pieces.end(), part.begin(), part.end());
      }
      ASSERT_EQ(pieces.size(), whole.size());
      for (std::size_t i = 0; i < whole.size(); ++i) {
        EXPECT_EQ(as_strings(pieces[i]), as_strings(whole[i])) << "step " << step << " row " << i;
        EXPECT_EQ(pieces[i].line, whole[i].line);
      }
    }
    EXPECT_TRUE(src->read(n, n).empty());
    // backwards and interleaved with read_column: the row group cache gives the same rows
    for (int64_t b = n - 1; b >= 0; b -= std::max<int64_t>(1, n / 7)) {
      EXPECT_EQ(as_strings(src->read(b, b + 1)[0]), as_strings(whole[b]));
      EXPECT_EQ(src->read_column("id", b, b + 1)[0], whole[b].id);
    }
  }
}

TEST(ParquetRead, AddressTableReadsOneColumnTwice) {
  REQUIRE_PARQUET();
  ReadOptions opts;
  opts.addr1_column = opts.addr2_column = "addr1";
  auto src = PairSource::open(fixture("dict.parquet"), opts);
  const auto rows = src->read(0, src->size());
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[2].addr1, "上海市");
  EXPECT_EQ(rows[2].addr2, "上海市");
  EXPECT_EQ(src->extra_columns(), Strings{"addr2"});
}

TEST(ParquetRead, BadFilesNameFileAndColumn) {
  REQUIRE_PARQUET();
  for (const auto& [name, parts] : expected()["bad"].items()) {
    SCOPED_TRACE(name);
    const std::string file = name == "damaged_read" ? "damaged" : name;
    expect_error(
        [&] {
          auto src = PairSource::open(fixture(file + ".parquet"));
          src->read(0, src->size());
        },
        parts.get<Strings>());
  }
  auto src = PairSource::open(fixture("plain.parquet"));
  expect_error([&] { src->read_column("nope", 0, 1); }, {"plain.parquet", "'nope'"});
  expect_error([&] { src->read(5, 2000); }, {"plain.parquet", "out of range"});
}

TEST(ParquetRead, MaxFieldBytesFlagsLongFields) {
  REQUIRE_PARQUET();
  ReadOptions opts;
  opts.max_field_bytes = 10;
  auto src = PairSource::open(fixture("plain.parquet"), opts);
  const auto rows = src->read(0, 2);
  EXPECT_EQ(rows[0].status, RowStatus::field_too_long);
  EXPECT_EQ(rows[0].id, "p0");
}

std::vector<PairRow> sample_pairs(int64_t n) {
  std::vector<PairRow> rows;
  for (int64_t i = 0; i < n; ++i)
    rows.push_back(PairRow{"id" + std::to_string(i) + (i % 11 == 0 ? ",\"q\"\n" : ""),
                           "浙江省杭州市余杭区" + std::to_string(i) + "号", i % 5 == 0 ? "" : "余杭" + std::to_string(i), RowStatus::ok, 0});
  return rows;
}

TEST(ParquetWrite, PairsRoundTripOverSeveralRowGroups) {
  REQUIRE_PARQUET();
  TempDir dir;
  const int64_t n = 300000;  // three row groups of 2^17 rows at most
  const auto rows = sample_pairs(n);
  Strings labels;
  for (int64_t i = 0; i < n; ++i) labels.push_back(i % 2 ? "exact_match" : "not_match");
  write_pairs(dir.file("p.parquet"), rows, &labels);
  EXPECT_EQ(dir.entries(), Strings{"p.parquet"});  // no temporary or lock file left
  auto src = PairSource::open(dir.file("p.parquet"));
  ASSERT_EQ(src->size(), n);
  EXPECT_EQ(src->extra_columns(), Strings{"label"});
  for (int64_t b : {int64_t{0}, int64_t{131000}, int64_t{262100}}) {
    const auto got = src->read(b, b + 1000);
    const auto got_labels = src->read_column("label", b, b + 1000);
    for (int64_t i = 0; i < 1000; ++i) {
      const auto& want = rows[b + i];
      const bool blank = want.addr2.empty();
      EXPECT_EQ(got[i].id, want.id);
      EXPECT_EQ(got[i].status, blank ? RowStatus::empty_address : RowStatus::ok);
      if (!blank) {
        EXPECT_EQ(got[i].addr2, want.addr2);
      }
      EXPECT_EQ(got_labels[i], labels[b + i]);
    }
  }
}

TEST(ParquetWrite, TableRoundTripAndNoFileOnFailure) {
  REQUIRE_PARQUET();
  TempDir dir;
  {
    TableWriter w(dir.file("t.parquet"), {"id", "address", "note"});
    EXPECT_TRUE(w.can_hold(std::string("tab\tand\nbreak\0nul", 17)));
    w.add({"a\tb", "北京市海淀区", std::string_view("x\0y", 3)});
    w.add({"2", "上海市", ""});
    w.close();
  }
  ReadOptions opts;
  opts.addr1_column = opts.addr2_column = "address";
  auto src = PairSource::open(dir.file("t.parquet"), opts);
  const auto rows = src->read(0, 2);
  EXPECT_EQ(as_strings(rows[0]), (Strings{"a\tb", "北京市海淀区", "北京市海淀区", "ok"}));
  EXPECT_EQ(src->read_column("note", 0, 2), (Strings{std::string("x\0y", 3), ""}));
  {
    TableWriter w(dir.file("gone.parquet"), {"id", "address"});
    w.add({"1", "x"});
    EXPECT_THROW(w.add({"only one"}), Error);
  }
  {
    ScoreWriter w(dir.file("gone2.parquet"), {"a", "b"}, 1);  // never committed
  }
  EXPECT_EQ(dir.entries(), Strings{"t.parquet"});
}

ScoreTable sample_scores() {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  ScoreTable t;
  t.labels = {"not_match", "partial_match", "exact_match"};
  t.score_label = 2;
  t.ids = {"a,b", "q\"x", "unscored", "tiny", "中文"};
  t.probs = {0.1f, 0.2f, 0.7f, 1.0f / 3, 1.0f / 3 + 1e-7f, 0.0f, nan, nan, nan, 1e-30f, 0.9999999f, 1.17549435e-38f,
             0.5f, 0.25f, 0.25f};
  t.status = {RowStatus::ok, RowStatus::duplicate_id, RowStatus::empty_address, RowStatus::ok, RowStatus::ok};
  t.extra_columns = {"cmp_city", "cmp_road"};
  t.extra = {"same", "diff", "", "", "x", "y", "同", "异", "", "z"};
  return t;
}

TEST(ParquetWrite, ScoresReadBackWithOurReader) {
  REQUIRE_PARQUET();
  TempDir dir;
  const auto t = sample_scores();
  {
    ScoreWriter w(dir.file("s.parquet"), t.labels, t.score_label, t.extra_columns);
    w.append(t);
    w.append(t);
    w.commit();
    EXPECT_EQ(w.rows(), 10);
  }
  ReadOptions opts;
  opts.addr1_column = "status", opts.addr2_column = "label";  // any two text columns
  auto src = PairSource::open(dir.file("s.parquet"), opts);
  ASSERT_EQ(src->size(), 10);
  EXPECT_EQ(src->extra_columns(), (Strings{"cmp_city", "cmp_road"}));  // float columns are not text
  const auto rows = src->read(0, 10);
  EXPECT_EQ(rows[2].status, RowStatus::null_value);  // unscored: null label
  EXPECT_EQ(rows[2].id, "unscored");
  EXPECT_EQ(src->read_column("status", 0, 5), (Strings{"ok", "duplicate_id", "empty_address", "ok", "ok"}));
  EXPECT_EQ(src->read_column("label", 5, 10),
            (Strings{"exact_match", "partial_match", "", "partial_match", "not_match"}));
  EXPECT_EQ(src->read_column("cmp_road", 0, 5), (Strings{"diff", "", "y", "异", "z"}));
  expect_error([&] { src->read_column("score", 0, 1); }, {"s.parquet", "'score'"});
}

// Files for tests/reference/check_parquet_written.py, which runs this test with
// MGEO_PARQUET_OUT set: the same tables as .parquet and as .csv, for pyarrow to compare.
TEST(ParquetWritten, ForPyarrow) {
  const char* out = std::getenv("MGEO_PARQUET_OUT");
  if (!out) GTEST_SKIP() << "MGEO_PARQUET_OUT is not set";
  REQUIRE_PARQUET();
  const std::string dir = out;
  auto t = sample_scores();
  for (const char* ext : {".csv", ".parquet"}) write_scores(dir + "/scores" + ext, t);
  for (const char* ext : {".csv", ".parquet"}) {
    TableWriter w(dir + "/table" + ext, {"id", "address", "note"});
    for (int i = 0; i < 150000; ++i)  // two row groups
      w.add({std::to_string(i), "四川省成都市武侯区" + std::to_string(i), i % 3 ? "n" : ""});
    w.close();
  }
}

}  // namespace
}  // namespace mgeo::io
