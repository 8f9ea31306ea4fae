// mgeo/eval/png.h — a small RGB drawing surface and its PNG encoding.
//
// Contract: a Canvas is width x height 8-bit RGB pixels, row-major, (0, 0) top left.
// Every drawing call clips to the canvas, so any coordinates are safe; alpha in [0, 1]
// blends over what is there. Text uses a built-in 5x7 bitmap font (6x8 cell per
// character at scale 1) covering digits, capitals (lower case is drawn as capitals) and
// " .,-_:()/%=+<>?|"; other characters draw as '?'. encode_png() gives a complete
// 8-bit truecolour PNG (one IDAT, zlib); write_png() writes it atomically and throws
// mgeo::Error naming the path on failure. Value type; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::eval {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

class Canvas {
 public:
  Canvas(int width, int height, Rgb background = {255, 255, 255});

  int width() const { return w_; }
  int height() const { return h_; }
  const std::vector<uint8_t>& pixels() const { return px_; }  // width * height * 3 bytes
  Rgb at(int x, int y) const;                                 // requires a pixel inside

  void set(int x, int y, Rgb c, double alpha = 1.0);
  // Pixels with x0 <= x < x1 and y0 <= y < y1 (corners in any order).
  void fill_rect(int x0, int y0, int x1, int y1, Rgb c, double alpha = 1.0);
  void stroke_rect(int x0, int y0, int x1, int y1, Rgb c);
  // A line `thickness` pixels wide; dash > 0 draws dash pixels on, dash pixels off.
  void line(double x0, double y0, double x1, double y1, Rgb c, int thickness = 1, int dash = 0);
  void disc(double cx, double cy, double radius, Rgb c);
  void ring(double cx, double cy, double radius, Rgb c, double width = 1.5);
  // Text with its top-left corner at (x, y); text_up() reads bottom to top, with the
  // bottom-left of its first character at (x, y).
  void text(int x, int y, std::string_view s, Rgb c, int scale = 1);
  void text_up(int x, int y, std::string_view s, Rgb c, int scale = 1);

  static int text_width(std::string_view s, int scale = 1);   // 6 * scale per character, less the last gap
  static int text_height(int scale = 1) { return 7 * scale; }

 private:
  int w_, h_;
  std::vector<uint8_t> px_;
};

std::vector<uint8_t> encode_png(const Canvas& canvas);
void write_png(const std::string& path, const Canvas& canvas);

}  // namespace mgeo::eval
