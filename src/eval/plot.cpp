#include "mgeo/eval/plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "draw.h"
#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

using namespace draw;

constexpr int kWidth = 900, kHeight = 400;
constexpr Rgb kCurve{31, 119, 180}, kBest{214, 39, 40}, kModel{20, 20, 20};

Rgb label_colour(int l) { return palette(l); }

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
