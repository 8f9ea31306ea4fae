#include "mgeo/eval/plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

constexpr int kWidth = 900, kHeight = 400;
constexpr Rgb kInk{30, 30, 30}, kGrid{228, 228, 228}, kMuted{120, 120, 120};
constexpr Rgb kCurve{31, 119, 180}, kBest{214, 39, 40}, kModel{20, 20, 20};
constexpr Rgb kPalette[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},
                            {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127}};

Rgb label_colour(int l) { return kPalette[l % (sizeof(kPalette) / sizeof(kPalette[0]))]; }

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// A plot area in pixels and the data ranges it shows.
struct Axes {
  int left, top, right, bottom;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double px(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double py(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};

// Grid, frame, ticks, tick labels and axis titles.
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

enum class Mark { box, line, dashed, ring, dot };

// Legend entries laid out left to right from (x, y), wrapping at `right`.
class Legend {
 public:
  Legend(Canvas& c, int x, int y, int right) : c_(c), left_(x), x_(x), y_(y), right_(right) {}
  void add(Mark mark, Rgb colour, const std::string& label) {
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

 private:
  Canvas& c_;
  int left_, x_, y_, right_;
};

// A "nice" tick step (1, 2 or 5 x 10^k) giving about `ticks` intervals up to `top`.
double nice_step(double top, int ticks) {
  const double raw = top / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (f * mag >= raw) return f * mag;
  return 10 * mag;
}

void pr_panel(Canvas& c, const EvalMetrics& m, const std::string& match) {
  Axes a{70, 56, 420, 345};
  title(c, a, fmt::format("PRECISION-RECALL: {} VS REST", match));
  draw_axes(c, a, 0.2, 0.2, 1, "RECALL", "PRECISION");
  Legend legend(c, a.left - 40, 24, a.right + 20);
  legend.add(Mark::line, kCurve, fmt::format("PR CURVE: AP {:.3f}  ROC-AUC {:.3f}", m.average_precision, m.roc_auc));
  const double rate = m.rows == 0 ? 0.0 : static_cast<double>(m.positives) / m.rows;
  legend.add(Mark::dashed, kMuted, fmt::format("CHANCE {:.2f}", rate));
  legend.add(Mark::ring, kBest, fmt::format("BEST F1 {:.3f} AT T={:.3f}", m.best_f1.f1, m.best_f1.threshold));
  legend.add(Mark::dot, kModel, fmt::format("MODEL DECISION F1 {:.3f}", m.at_model.f1));
  if (m.positives == 0) {
    const std::string s = "NO ROWS WITH THE MATCH LABEL";
    c.text((a.left + a.right - Canvas::text_width(s)) / 2, (a.top + a.bottom) / 2, s, kBest);
    return;
  }
  c.line(a.px(0), a.py(rate), a.px(1), a.py(rate), kMuted, 1, 4);
  for (size_t i = 1; i < m.pr_curve.size(); ++i) {
    const auto &p = m.pr_curve[i - 1], &q = m.pr_curve[i];
    c.line(a.px(p.recall), a.py(p.precision), a.px(q.recall), a.py(q.precision), kCurve, 2);
  }
  if (m.pr_curve.size() == 1) c.disc(a.px(m.pr_curve[0].recall), a.py(m.pr_curve[0].precision), 2, kCurve);
  c.disc(a.px(m.at_model.recall), a.py(m.at_model.precision), 3.5, kModel);
  c.ring(a.px(m.best_f1.recall), a.py(m.best_f1.precision), 6, kBest, 2);
}

void histogram_panel(Canvas& c, const EvalMetrics& m, const std::vector<std::string>& names) {
  Axes a{530, 56, 880, 345};
  const std::string match = upper(names[m.match_label]);
  title(c, a, fmt::format("SCORE P({}) BY TRUE LABEL", match));
  double top = 0;
  for (int l = 0; l < m.num_labels; ++l) {
    const auto support = m.classes[l].support;
    for (int b = 0; b < m.hist_bins && support > 0; ++b)
      top = std::max(top, static_cast<double>(m.score_hist[l][b]) / support);
  }
  const double step = nice_step(std::max(top, 1e-9), 5);
  a.y1 = std::max(1.0, std::ceil(top / step - 1e-9)) * step;
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  draw_axes(c, a, 0.2, step, decimals, fmt::format("P({})", match), "FRACTION OF ROWS PER LABEL");
  Legend legend(c, a.left - 40, 24, a.right + 10);
  for (int l = 0; l < m.num_labels; ++l)
    legend.add(Mark::box, label_colour(l), fmt::format("{} (N={})", upper(names[l]), m.classes[l].support));
  const double width = 1.0 / m.hist_bins;
  for (int pass = 0; pass < 2; ++pass) {  // translucent fills first, then every outline on top
    for (int l = 0; l < m.num_labels; ++l) {
      const auto support = m.classes[l].support;
      if (support == 0) continue;
      double prev = 0;
      for (int b = 0; b <= m.hist_bins; ++b) {
        const double h = b < m.hist_bins ? static_cast<double>(m.score_hist[l][b]) / support : 0.0;
        const double x = b * width;
        if (pass == 0 && b < m.hist_bins && h > 0)
          c.fill_rect(static_cast<int>(std::lround(a.px(x))), static_cast<int>(std::lround(a.py(h))),
                      static_cast<int>(std::lround(a.px(x + width))), static_cast<int>(std::lround(a.py(0))),
                      label_colour(l), 0.22);
        if (pass == 1) {
          if (h != prev || b == m.hist_bins) c.line(a.px(x), a.py(prev), a.px(x), a.py(h), label_colour(l), 2);
          if (b < m.hist_bins && h > 0) c.line(a.px(x), a.py(h), a.px(x + width), a.py(h), label_colour(l), 2);
        }
        prev = h;
      }
    }
  }
  c.stroke_rect(a.left, a.top, a.right + 1, a.bottom + 1, kInk);
}

}  // namespace

Canvas render_eval_plot(const EvalMetrics& m, const std::vector<std::string>& names) {
  MGEO_CHECK(names.size() == static_cast<size_t>(m.num_labels), "plot: {} label names for {} labels", names.size(),
             m.num_labels);
  Canvas c(kWidth, kHeight);
  pr_panel(c, m, upper(names[m.match_label]));
  histogram_panel(c, m, names);
  return c;
}

}  // namespace mgeo::eval
