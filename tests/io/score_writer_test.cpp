#include "mgeo/io/score_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "io_test_util.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/io/records.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::read_file;
using testing::TempDir;
using Strings = std::vector<std::string>;

const float kNaN = std::numeric_limits<float>::quiet_NaN();

ScoreTable sample_table() {
  ScoreTable t;
  t.labels = {"not_match", "partial,match", "exact_match"};
  t.score_label = 2;
  t.ids = {"a,b", "q\"x", "line\nbreak", "plain", "unscored", "tiny"};
  t.probs = {0.1f, 0.2f, 0.7f,                 //
             1.0f / 3, 1.0f / 3 + 1e-7f, 0.0f,  //
             0.5f, 0.25f, 0.25f,               //
             0.0f, 0.0f, 1.0f,                 //
             kNaN, kNaN, kNaN,                 //
             1e-30f, 0.9999999f, 1.17549435e-38f};
  t.status = {RowStatus::ok, RowStatus::ok, RowStatus::duplicate_id, RowStatus::ok, RowStatus::invalid_utf8,
              RowStatus::ok};
  return t;
}

// The file's records split into field values.
std::vector<Strings> read_table(const std::string& path, Dialect d) {
  const auto text = read_file(path);
  const auto index = scan_records(text, d, path);
  std::vector<Strings> rows;
  std::vector<Field> fields;
  for (std::size_t i = 0; i < index.size(); ++i) {
    EXPECT_TRUE(split_record(index.record(text, i), d, fields));
    rows.emplace_back();
    for (const auto& f : fields) rows.back().push_back(f.value());
  }
  return rows;
}

void expect_float(const std::string& text, float want) {
  if (std::isnan(want)) {
    EXPECT_EQ(text, "");
    return;
  }
  char* end = nullptr;
  const float got = std::strtof(text.c_str(), &end);
  EXPECT_EQ(*end, '\0') << text;
  EXPECT_EQ(got, want) << text;  // exact: the text reads back to the same float
}

void expect_scores(const std::string& path, Dialect d, const ScoreTable& t) {
  const auto rows = read_table(path, d);
  ASSERT_EQ(rows.size(), t.ids.size() + 1);
  EXPECT_EQ(rows[0], (Strings{"id", "score", "label", "prob_not_match", "prob_partial,match", "prob_exact_match",
                              "status"}));
  for (std::size_t i = 0; i < t.ids.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    const auto& r = rows[i + 1];
    ASSERT_EQ(r.size(), 7u);
    EXPECT_EQ(r[0], t.ids[i]);
    expect_float(r[1], t.probs[i * 3 + 2]);
    for (int l = 0; l < 3; ++l) expect_float(r[3 + l], t.probs[i * 3 + l]);
    EXPECT_EQ(r[6], status_name(t.status[i]));
  }
  EXPECT_EQ(rows[1][2], "exact_match");
  EXPECT_EQ(rows[2][2], "partial,match");
  EXPECT_EQ(rows[3][2], "not_match");
  EXPECT_EQ(rows[5][2], "");
  EXPECT_EQ(rows[6][2], "partial,match");
}

TEST(WriteScores, CsvRoundTrip) {
  TempDir dir;
  const auto path = dir.file("scores.csv");
  const auto t = sample_table();
  write_scores(path, t);
  EXPECT_EQ(dir.entries(), Strings{"scores.csv"});
  expect_scores(path, kCsv, t);
  EXPECT_EQ(read_file(path).substr(0, 60), "id,score,label,prob_not_match,\"prob_partial,match\",prob_exac");
}

TEST(WriteScores, TsvRoundTripAndRejectsTabs) {
  TempDir dir;
  auto t = sample_table();
  t.ids[2] = "line break";
  const auto path = dir.file("scores.tsv");
  write_scores(path, t);
  expect_scores(path, kTsv, t);
  t.ids[0] = "tab\there";
  const auto bad = dir.file("bad.tsv");
  expect_error([&] { write_scores(bad, t); }, {bad, "row 1", "tab"});
  EXPECT_EQ(dir.entries(), Strings{"scores.tsv"});
}

TEST(WriteScores, EmptyTableHasAHeader) {
  TempDir dir;
  const auto path = dir.file("empty.csv");
  ScoreTable t;
  t.labels = {"no", "yes"};
  t.score_label = 1;
  write_scores(path, t);
  EXPECT_EQ(read_file(path), "id,score,label,prob_no,prob_yes,status\n");
}

TEST(WriteScores, InconsistentTableIsRefused) {
  TempDir dir;
  const auto path = dir.file("bad.csv");
  auto t = sample_table();
  t.probs.pop_back();
  expect_error([&] { write_scores(path, t); }, {path, "17 probabilities"});
  t = sample_table();
  t.score_label = 3;
  expect_error([&] { write_scores(path, t); }, {path, "score label index 3"});
  EXPECT_TRUE(dir.entries().empty());
}

// Rows [b, e) of t as a table of their own.
ScoreTable slice(const ScoreTable& t, std::size_t b, std::size_t e) {
  ScoreTable s;
  s.labels = t.labels;
  s.score_label = t.score_label;
  s.ids.assign(t.ids.begin() + b, t.ids.begin() + e);
  s.probs.assign(t.probs.begin() + b * t.labels.size(), t.probs.begin() + e * t.labels.size());
  s.status.assign(t.status.begin() + b, t.status.begin() + e);
  s.extra_columns = t.extra_columns;
  const auto extra = t.extra_columns.size();
  s.extra.assign(t.extra.begin() + b * extra, t.extra.begin() + e * extra);
  return s;
}

TEST(ScoreWriter, AppendedBlocksEqualOneWrite) {
  TempDir dir;
  const auto t = sample_table();
  for (const std::string ext : {"csv", "h5"}) {
    SCOPED_TRACE(ext);
    const auto whole = dir.file("whole." + ext), blocks = dir.file("blocks." + ext);
    write_scores(whole, t);
    ScoreWriter w(blocks, t.labels, t.score_label);
    w.append(slice(t, 0, 2));
    w.append(slice(t, 2, 2));  // an empty block
    w.append(slice(t, 2, 6));
    EXPECT_EQ(w.rows(), 6);
    EXPECT_EQ(dir.entries().size(), ext == "csv" ? 3u : 5u);  // the temp file and its lock, not yet the final name
    w.commit();
    if (ext == "csv") {
      EXPECT_EQ(read_file(blocks), read_file(whole));
    } else {  // HDF5 files differ in internals; their datasets must not
      const auto a = h5::open_file(whole), b = h5::open_file(blocks);
      for (const std::string name : {"id", "label", "status"}) {
        const auto da = h5::open_dataset(a, name, name), db = h5::open_dataset(b, name, name);
        const auto sa = h5::read_strings(da, 0, 6, name), sb = h5::read_strings(db, 0, 6, name);
        ASSERT_EQ(sb.size(), sa.size()) << name;
        for (std::size_t i = 0; i < sa.size(); ++i) EXPECT_EQ(sb[i], sa[i]) << name << " row " << i;
      }
      EXPECT_EQ(h5::shape(h5::open_dataset(b, "probs", "probs")), (std::vector<hsize_t>{6, 3}));
    }
  }
}

TEST(ScoreWriter, UncommittedLeavesNoFileAndBadBlocksAreRefused) {
  TempDir dir;
  const auto t = sample_table();
  const auto path = dir.file("scores.csv");
  {
    ScoreWriter w(path, t.labels, t.score_label);
    w.append(slice(t, 0, 3));
    auto other = slice(t, 3, 4);
    other.labels = {"a", "b", "c"};
    expect_error([&] { w.append(other); }, {path, "other labels"});
  }  // destroyed without commit()
  EXPECT_TRUE(dir.entries().empty());
  ScoreWriter w(path, t.labels, t.score_label);
  w.commit();
  expect_error([&] { w.commit(); }, {path, "committed twice"});
  expect_error([&] { w.append(t); }, {path, "after commit"});
  EXPECT_EQ(read_file(path), "id,score,label,prob_not_match,\"prob_partial,match\",prob_exact_match,status\n");
}

TEST(ScoreWriter, ExtraColumnsFollowStatusInCsvAndAreDatasetsInHdf5) {
  TempDir dir;
  auto t = sample_table();
  t.extra_columns = {"cmp_road", "cmp_number"};
  t.extra = {"equal", "conflict", "missing", "none", "", "", "equal", "equal", "", "", "none", "equal"};
  const auto csv = dir.file("scores.csv");
  write_scores(csv, t);
  const auto rows = read_table(csv, kCsv);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], (Strings{"id", "score", "label", "prob_not_match", "prob_partial,match", "prob_exact_match",
                              "status", "cmp_road", "cmp_number"}));
  for (std::size_t i = 0; i < 6; ++i) {
    ASSERT_EQ(rows[i + 1].size(), 9u) << i;
    EXPECT_EQ(rows[i + 1][6], status_name(t.status[i])) << i;
    EXPECT_EQ(rows[i + 1][7], t.extra[2 * i]) << i;
    EXPECT_EQ(rows[i + 1][8], t.extra[2 * i + 1]) << i;
  }

  const auto h5path = dir.file("scores.h5");
  ScoreWriter w(h5path, t.labels, t.score_label, t.extra_columns);
  w.append(slice(t, 0, 0));  // no rows: no extra values
  auto other = slice(t, 0, 1);
  other.extra_columns = {"cmp_road", "cmp_unit"};
  expect_error([&] { w.append(other); }, {h5path, "other extra columns"});
  w.append(slice(t, 0, 4));
  w.append(slice(t, 4, 6));
  w.commit();
  const auto f = h5::open_file(h5path);
  for (std::size_t c = 0; c < 2; ++c) {
    const auto& name = t.extra_columns[c];
    const auto ds = h5::open_dataset(f, name, name);
    EXPECT_EQ(h5::shape(ds), (std::vector<hsize_t>{6}));
    const auto values = h5::read_strings(ds, 0, 6, name);
    for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(values[i], t.extra[2 * i + c]) << name << " row " << i;
  }
}

TEST(ScoreWriter, ExtraColumnsMustBeConsistentAndNamedFreely) {
  TempDir dir;
  auto t = sample_table();
  t.extra_columns = {"cmp_road"};
  t.extra = {"equal"};
  const auto path = dir.file("scores.csv");
  expect_error([&] { write_scores(path, t); }, {path, "1 extra values for 6 ids"});
  for (const std::string taken : {"status", "prob_exact_match", "cmp_road", ""}) {
    expect_error([&] { ScoreWriter(path, t.labels, t.score_label, {"cmp_road", taken}); },
                 {path, "'" + taken + "'", "taken"});
  }
  EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace mgeo::io
