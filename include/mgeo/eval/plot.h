// mgeo/eval/plot.h — the figure of an evaluation.
//
// Contract: pure: render_eval_plot() draws a 900x400 canvas with two panels. Left: the
// precision-recall curve of the binary question (match label vs the rest), the chance
// level (the positive rate) dashed, the best-F1 point ringed and the model's own
// decision (argmax) as a dot. Right: histograms of the match-label score over [0, 1],
// one per true label in its own colour, as the fraction of that label's rows per bin.
// Both panels have ticks, tick labels, axis titles and a legend of coloured boxes.
// `names` are the label names (size m.num_labels). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "mgeo/eval/metrics.h"
#include "mgeo/eval/png.h"

namespace mgeo::eval {

Canvas render_eval_plot(const EvalMetrics& m, const std::vector<std::string>& names);

}  // namespace mgeo::eval
