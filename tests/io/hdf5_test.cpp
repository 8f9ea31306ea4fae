#include "mgeo/io/hdf5.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "hdf5_test_util.h"
#include "io_test_util.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/pair_writer.h"
#include "mgeo/io/score_writer.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::TempDir;
using testing::write_dataset;
using testing::write_fixed;
using testing::write_vlen;
using Strings = std::vector<std::string>;

Strings read_all_strings(const h5::File& f, const std::string& name) {
  const auto ds = h5::open_dataset(f, name, name);
  const auto block = h5::read_strings(ds, 0, static_cast<int64_t>(h5::shape(ds)[0]), name);
  Strings out;
  for (std::size_t i = 0; i < block.size(); ++i) out.emplace_back(block[i]);
  return out;
}

std::vector<float> read_floats(const h5::File& f, const std::string& name) {
  const auto ds = h5::open_dataset(f, name, name);
  std::size_t n = 1;
  for (auto d : h5::shape(ds)) n *= d;
  std::vector<float> out(n);
  EXPECT_GE(H5Dread(ds.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), 0);
  return out;
}

TEST(Hdf5Pairs, WritePairsRoundTrip) {
  TempDir dir;
  const auto path = dir.file("pairs.h5");
  std::vector<PairRow> rows(70000);  // more than one 65536-row block
  Strings labels(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].id = "p" + std::to_string(i);
    rows[i].addr1 = "浙江省杭州市余杭区文一西路" + std::to_string(i) + "号";
    rows[i].addr2 = i % 1000 == 3 ? "\xE3\x80\x80" : "杭州 余杭 " + std::to_string(i);
    labels[i] = i % 3 == 0 ? "exact_match" : "not_match";
  }
  write_pairs(path, rows, &labels);
  EXPECT_EQ(dir.entries(), Strings{"pairs.h5"});

  const auto src = PairSource::open(path);
  ASSERT_EQ(src->size(), 70000);
  EXPECT_EQ(src->extra_columns(), Strings{"label"});
  std::vector<PairRow> got;
  for (int64_t b = 0; b < src->size(); b += 9999) {
    auto part = src->read(b, std::min<int64_t>(src->size(), b + 9999));
    got.insert(got.end(), part.begin(), part.end());
  }
  ASSERT_EQ(got.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(got[i].id, rows[i].id);
    ASSERT_EQ(got[i].line, static_cast<int64_t>(i) + 1);
    if (i % 1000 == 3) {
      ASSERT_EQ(got[i].status, RowStatus::empty_address) << i;
      continue;
    }
    ASSERT_EQ(got[i].status, RowStatus::ok) << i;
    ASSERT_EQ(got[i].addr1, rows[i].addr1);
    ASSERT_EQ(got[i].addr2, rows[i].addr2);
  }
  EXPECT_EQ(src->read_column("label", 65535, 65538), (Strings{labels[65535], labels[65536], labels[65537]}));
  EXPECT_EQ(src->read_column("addr1", 1, 2), Strings{rows[1].addr1});
}

TEST(Hdf5Pairs, FixedLengthStringsAndIntegerColumns) {
  TempDir dir;
  const auto path = dir.file("fixed.hdf5");
  {
    auto f = h5::create_file(path, path);
    write_fixed(f, "id", {"a", "bb", "ccc"}, 4, H5T_STR_NULLTERM);
    write_fixed(f, "addr1", {"北京", "", "x\xFF"}, 8, H5T_STR_NULLPAD);
    write_fixed(f, "addr2", {"上海 ", "y", "z"}, 9, H5T_STR_SPACEPAD);
    const int64_t label[] = {1, 0, -7};
    write_dataset(f, "label", h5::Datatype(H5Tcopy(H5T_NATIVE_INT64)), {3}, label);
    const int64_t other[] = {1, 2};
    write_dataset(f, "short", h5::Datatype(H5Tcopy(H5T_NATIVE_INT64)), {2}, other);
  }
  const auto src = PairSource::open(path);
  const auto rows = src->read(0, 3);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, "a");
  EXPECT_EQ(rows[0].addr1, "北京");
  EXPECT_EQ(rows[0].addr2, "上海");  // space padding is not content
  EXPECT_EQ(rows[0].status, RowStatus::ok);
  EXPECT_EQ(rows[1].status, RowStatus::empty_address);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].status, RowStatus::invalid_utf8);
  EXPECT_EQ(rows[2].id, "ccc");
  EXPECT_EQ(src->extra_columns(), Strings{"label"});  // "short" has another length
  EXPECT_EQ(src->read_column("label", 0, 3), (Strings{"1", "0", "-7"}));
  expect_error([&] { src->read_column("short", 0, 1); }, {path, "'short'"});
}

TEST(Hdf5Pairs, FieldTooLongAndVlenFlags) {
  TempDir dir;
  const auto path = dir.file("flags.h5");
  {
    auto f = h5::create_file(path, path);
    write_vlen(f, "id", {"a", "b", "c\xC3"});
    write_vlen(f, "addr1", {std::string(100, 'x'), "  ", "c"});
    write_vlen(f, "addr2", {"y", "y", "z"});
  }
  const auto rows = PairSource::open(path, ReadOptions{99})->read(0, 3);
  EXPECT_EQ(rows[0].status, RowStatus::field_too_long);
  EXPECT_EQ(rows[0].addr1, "");
  EXPECT_EQ(rows[1].status, RowStatus::empty_address);
  EXPECT_EQ(rows[2].status, RowStatus::invalid_utf8);
  EXPECT_EQ(rows[2].id, "c\xEF\xBF\xBD");
  EXPECT_EQ(rows[2].line, 3);
}

TEST(Hdf5Pairs, IntegerIdsKeepEvery64BitValue) {
  TempDir dir;
  const auto path = dir.file("ints.h5");
  {
    auto f = h5::create_file(path, path);
    const uint64_t ids[] = {(uint64_t{1} << 63) + 5, ~uint64_t{0}, 0};  // a 64-bit hash is above 2^63 half the time
    write_dataset(f, "id", h5::Datatype(H5Tcopy(H5T_NATIVE_UINT64)), {3}, ids);
    write_vlen(f, "addr1", {"a", "b", "c"});
    write_vlen(f, "addr2", {"a", "b", "c"});
    const int64_t label[] = {INT64_MIN, -7, INT64_MAX};
    write_dataset(f, "label", h5::Datatype(H5Tcopy(H5T_NATIVE_INT64)), {3}, label);
    h5::Datatype wide(H5Tcopy(H5T_STD_I64LE));
    H5Tset_size(wide.get(), 16);
    H5Tset_precision(wide.get(), 128);
    const std::vector<unsigned char> raw(3 * 16, 0x11);
    write_dataset(f, "wide", wide, {3}, raw.data());
  }
  const auto src = PairSource::open(path);
  const auto rows = src->read(0, 3);
  EXPECT_EQ(rows[0].id, "9223372036854775813");
  EXPECT_EQ(rows[1].id, "18446744073709551615");
  EXPECT_EQ(rows[2].id, "0");
  for (const auto& r : rows) EXPECT_EQ(r.status, RowStatus::ok) << r.line;
  EXPECT_EQ(src->read_column("label", 0, 3), (Strings{"-9223372036854775808", "-7", "9223372036854775807"}));
  expect_error([&] { src->read_column("wide", 0, 3); }, {path, "'wide'", "wider than 64 bits"});
}

TEST(Hdf5Pairs, NulInsideAStringIsFlaggedNotCut) {
  TempDir dir;
  const auto fixed = dir.file("fixed_nul.h5");
  {
    auto f = h5::create_file(fixed, fixed);
    write_fixed(f, "id", {"a", std::string("b\0c", 3), "c"}, 6, H5T_STR_NULLTERM);
    write_fixed(f, "addr1", {std::string("ab\0cd", 5), "x", "x"}, 8, H5T_STR_NULLPAD);
    write_fixed(f, "addr2", {"y", "y", std::string("z\0", 2)}, 4, H5T_STR_SPACEPAD);
  }
  const auto src = PairSource::open(fixed);
  const auto rows = src->read(0, 3);
  EXPECT_EQ(rows[0].status, RowStatus::nul_byte);  // was read as "ab"
  EXPECT_EQ(rows[0].id, "a");
  EXPECT_EQ(rows[1].status, RowStatus::nul_byte);  // was read as id "b"
  EXPECT_EQ(rows[1].id, "b\xEF\xBF\xBD" "c");
  EXPECT_EQ(rows[2].status, RowStatus::nul_byte);
  EXPECT_EQ(src->read_column("addr1", 0, 2), (Strings{std::string("ab\0cd", 5), "x"}));  // padding is not content

  // A variable-length string stores its length: a NUL inside it (only a damaged or hand-made
  // file holds one) is found from the length HDF5 allocates for it.
  const auto vlen = dir.file("vlen_nul.h5");
  {
    auto f = h5::create_file(vlen, vlen);
    write_vlen(f, "id", {"a", "b"});
    write_vlen(f, "addr1", {"abc#def", "x"});
    write_vlen(f, "addr2", {"y", "y"});
  }
  auto bytes = testing::read_file(vlen);
  const auto at = bytes.find("abc#def");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 3] = '\0';
  testing::write_file(vlen, bytes);
  const auto vrows = PairSource::open(vlen)->read(0, 2);
  EXPECT_EQ(vrows[0].status, RowStatus::nul_byte);  // was read as "abc"
  EXPECT_EQ(vrows[1].status, RowStatus::ok);
}

TEST(Hdf5Pairs, BadLayoutsNameTheFile) {
  TempDir dir;
  const auto missing = dir.file("missing.h5");
  expect_error([&] { PairSource::open(missing); }, {missing});
  const auto no_addr2 = dir.file("no_addr2.h5");
  {
    auto f = h5::create_file(no_addr2, no_addr2);
    write_vlen(f, "id", {"a"});
    write_vlen(f, "addr1", {"b"});
  }
  expect_error([&] { PairSource::open(no_addr2); }, {no_addr2, "missing dataset 'addr2'"});
  const auto lengths = dir.file("lengths.h5");
  {
    auto f = h5::create_file(lengths, lengths);
    write_vlen(f, "id", {"a", "b"});
    write_vlen(f, "addr1", {"b", "c"});
    write_vlen(f, "addr2", {"c"});
  }
  expect_error([&] { PairSource::open(lengths); }, {lengths, "'addr2' has 1 rows but 'id' has 2"});
  const auto two_d = dir.file("2d.h5");
  {
    auto f = h5::create_file(two_d, two_d);
    const int64_t v[] = {1, 2, 3, 4};
    write_dataset(f, "id", h5::Datatype(H5Tcopy(H5T_NATIVE_INT64)), {2, 2}, v);
  }
  expect_error([&] { PairSource::open(two_d); }, {two_d, "'id' has 2 dimensions"});
  const auto floats = dir.file("floats.h5");
  {
    auto f = h5::create_file(floats, floats);
    const double v[] = {1.5};
    write_dataset(f, "id", h5::Datatype(H5Tcopy(H5T_NATIVE_DOUBLE)), {1}, v);
  }
  expect_error([&] { PairSource::open(floats); }, {floats, "neither strings nor integers"});
}

TEST(Hdf5Pairs, WriterRejectsNulAndLeavesNoFile) {
  TempDir dir;
  const auto path = dir.file("nul.h5");
  PairWriter w(path, false);
  w.add("a", "b", "c");
  ASSERT_EQ(dir.entries().size(), 2u);  // the lock and the temporary file
  EXPECT_EQ(dir.entries()[0], ".nul.h5.lock");
  EXPECT_EQ(dir.entries()[1].find(".nul.h5.tmp."), 0u);
  expect_error([&] { w.add("x", std::string("b\0c", 3), "c"); }, {path, "data row 2", "NUL"});
  EXPECT_TRUE(dir.entries().empty());
  expect_error([&] { w.close(); }, {path, "failed write"});
  EXPECT_TRUE(dir.entries().empty());
}

TEST(Hdf5Scores, ReadBackWithTheCApi) {
  TempDir dir;
  const auto path = dir.file("scores.h5");
  ScoreTable t;
  t.labels = {"not_match", "partial_match", "exact_match"};
  t.score_label = 2;
  const auto nan = std::nanf("");
  const std::size_t n = 70001;
  for (std::size_t i = 0; i < n; ++i) {
    t.ids.push_back("id-" + std::to_string(i));
    const bool scored = i % 10 != 4;
    const float p = static_cast<float>(i % 97) / 97.0f;
    const std::vector<float> row = scored ? std::vector<float>{p / 3, 1 - p, p * 2 / 3} : std::vector<float>(3, nan);
    t.probs.insert(t.probs.end(), row.begin(), row.end());
    t.status.push_back(scored ? RowStatus::ok : RowStatus::nul_byte);
  }
  write_scores(path, t);
  EXPECT_EQ(dir.entries(), Strings{"scores.h5"});

  const auto f = h5::open_file(path);
  EXPECT_EQ(read_all_strings(f, "id"), t.ids);
  const auto status = read_all_strings(f, "status");
  const auto label = read_all_strings(f, "label");
  const auto score = read_floats(f, "score");
  const auto probs = read_floats(f, "probs");
  EXPECT_EQ(h5::shape(h5::open_dataset(f, "probs", "probs")), (std::vector<hsize_t>{n, 3}));
  ASSERT_EQ(probs.size(), t.probs.size());
  ASSERT_EQ(score.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    const float* p = &t.probs[i * 3];
    if (std::isnan(p[0])) {
      ASSERT_TRUE(std::isnan(score[i]) && std::isnan(probs[i * 3 + 1])) << i;
      ASSERT_EQ(label[i], "");
      ASSERT_EQ(status[i], "nul_byte");
      continue;
    }
    ASSERT_EQ(score[i], p[2]) << i;
    ASSERT_EQ(std::memcmp(&probs[i * 3], p, 3 * sizeof(float)), 0) << i;
    ASSERT_EQ(label[i], t.labels[std::max_element(p, p + 3) - p]) << i;
    ASSERT_EQ(status[i], "ok");
  }
  h5::Attribute attr(H5Aopen(f.get(), "labels", H5P_DEFAULT));
  ASSERT_GE(attr.get(), 0);
  std::vector<char*> names(3);
  ASSERT_GE(H5Aread(attr.get(), h5::vlen_utf8().get(), names.data()), 0);
  EXPECT_EQ((Strings{names[0], names[1], names[2]}), t.labels);
  for (char* s : names) H5free_memory(s);
}

}  // namespace
}  // namespace mgeo::io
