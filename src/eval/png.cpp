#include "mgeo/eval/png.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

#include "mgeo/io/atomic_file.h"
#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

// 5x7 glyphs, one byte per row, bit 4 the leftmost pixel; same order as kGlyphChars.
constexpr std::string_view kGlyphChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ .,-_:()/%=+<>?|";
constexpr std::array<std::array<uint8_t, 7>, 52> kGlyphs = {{
    {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E},  // 0
    {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E},  // 1
    {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F},  // 2
    {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E},  // 3
    {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02},  // 4
    {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E},  // 5
    {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E},  // 6
    {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},  // 7
    {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E},  // 8
    {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C},  // 9
    {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11},  // A
    {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E},  // B
    {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E},  // C
    {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C},  // D
    {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F},  // E
    {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10},  // F
    {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F},  // G
    {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11},  // H
    {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E},  // I
    {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C},  // J
    {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11},  // K
    {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F},  // L
    {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11},  // M
    {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11},  // N
    {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E},  // O
    {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10},  // P
    {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D},  // Q
    {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11},  // R
    {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E},  // S
    {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04},  // T
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E},  // U
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04},  // V
    {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A},  // W
    {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11},  // X
    {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04},  // Y
    {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F},  // Z
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // space
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C},  // .
    {0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08},  // ,
    {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00},  // -
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F},  // _
    {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00},  // :
    {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02},  // (
    {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08},  // )
    {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00},  // /
    {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03},  // %
    {0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00},  // =
    {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00},  // +
    {0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02},  // <
    {0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08},  // >
    {0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04},  // ?
    {0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04},  // |
}};
static_assert(kGlyphChars.size() == kGlyphs.size());

const std::array<uint8_t, 7>& glyph(char ch) {
  if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  auto pos = kGlyphChars.find(ch);
  if (pos == std::string_view::npos) pos = kGlyphChars.find('?');
  return kGlyphs[pos];
}

uint8_t blend(uint8_t under, uint8_t over, double alpha) {
  return static_cast<uint8_t>(std::lround(under + (over - under) * alpha));
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

void put_chunk(std::vector<uint8_t>& out, const char* type, const uint8_t* data, size_t size) {
  MGEO_CHECK(size <= 0x7fffffffu, "PNG chunk of {} bytes is too large", size);
  put_u32(out, static_cast<uint32_t>(size));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data, data + size);
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, out.data() + start, static_cast<uInt>(out.size() - start));
  put_u32(out, static_cast<uint32_t>(crc));
}

}  // namespace

Canvas::Canvas(int width, int height, Rgb background) : w_(width), h_(height) {
  MGEO_CHECK(width > 0 && height > 0, "canvas size {}x{} must be positive", width, height);
  px_.resize(static_cast<size_t>(width) * height * 3);
  for (size_t i = 0; i < px_.size(); i += 3) px_[i] = background.r, px_[i + 1] = background.g, px_[i + 2] = background.b;
}

Rgb Canvas::at(int x, int y) const {
  assert(x >= 0 && x < w_ && y >= 0 && y < h_);
  const uint8_t* p = &px_[(static_cast<size_t>(y) * w_ + x) * 3];
  return {p[0], p[1], p[2]};
}

void Canvas::set(int x, int y, Rgb c, double alpha) {
  if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
  uint8_t* p = &px_[(static_cast<size_t>(y) * w_ + x) * 3];
  if (alpha >= 1.0) {
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
  } else if (alpha > 0.0) {
    p[0] = blend(p[0], c.r, alpha), p[1] = blend(p[1], c.g, alpha), p[2] = blend(p[2], c.b, alpha);
  }
}

void Canvas::fill_rect(int x0, int y0, int x1, int y1, Rgb c, double alpha) {
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  x0 = std::max(x0, 0), y0 = std::max(y0, 0), x1 = std::min(x1, w_), y1 = std::min(y1, h_);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) set(x, y, c, alpha);
}

void Canvas::stroke_rect(int x0, int y0, int x1, int y1, Rgb c) {
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  fill_rect(x0, y0, x1, y0 + 1, c);
  fill_rect(x0, y1 - 1, x1, y1, c);
  fill_rect(x0, y0, x0 + 1, y1, c);
  fill_rect(x1 - 1, y0, x1, y1, c);
}

void Canvas::line(double x0, double y0, double x1, double y1, Rgb c, int thickness, int dash) {
  const double dx = x1 - x0, dy = y1 - y0;
  const double len = std::max(std::abs(dx), std::abs(dy));
  const int steps = static_cast<int>(std::ceil(std::min(len, 1e5)));
  const int lo = -(thickness - 1) / 2, hi = lo + std::max(1, thickness);
  for (int i = 0; i <= steps; ++i) {
    if (dash > 0 && (i / dash) % 2 == 1) continue;
    const double t = steps == 0 ? 0.0 : static_cast<double>(i) / steps;
    const int x = static_cast<int>(std::lround(x0 + t * dx)), y = static_cast<int>(std::lround(y0 + t * dy));
    fill_rect(x + lo, y + lo, x + hi, y + hi, c);
  }
}

void Canvas::disc(double cx, double cy, double radius, Rgb c) {
  const int r = static_cast<int>(std::ceil(radius));
  for (int y = -r; y <= r; ++y)
    for (int x = -r; x <= r; ++x)
      if (x * x + y * y <= radius * radius)
        set(static_cast<int>(std::lround(cx)) + x, static_cast<int>(std::lround(cy)) + y, c);
}

void Canvas::ring(double cx, double cy, double radius, Rgb c, double width) {
  const int r = static_cast<int>(std::ceil(radius + width));
  for (int y = -r; y <= r; ++y)
    for (int x = -r; x <= r; ++x)
      if (std::abs(std::sqrt(static_cast<double>(x * x + y * y)) - radius) <= width / 2)
        set(static_cast<int>(std::lround(cx)) + x, static_cast<int>(std::lround(cy)) + y, c);
}

void Canvas::text(int x, int y, std::string_view s, Rgb c, int scale) {
  for (char ch : s) {
    const auto& g = glyph(ch);
    for (int row = 0; row < 7; ++row)
      for (int col = 0; col < 5; ++col)
        if (g[row] & (0x10 >> col)) fill_rect(x + col * scale, y + row * scale, x + (col + 1) * scale, y + (row + 1) * scale, c);
    x += 6 * scale;
  }
}

void Canvas::text_up(int x, int y, std::string_view s, Rgb c, int scale) {
  // Glyph pixel (col, row) goes to (x + row, y - col): the text turned 90 degrees counter-clockwise.
  for (char ch : s) {
    const auto& g = glyph(ch);
    for (int row = 0; row < 7; ++row)
      for (int col = 0; col < 5; ++col)
        if (g[row] & (0x10 >> col))
          fill_rect(x + row * scale, y - (col + 1) * scale, x + (row + 1) * scale, y - col * scale, c);
    y -= 6 * scale;
  }
}

int Canvas::text_width(std::string_view s, int scale) {
  return s.empty() ? 0 : static_cast<int>(s.size()) * 6 * scale - scale;
}

std::vector<uint8_t> encode_png(const Canvas& canvas) {
  const int w = canvas.width(), h = canvas.height();
  const size_t stride = static_cast<size_t>(w) * 3;
  std::vector<uint8_t> raw;  // each scanline: filter type 0 (None), then its RGB bytes
  raw.reserve((stride + 1) * h);
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);
    const auto* row = canvas.pixels().data() + stride * y;
    raw.insert(raw.end(), row, row + stride);
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<uint8_t> packed(packed_size);
  const int rc = compress2(packed.data(), &packed_size, raw.data(), static_cast<uLong>(raw.size()), 6);
  MGEO_CHECK(rc == Z_OK, "zlib compress2 failed ({}) for a {}x{} PNG", rc, w, h);

  std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<uint8_t> ihdr;
  put_u32(ihdr, static_cast<uint32_t>(w));
  put_u32(ihdr, static_cast<uint32_t>(h));
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8 bits, truecolour, deflate, adaptive filters, no interlace
  put_chunk(out, "IHDR", ihdr.data(), ihdr.size());
  put_chunk(out, "IDAT", packed.data(), packed_size);
  put_chunk(out, "IEND", nullptr, 0);
  return out;
}

void write_png(const std::string& path, const Canvas& canvas) {
  const auto bytes = encode_png(canvas);
  io::write_file_atomic(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

}  // namespace mgeo::eval
