#include "mgeo/eval/png.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "mgeo/eval/metrics.h"
#include "mgeo/eval/plot.h"
#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

uint32_t be32(const std::vector<uint8_t>& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) | b[at + 3];
}

struct Chunk {
  std::string type;
  std::vector<uint8_t> data;
};

// Splits a PNG into chunks, checking the signature, every length and every CRC.
std::vector<Chunk> parse_png(const std::vector<uint8_t>& png) {
  const std::vector<uint8_t> signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  EXPECT_GE(png.size(), 8u);
  EXPECT_TRUE(std::equal(signature.begin(), signature.end(), png.begin()));
  std::vector<Chunk> chunks;
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t len = be32(png, at);
    EXPECT_LE(at + 12 + len, png.size());
    if (at + 12 + len > png.size()) break;
    Chunk c;
    c.type.assign(png.begin() + at + 4, png.begin() + at + 8);
    c.data.assign(png.begin() + at + 8, png.begin() + at + 8 + len);
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), &png[at + 4], 4 + len);
    EXPECT_EQ(be32(png, at + 8 + len), static_cast<uint32_t>(crc)) << "CRC of " << c.type;
    chunks.push_back(std::move(c));
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  return chunks;
}

// Decodes an 8-bit RGB, filter-0, non-interlaced PNG (what encode_png writes) to pixels.
std::vector<uint8_t> decode_rgb(const std::vector<uint8_t>& png, int& w, int& h) {
  const auto chunks = parse_png(png);
  EXPECT_GE(chunks.size(), 3u);
  EXPECT_EQ(chunks.front().type, "IHDR");
  EXPECT_EQ(chunks.back().type, "IEND");
  EXPECT_TRUE(chunks.back().data.empty());
  const auto& ihdr = chunks.front().data;
  EXPECT_EQ(ihdr.size(), 13u);
  w = static_cast<int>(be32(ihdr, 0)), h = static_cast<int>(be32(ihdr, 4));
  EXPECT_EQ(ihdr[8], 8);   // bit depth
  EXPECT_EQ(ihdr[9], 2);   // truecolour
  EXPECT_EQ(ihdr[10], 0);  // deflate
  EXPECT_EQ(ihdr[11], 0);  // filter method
  EXPECT_EQ(ihdr[12], 0);  // no interlace
  std::vector<uint8_t> idat;
  for (const auto& c : chunks)
    if (c.type == "IDAT") idat.insert(idat.end(), c.data.begin(), c.data.end());
  const size_t stride = static_cast<size_t>(w) * 3 + 1;
  std::vector<uint8_t> raw(stride * h + 1);  // one spare byte: a longer stream would show
  uLongf raw_size = raw.size();
  EXPECT_EQ(uncompress(raw.data(), &raw_size, idat.data(), idat.size()), Z_OK);
  EXPECT_EQ(raw_size, stride * h);
  std::vector<uint8_t> px;
  for (int y = 0; y < h; ++y) {
    EXPECT_EQ(raw[y * stride], 0) << "filter type of scanline " << y;
    px.insert(px.end(), raw.begin() + y * stride + 1, raw.begin() + (y + 1) * stride);
  }
  return px;
}

TEST(Png, RoundTripsExactPixels) {
  Canvas c(7, 5, {10, 20, 30});
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 7; ++x) c.set(x, y, {static_cast<uint8_t>(x * 37), static_cast<uint8_t>(y * 51), 200});
  c.set(6, 4, {255, 0, 1});
  int w = 0, h = 0;
  const auto px = decode_rgb(encode_png(c), w, h);
  EXPECT_EQ(w, 7);
  EXPECT_EQ(h, 5);
  EXPECT_EQ(px, c.pixels());
  EXPECT_EQ(px[(4 * 7 + 6) * 3], 255);
}

TEST(Png, LargeCanvasRoundTrips) {
  Canvas c(900, 400);
  c.fill_rect(100, 50, 300, 200, {200, 10, 10}, 0.5);
  c.line(0, 0, 899, 399, {0, 0, 255}, 3);
  c.text(10, 10, "PRECISION 0.123", {0, 0, 0}, 2);
  int w = 0, h = 0;
  EXPECT_EQ(decode_rgb(encode_png(c), w, h), c.pixels());
  EXPECT_EQ(w, 900);
  EXPECT_EQ(h, 400);
}

TEST(Png, WritePngWritesTheEncodedBytes) {
  Canvas c(3, 2, {1, 2, 3});
  const std::string path = ::testing::TempDir() + "mgeo_png_test_" + std::to_string(::getpid()) + ".png";
  write_png(path, c);
  std::ifstream f(path, std::ios::binary);
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, encode_png(c));
  std::remove(path.c_str());
  EXPECT_THROW(write_png("/nonexistent-dir/x.png", c), Error);
}

TEST(Canvas, ClipsAndBlends) {
  Canvas c(4, 4);
  c.fill_rect(-10, -10, 2, 2, {0, 0, 0});  // clipped to the top-left 2x2
  c.set(100, 100, {0, 0, 0});              // ignored
  c.line(-50, 3, 50, 3, {0, 0, 0});        // clipped to row 3
  EXPECT_EQ(c.at(1, 1).r, 0);
  EXPECT_EQ(c.at(2, 2).r, 255);
  EXPECT_EQ(c.at(3, 3).g, 0);
  c.fill_rect(2, 0, 4, 1, {0, 0, 255}, 0.5);
  EXPECT_EQ(c.at(3, 0).r, 128);  // 255 + (0 - 255) * .5, rounded
  EXPECT_EQ(c.at(3, 0).b, 255);
  EXPECT_THROW(Canvas(0, 5), Error);
}

TEST(Canvas, TextUsesTheGlyphs) {
  EXPECT_EQ(Canvas::text_width("AB", 1), 11);
  EXPECT_EQ(Canvas::text_width("AB", 2), 22);
  Canvas c(20, 10);
  c.text(1, 1, "1", {0, 0, 0});
  // '1': rows 00100 01100 00100 ... 01110: the stem is column 2, the foot spans columns 1-3.
  for (int row = 0; row < 7; ++row) EXPECT_EQ(c.at(1 + 2, 1 + row).r, 0) << row;
  EXPECT_EQ(c.at(1 + 0, 1 + 0).r, 255);
  EXPECT_EQ(c.at(1 + 1, 1 + 6).r, 0);
  EXPECT_EQ(c.at(1 + 4, 1 + 6).r, 255);
  Canvas lower(20, 10), upper(20, 10);
  lower.text(0, 0, "ab", {0, 0, 0});
  upper.text(0, 0, "AB", {0, 0, 0});
  EXPECT_EQ(lower.pixels(), upper.pixels());
  // Turned text: the stem of '1' becomes a row.
  Canvas up(10, 20);
  up.text_up(1, 18, "1", {0, 0, 0});
  for (int row = 0; row < 7; ++row) EXPECT_EQ(up.at(1 + row, 18 - 3).r, 0) << row;
}

TEST(Plot, DrawsBothPanels) {
  const auto m = compute_metrics({0, 0, 1, 1, 2}, {.7f, .2f, .1f, .2f, .1f, .7f, .6f, .3f, .1f, .1f, .2f, .7f, .2f,
                                                   .2f, .6f},
                                 3, 2);
  const auto c = render_eval_plot(m, {"not_match", "partial_match", "exact_match"});
  ASSERT_EQ(c.width(), 900);
  ASSERT_EQ(c.height(), 400);
  auto count = [&](int x0, int x1, auto pred) {
    int n = 0;
    for (int y = 0; y < c.height(); ++y)
      for (int x = x0; x < x1; ++x) n += pred(c.at(x, y));
    return n;
  };
  const auto red = [](Rgb p) { return p.r > 180 && p.g < 80 && p.b < 80; };    // best-F1 ring
  const auto blue = [](Rgb p) { return p.r < 60 && p.g > 100 && p.b > 160; };  // PR curve / label 0
  const auto green = [](Rgb p) { return p.r < 60 && p.g > 140 && p.b < 60; };  // label 2 histogram
  EXPECT_GT(count(0, 450, red), 20);
  EXPECT_GT(count(0, 450, blue), 50);
  EXPECT_GT(count(450, 900, green), 50);
  EXPECT_THROW(render_eval_plot(m, {"a"}), Error);
}

}  // namespace
}  // namespace mgeo::eval
