// The bounds on reading untrusted HDF5 files (hdf5_read.cpp): declared sizes checked
// against the file's size, reads in bounded, aligned pieces.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "hdf5_test_util.h"
#include "io_test_util.h"
#include "mgeo/io/hdf5.h"
#include "mgeo/io/pair_source.h"

namespace mgeo::io {
namespace {

using testing::expect_error;
using testing::TempDir;
using testing::write_fixed;
using testing::write_vlen;
using Strings = std::vector<std::string>;

TEST(Hdf5Read, DeclaredSizesAreBoundedByTheFileSize) {
  TempDir dir;
  // Each file is a few KB of metadata; opening it used to succeed and reading it to ask for gigabytes.
  const auto declare = [&](const std::string& name, const h5::Datatype& type, hsize_t rows, hsize_t chunk_rows) {
    const auto path = dir.file(name);
    auto f = h5::create_file(path, path);
    for (const char* column : {"id", "addr1", "addr2"}) testing::declare_rows(f, column, type, rows, chunk_rows);
    return path;
  };
  const auto wide_rows = declare("wide_rows.h5", testing::fixed_string(1 << 20, H5T_STR_NULLPAD), 4096, 1);
  expect_error([&] { PairSource::open(wide_rows); }, {wide_rows, "'id'", "declares 4096 rows of 1048576 bytes"});
  const auto many_rows = declare("many_rows.h5", h5::vlen_utf8(), hsize_t{1} << 40, 1 << 16);
  expect_error([&] { PairSource::open(many_rows); }, {many_rows, "'id'", "declares 1099511627776 rows"});
  const auto width = declare("width.h5", testing::fixed_string((16 << 20) + 1, H5T_STR_NULLPAD), 1, 1);
  expect_error([&] { PairSource::open(width); }, {width, "fixed-length strings of 16777217 bytes"});
  const auto chunk = declare("chunk.h5", testing::fixed_string(1 << 20, H5T_STR_NULLPAD), 300, 300);
  expect_error([&] { PairSource::open(chunk); }, {chunk, "chunks of 314572800 bytes"});

  // Data kept in other files: an input must not make the reader open arbitrary paths.
  const auto external = dir.file("external.h5");
  {
    auto f = h5::create_file(external, external);
    write_vlen(f, "id", {"a"});
    write_vlen(f, "addr1", {"b"});
    h5::PropList dcpl(H5Pcreate(H5P_DATASET_CREATE));
    ASSERT_GE(H5Pset_external(dcpl.get(), "/etc/hostname", 0, 8), 0);
    const hsize_t one = 1;
    h5::Dataspace space(H5Screate_simple(1, &one, nullptr));
    const auto type = testing::fixed_string(8, H5T_STR_NULLPAD);
    h5::Dataset ds(H5Dcreate2(f.get(), "addr2", type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT));
    ASSERT_GE(ds.get(), 0);
  }
  expect_error([&] { PairSource::open(external); }, {external, "'addr2'", "external storage"});
  const auto virt = dir.file("virtual.h5");
  {
    auto f = h5::create_file(virt, virt);
    write_vlen(f, "id", {"a"});
    write_vlen(f, "addr1", {"b"});
    const hsize_t one = 1;
    h5::Dataspace space(H5Screate_simple(1, &one, nullptr));
    h5::PropList dcpl(H5Pcreate(H5P_DATASET_CREATE));
    ASSERT_GE(H5Pset_virtual(dcpl.get(), space.get(), external.c_str(), "/addr1", space.get()), 0);
    const auto type = h5::vlen_utf8();
    h5::Dataset ds(H5Dcreate2(f.get(), "addr2", type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT));
    ASSERT_GE(ds.get(), 0);
  }
  expect_error([&] { PairSource::open(virt); }, {virt, "'addr2'", "virtual storage"});
}

TEST(Hdf5Read, BoundedPiecesReadTheSameRows) {
  TempDir dir;
  const auto path = dir.file("pieces.h5");
  Strings fixed(10000), vlen(10000);
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    fixed[i] = "f" + std::to_string(i);
    vlen[i] = i == 5000 ? std::string(1 << 20, 'x') : "v" + std::to_string(i);
  }
  {
    auto f = h5::create_file(path, path);
    write_fixed(f, "fixed", fixed, 8, H5T_STR_NULLPAD);
    write_vlen(f, "vlen", vlen);
  }
  const auto f = h5::open_file(path);
  const auto fds = h5::open_for_reading(f, "fixed", "fixed"), vds = h5::open_for_reading(f, "vlen", "vlen");
  const auto a = h5::read_strings(fds, 4000, 8200, "fixed");  // across pieces of kReadRows
  ASSERT_EQ(a.size(), 4200u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i], fixed[4000 + i]) << i;
  }
  const auto b = h5::read_strings(vds, 4000, 8200, "vlen", {h5::kMaxDataBytes, 10});
  ASSERT_EQ(b.size(), 4200u);
  EXPECT_EQ(b[1000].size(), 11u);  // the 1 MiB value keeps enough to be seen as too long
  EXPECT_EQ(b.text_bytes(), 11 + 4199 * 5u);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 1000) continue;
    ASSERT_EQ(b[i], vlen[4000 + i]) << i;
  }
  expect_error([&] { h5::read_strings(vds, 0, 10000, "vlen", {1000}); }, {"vlen", "more than the file can hold"});
  expect_error([&] { h5::read_strings(fds, 0, 10000, "fixed", {1000}); }, {"fixed", "more than the file can hold"});
}

TEST(Hdf5Read, ARowOfADamagedFileReadsTheSameInAnyRange) {
  TempDir dir;
  const auto path = dir.file("stale.h5");
  {
    auto f = h5::create_file(path, path);
    write_vlen(f, "id", {"a", "b", "c"});
    write_vlen(f, "addr1", {"AAAAAAAAAA", "b", "c"});
    write_vlen(f, "addr2", {"y", "y", "y"});
  }
  // addr1's row 2 claims 5 bytes where its heap object holds 1: HDF5 1.10 fills the other 4
  // with what the string before it in the same read left behind.
  auto bytes = testing::read_file(path);
  const auto u32 = [&](std::size_t at) {
    uint32_t v;
    std::memcpy(&v, &bytes[at], 4);
    return v;
  };
  std::size_t patched = 0;
  for (std::size_t at = 0; at + 32 <= bytes.size(); ++at) {  // heap ids: length, collection, index
    if (u32(at) == 10 && u32(at + 16) == 1 && bytes.compare(at + 4, 8, bytes, at + 20, 8) == 0) {
      bytes[at + 16] = 5;
      ++patched;
    }
  }
  ASSERT_EQ(patched, 1u);
  testing::write_file(path, bytes);
  const auto src = PairSource::open(path);
  const auto all = src->read(0, 3), tail = src->read(1, 3), one = src->read(1, 2);
  for (const auto* part : {&tail, &one}) {
    EXPECT_EQ((*part)[0].status, all[1].status);
    EXPECT_EQ((*part)[0].addr1, all[1].addr1);
  }
}

}  // namespace
}  // namespace mgeo::io
