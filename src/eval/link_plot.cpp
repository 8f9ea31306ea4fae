#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "draw.h"
#include "mgeo/eval/link_eval.h"

namespace mgeo::eval {
namespace {

using namespace draw;

constexpr int kWidth = 760, kHeight = 440;
constexpr Rgb kPrecision = kPalette[0], kRecall = kPalette[1], kF1 = kPalette[2], kBest{214, 39, 40};

// One metric of at_threshold() drawn at every pixel column of the plot; precision is
// left out where nothing is linked (it is 0 there by convention, not by measurement).
void curve(Canvas& c, const Axes& a, const LinkMetrics& m, double ThresholdPoint::*value, Rgb colour) {
  double prev_y = 0;
  bool prev = false;
  for (int x = a.left; x <= a.right; ++x) {
    const double t = a.x0 + (x - a.left) * (a.x1 - a.x0) / (a.right - a.left);
    const auto p = at_threshold(m, t);
    const bool defined = value != &ThresholdPoint::precision || p.tp + p.fp > 0;
    const double y = a.py(p.*value);
    if (prev && defined) c.line(x - 1, prev_y, x, y, colour, 2);
    prev = defined, prev_y = y;
  }
}

}  // namespace

Canvas render_link_plot(const LinkMetrics& m) {
  Canvas c(kWidth, kHeight);
  Axes a{80, 74, 730, 395};
  title(c, a, "LINK TO THE BEST CANDIDATE WHEN SCORE >= T: PRECISION, RECALL, F1");
  draw_axes(c, a, 0.1, 0.1, 1, "THRESHOLD T", "PRECISION / RECALL / F1");
  Legend legend(c, a.left - 40, 26, a.right + 20);
  legend.add(Mark::line, kPrecision, "PRECISION");
  legend.add(Mark::line, kRecall, "RECALL");
  legend.add(Mark::line, kF1, "F1");
  const auto& b = m.best;
  if (!m.curve.empty())
    legend.add(Mark::ring, kBest, fmt::format("BEST F1 {:.3f} AT T={:.3f} (P {:.3f} R {:.3f})", b.f1, b.threshold,
                                              b.precision, b.recall));
  legend.add(Mark::dashed, kMuted, fmt::format("LINKER F1 {:.3f} (P {:.3f} R {:.3f}, {} QUERIES)", m.f1, m.precision,
                                               m.recall, m.queries));
  c.line(a.px(0), a.py(m.f1), a.px(1), a.py(m.f1), kMuted, 1, 4);
  if (m.curve.empty()) {
    const std::string s = "NO QUERY HAS A SCORED CANDIDATE";
    c.text((a.left + a.right - Canvas::text_width(s)) / 2, (a.top + a.bottom) / 2, s, kBest);
    return c;
  }
  curve(c, a, m, &ThresholdPoint::precision, kPrecision);
  curve(c, a, m, &ThresholdPoint::recall, kRecall);
  curve(c, a, m, &ThresholdPoint::f1, kF1);
  if (b.threshold >= a.x0 && b.threshold <= a.x1) {
    c.line(a.px(b.threshold), a.py(0), a.px(b.threshold), a.py(1), kBest, 1, 3);
    c.ring(a.px(b.threshold), a.py(b.f1), 6, kBest, 2);
  }
  return c;
}

}  // namespace mgeo::eval
