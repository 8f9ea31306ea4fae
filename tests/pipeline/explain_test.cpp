// score --explain (the cmp_<field> columns) and score --normalize, through the score job.
// The suite is ScoreJob, so the mpirun tests run these on 2 and 3 ranks too.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "mgeo/address/normalize.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/io/pair_writer.h"
#include "mgeo/io/records.h"
#include "mgeo/pipeline/score_job.h"

namespace mgeo::pipeline {
namespace {

using model::test::TempDir;
using model::test::write_file;
using Strings = std::vector<std::string>;

const std::string kModel = std::string(MGEO_SOURCE_DIR) + "/data/models/tiny-random";

ScoreJobOptions tiny_job(const std::string& input, const std::string& output) {
  ScoreJobOptions o;
  o.model_dir = kModel, o.input = input, o.output = output;
  o.device = "cpu", o.threads = 1, o.batch_size = 4, o.quiet = true;
  return o;
}

// Known pairs, a flagged row and a repeated id.
const char* const kExplainPairs =
    "id,addr1,addr2\n"
    "district,广州市天河区体育西路1号,广州市越秀区体育西路1号\n"
    "number,建国路8号,建国路88号\n"
    "same,北京市朝阳区建国路八号3号楼,北京市朝阳区建国路8号3栋\n"
    "empty,杭州市西湖区文三路388号,\n"
    "district,广州市天河区体育西路1号,广州市越秀区体育西路1号\n"
    "room,上海市浦东新区张江路123号2单元1201室,上海浦东张江路123号2单元1202室\n";

// Row `row`'s value of column `name` in an explained table.
std::string cmp(const io::ScoreTable& t, std::size_t row, const std::string& name) {
  const auto it = std::find(t.extra_columns.begin(), t.extra_columns.end(), name);
  EXPECT_NE(it, t.extra_columns.end()) << name;
  if (it == t.extra_columns.end()) return "?";
  return t.extra[row * t.extra_columns.size() + (it - t.extra_columns.begin())];
}

void expect_same_table(const io::ScoreTable& got, const io::ScoreTable& want) {
  EXPECT_EQ(got.ids, want.ids);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.extra_columns, want.extra_columns);
  EXPECT_EQ(got.extra, want.extra);
  ASSERT_EQ(got.probs.size(), want.probs.size());
  for (size_t i = 0; i < want.probs.size(); ++i) {
    if (std::isnan(want.probs[i]))
      EXPECT_TRUE(std::isnan(got.probs[i])) << i;
    else
      EXPECT_EQ(got.probs[i], want.probs[i]) << i;
  }
}

TEST(ScoreJob, ExplainComparesTheAddressesOfEachRow) {
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  write_file(input, kExplainPairs);
  auto o = tiny_job(input, dir.file("unused.csv"));
  const auto comm = dist::test_support::world();
  const auto plain = score_pairs(o, comm, nullptr);
  o.explain = true;
  JobReport report;
  const auto t = score_pairs(o, comm, &report);
  if (comm.rank() != 0) return;

  EXPECT_TRUE(plain.extra_columns.empty());
  EXPECT_TRUE(plain.extra.empty());
  EXPECT_TRUE(report.explain);
  EXPECT_FALSE(report.normalize);
  ASSERT_EQ(t.extra_columns, (Strings{"cmp_province", "cmp_city", "cmp_district", "cmp_town", "cmp_road", "cmp_number",
                                      "cmp_poi", "cmp_building", "cmp_unit", "cmp_floor", "cmp_room"}));
  ASSERT_EQ(t.ids.size(), 6u);
  ASSERT_EQ(t.extra.size(), 6u * 11);
  // The scores are those of the job without --explain.
  ASSERT_EQ(t.probs.size(), plain.probs.size());
  for (size_t i = 0; i < t.probs.size(); ++i)
    if (!std::isnan(plain.probs[i])) EXPECT_EQ(t.probs[i], plain.probs[i]) << i;

  EXPECT_EQ(cmp(t, 0, "cmp_province"), "equal");
  EXPECT_EQ(cmp(t, 0, "cmp_city"), "equal");
  EXPECT_EQ(cmp(t, 0, "cmp_district"), "conflict");
  EXPECT_EQ(cmp(t, 0, "cmp_road"), "equal");
  EXPECT_EQ(cmp(t, 0, "cmp_number"), "equal");
  EXPECT_EQ(cmp(t, 0, "cmp_room"), "none");

  EXPECT_EQ(cmp(t, 1, "cmp_road"), "equal");
  EXPECT_EQ(cmp(t, 1, "cmp_number"), "conflict");
  EXPECT_EQ(cmp(t, 1, "cmp_district"), "none");

  EXPECT_EQ(cmp(t, 2, "cmp_district"), "equal");
  EXPECT_EQ(cmp(t, 2, "cmp_number"), "equal");    // 八号 is 8号
  EXPECT_EQ(cmp(t, 2, "cmp_building"), "equal");  // 3号楼 is 3栋

  EXPECT_EQ(t.status[3], io::RowStatus::empty_address);  // flagged: not compared
  for (const auto& name : t.extra_columns) EXPECT_EQ(cmp(t, 3, name), "") << name;

  EXPECT_EQ(t.status[4], io::RowStatus::duplicate_id);  // scored, so compared
  for (const auto& name : t.extra_columns) EXPECT_EQ(cmp(t, 4, name), cmp(t, 0, name)) << name;

  EXPECT_EQ(cmp(t, 5, "cmp_district"), "equal");  // 浦东新区 / 浦东
  EXPECT_EQ(cmp(t, 5, "cmp_unit"), "equal");
  EXPECT_EQ(cmp(t, 5, "cmp_room"), "conflict");
}

TEST(ScoreJob, ExplainIsTheSameForEverySharding) {
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  std::string csv = kExplainPairs;
  for (int i = 0; i < 30; ++i)  // enough rows for chunks on every rank
    csv += "r" + std::to_string(i) + ",浙江省杭州市西湖区文三路" + std::to_string(i) + "号,杭州西湖文三路" +
           std::to_string(i % 7) + "号" + (i % 3 ? "2单元" : "") + "\n";
  write_file(input, csv);
  auto o = tiny_job(input, dir.file("unused.csv"));
  o.explain = true;
  const auto comm = dist::test_support::world();
  o.sharding = "contiguous";
  const auto one = score_pairs(o, comm, nullptr);
  o.sharding = "cyclic", o.chunk_rows = 2, o.sort_window = 2;  // many rounds of small chunks
  const auto rounds = score_pairs(o, comm, nullptr);
  o.prefetch = "on";  // compared and tokenized on another thread
  const auto prefetched = score_pairs(o, comm, nullptr);
  o.prefetch = "auto", o.sharding = "dynamic";
  const auto dynamic = score_pairs(o, comm, nullptr);
  if (comm.rank() != 0) return;
  ASSERT_EQ(one.extra.size(), 36u * 11);
  EXPECT_EQ(rounds.extra, one.extra);
  EXPECT_EQ(prefetched.extra, one.extra);
  EXPECT_EQ(dynamic.extra, one.extra);
  EXPECT_EQ(dynamic.ids, one.ids);
  EXPECT_EQ(cmp(one, 6 + 8, "cmp_number"), "conflict");  // r8: 8号 vs 1号
  EXPECT_EQ(cmp(one, 6 + 3, "cmp_number"), "equal");     // r3: 3号 vs 3号
}

// The records of a CSV file, split into field values.
std::vector<Strings> read_csv(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(f)), {});
  const auto index = io::scan_records(text, io::kCsv, path);
  std::vector<Strings> rows;
  std::vector<io::Field> fields;
  for (std::size_t i = 0; i < index.size(); ++i) {
    EXPECT_TRUE(io::split_record(index.record(text, i), io::kCsv, fields));
    rows.emplace_back();
    for (const auto& field : fields) rows.back().push_back(field.value());
  }
  return rows;
}

TEST(ScoreJob, ExplainColumnsFollowStatusInCsvAndAreDatasetsInHdf5) {
  TempDir dir;
  const auto input = dir.file("pairs.csv");
  write_file(input, kExplainPairs);
  auto o = tiny_job(input, dir.file("scores.csv"));
  o.explain = true;
  o.chunk_rows = 2, o.sort_window = 2;
  const auto comm = dist::test_support::world();
  const auto table = score_pairs(o, comm, nullptr);
  run_score_job(o, comm);
  auto h5 = o;
  h5.output = dir.file("scores.h5");
  h5.sharding = "dynamic";
  run_score_job(h5, comm);
  if (comm.rank() != 0) return;

  const auto rows = read_csv(o.output);
  ASSERT_EQ(rows.size(), 7u);
  const auto labels = table.labels.size();
  ASSERT_EQ(rows[0].size(), 4 + labels + 11);
  EXPECT_EQ(rows[0][3 + labels], "status");
  for (std::size_t c = 0; c < 11; ++c) EXPECT_EQ(rows[0][4 + labels + c], table.extra_columns[c]);
  for (std::size_t i = 0; i < 6; ++i) {
    ASSERT_EQ(rows[i + 1].size(), rows[0].size()) << i;
    EXPECT_EQ(rows[i + 1][0], table.ids[i]);
    EXPECT_EQ(rows[i + 1][3 + labels], io::status_name(table.status[i]));
    for (std::size_t c = 0; c < 11; ++c) EXPECT_EQ(rows[i + 1][4 + labels + c], table.extra[i * 11 + c]) << i << " " << c;
  }
  EXPECT_EQ(rows[1][4 + labels + 2], "conflict");  // district's cmp_district

  const auto f = io::h5::open_file(h5.output);
  for (std::size_t c = 0; c < 11; ++c) {
    const auto& name = table.extra_columns[c];
    const auto ds = io::h5::open_dataset(f, name, name);
    const auto values = io::h5::read_strings(ds, 0, 6, name);
    ASSERT_EQ(values.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(values[i], table.extra[i * 11 + c]) << name << " " << i;
  }

  std::ifstream metrics(o.output + ".metrics.json");
  const auto j = nlohmann::json::parse(metrics);
  EXPECT_EQ(j["explain"], true);
  EXPECT_EQ(j["normalize"], false);
}

// Addresses as people type them: full-width characters, Chinese numerals, '#', building
// forms, spaces, trailing noise; one that is only punctuation.
const std::vector<std::pair<std::string, std::string>> kRawPairs = {
    {"北京市朝阳区建国路八号3号楼", "北京市朝阳区建国路8号3栋"},
    {"上海市浦东新区张江路１２３号", "上海浦东张江路123号"},
    {"杭州市西湖区文三路388号 3#楼 2单元", "杭州西湖文三路388号3栋2单元"},
    {"广州市天河区体育西路一百零八号附近", "广州天河体育西路108号"},
    {"深圳市南山区科技南十二路第三栋", "深圳南山科技南十二路3幢"},
    {"成都市武侯区人民南路四段", "。"},
    {"南京市鼓楼区中山路 A座", "南京鼓楼中山路A栋"},
};

void write_pair_file(const std::string& path, bool normalized) {
  io::PairWriter w(path, /*with_label=*/false);
  for (std::size_t i = 0; i < kRawPairs.size(); ++i) {
    const auto& [a, b] = kRawPairs[i];
    w.add("p" + std::to_string(i), normalized ? address::normalize(a) : a, normalized ? address::normalize(b) : b);
  }
  w.close();
}

TEST(ScoreJob, NormalizeScoresLikePreNormalizedText) {
  const auto comm = dist::test_support::world();
  for (const std::string ext : {"csv", "h5"}) {
    SCOPED_TRACE(ext);
    TempDir dir;
    const auto raw = dir.file("raw." + ext), pre = dir.file("pre." + ext);
    write_pair_file(raw, false);
    write_pair_file(pre, true);
    auto o = tiny_job(raw, dir.file("unused.csv"));
    o.sort_window = 2, o.chunk_rows = 2;
    const auto as_written = score_pairs(o, comm, nullptr);
    o.normalize = true;
    JobReport report;
    const auto normalized = score_pairs(o, comm, &report);
    o.explain = true;
    const auto explained = score_pairs(o, comm, nullptr);
    o.normalize = false;
    const auto explained_raw = score_pairs(o, comm, nullptr);
    auto p = tiny_job(pre, dir.file("unused.csv"));
    p.sort_window = 2, p.chunk_rows = 2;
    const auto pre_normalized = score_pairs(p, comm, nullptr);
    if (comm.rank() != 0) continue;

    EXPECT_TRUE(report.normalize);
    expect_same_table(normalized, pre_normalized);
    // Row 5's "。" normalizes to nothing: flagged as if it were empty.
    EXPECT_EQ(as_written.status[5], io::RowStatus::ok);
    EXPECT_EQ(normalized.status[5], io::RowStatus::empty_address);
    // The model sees other tokens, so the scores of rewritten rows change.
    const auto labels = normalized.labels.size();
    int changed = 0;
    for (std::size_t i = 0; i < normalized.ids.size(); ++i)
      changed += normalized.status[i] == io::RowStatus::ok && normalized.probs[i * labels] != as_written.probs[i * labels];
    EXPECT_GE(changed, 5);
    // The comparison is of the text as read, the same with or without --normalize
    // (except for the row --normalize flags).
    for (std::size_t c = 0; c < 11; ++c) {
      for (std::size_t i = 0; i < normalized.ids.size(); ++i) {
        if (i == 5) {
          EXPECT_EQ(explained.extra[i * 11 + c], "");
          EXPECT_NE(explained_raw.extra[i * 11 + c], "");
        } else {
          EXPECT_EQ(explained.extra[i * 11 + c], explained_raw.extra[i * 11 + c]) << i << " " << c;
        }
      }
    }
    for (std::size_t i = 0; i < normalized.probs.size(); ++i)
      if (!std::isnan(normalized.probs[i])) EXPECT_EQ(explained.probs[i], normalized.probs[i]) << i;
  }
}

}  // namespace
}  // namespace mgeo::pipeline
