// Internal to mgeo_eval: the drawing helpers the figures share (plot.cpp, link_plot.cpp).
//
// Contract: pure drawing on a caller's Canvas; an Axes maps data coordinates to pixels,
// draw_axes() gives it a grid, frame, ticks, tick labels and axis titles, title() a bold
// heading above it, and a Legend lays out coloured marks with labels left to right,
// wrapping at its right edge. Not thread-safe (a Canvas is not).
#pragma once

#include <string>

#include "mgeo/eval/png.h"

namespace mgeo::eval::draw {

inline constexpr Rgb kInk{30, 30, 30}, kGrid{228, 228, 228}, kMuted{120, 120, 120};
inline constexpr Rgb kPalette[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},
                                   {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127}};

// kPalette[i], cycling.
Rgb palette(int i);

// `s` with a-z in capitals (the font draws lower case as capitals anyway; labels read better).
std::string upper(std::string s);

// A plot area in pixels and the data ranges it shows.
struct Axes {
  int left, top, right, bottom;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double px(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double py(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};

// Grid, frame, ticks every xstep/ystep, tick labels (x with one decimal, y with
// `ydecimals`) and axis titles.
void draw_axes(Canvas& c, const Axes& a, double xstep, double ystep, int ydecimals, const std::string& xtitle,
               const std::string& ytitle);

// A bold heading centred above the axes.
void title(Canvas& c, const Axes& a, const std::string& s);

enum class Mark { box, line, dashed, ring, dot };

// Legend entries laid out left to right from (x, y), wrapping at `right`.
class Legend {
 public:
  Legend(Canvas& c, int x, int y, int right) : c_(c), left_(x), x_(x), y_(y), right_(right) {}
  void add(Mark mark, Rgb colour, const std::string& label);

 private:
  Canvas& c_;
  int left_, x_, y_, right_;
};

// A "nice" tick step (1, 2 or 5 x 10^k) giving about `ticks` intervals up to `top`.
double nice_step(double top, int ticks);

}  // namespace mgeo::eval::draw
