#include "draw.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace mgeo::eval::draw {

Rgb palette(int i) { return kPalette[i % static_cast<int>(sizeof(kPalette) / sizeof(kPalette[0]))]; }

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

void draw_axes(Canvas& c, const Axes& a, double xstep, double ystep, int ydecimals, const std::string& xtitle,
               const std::string& ytitle) {
  const int nx = static_cast<int>(std::lround((a.x1 - a.x0) / xstep));
  const int ny = static_cast<int>(std::lround((a.y1 - a.y0) / ystep));
  for (int i = 0; i <= nx; ++i) {
    const double v = a.x0 + i * xstep;
    const int x = static_cast<int>(std::lround(a.px(v)));
    c.fill_rect(x, a.top, x + 1, a.bottom, kGrid);
    c.fill_rect(x, a.bottom, x + 1, a.bottom + 5, kInk);
    const auto s = fmt::format("{:.1f}", v);
    c.text(x - Canvas::text_width(s) / 2, a.bottom + 8, s, kInk);
  }
  for (int i = 0; i <= ny; ++i) {
    const double v = a.y0 + i * ystep;
    const int y = static_cast<int>(std::lround(a.py(v)));
    c.fill_rect(a.left, y, a.right, y + 1, kGrid);
    c.fill_rect(a.left - 5, y, a.left, y + 1, kInk);
    const auto s = fmt::format("{:.{}f}", v, ydecimals);
    c.text(a.left - 8 - Canvas::text_width(s), y - 3, s, kInk);
  }
  c.stroke_rect(a.left, a.top, a.right + 1, a.bottom + 1, kInk);
  c.text((a.left + a.right - Canvas::text_width(xtitle)) / 2, a.bottom + 22, xtitle, kInk);
  c.text_up(a.left - 48, (a.top + a.bottom + Canvas::text_width(ytitle)) / 2, ytitle, kInk);
}

void title(Canvas& c, const Axes& a, const std::string& s) {
  const int x = (a.left + a.right - Canvas::text_width(s, 1)) / 2;
  c.text(x, 8, s, kInk);
  c.text(x + 1, 8, s, kInk);  // bold
}

void Legend::add(Mark mark, Rgb colour, const std::string& label) {
  const int w = 14 + Canvas::text_width(label);
  if (x_ > left_ && x_ + w > right_) x_ = left_, y_ += 12;
  const int cx = x_ + 4, cy = y_ + 3;
  switch (mark) {
    case Mark::box:
      c_.fill_rect(x_, y_ - 1, x_ + 9, y_ + 8, colour, 0.6);
      c_.stroke_rect(x_, y_ - 1, x_ + 9, y_ + 8, colour);
      break;
    case Mark::line: c_.line(x_, cy, x_ + 9, cy, colour, 2); break;
    case Mark::dashed: c_.line(x_, cy, x_ + 9, cy, colour, 1, 2); break;
    case Mark::ring: c_.ring(cx, cy, 4, colour, 2); break;
    case Mark::dot: c_.disc(cx, cy, 3.5, colour); break;
  }
  c_.text(x_ + 14, y_, label, kInk);
  x_ += w + 16;
}

double nice_step(double top, int ticks) {
  const double raw = top / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (f * mag >= raw) return f * mag;
  return 10 * mag;
}

}  // namespace mgeo::eval::draw
