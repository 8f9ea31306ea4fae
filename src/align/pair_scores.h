// The score engine's results as link and dedupe keep them (internal to src/align): per
// candidate pair, in pair order, the score label's probability and the model's own label
// (the most probable; the first on a tie), appended block by block as rank 0 receives them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "mgeo/io/score_writer.h"

namespace mgeo::align::detail {

struct PairScores {
  std::vector<std::string> labels;  // the model's label names
  int score_label = 0;
  std::vector<float> score;         // per pair received
  std::vector<uint8_t> label;       // per pair received: index into labels

  void open(const std::vector<std::string>& names, int score_index) {
    labels = names;
    score_label = score_index;
  }

  void append(const io::ScoreTable& block) {
    const std::size_t k = block.labels.size();
    for (std::size_t i = 0; i < block.ids.size(); ++i) {
      const float* p = &block.probs[i * k];
      score.push_back(p[score_label]);
      label.push_back(static_cast<uint8_t>(std::max_element(p, p + k) - p));
    }
  }

  std::size_t size() const { return score.size(); }
  const std::string& label_name(std::size_t pair) const { return labels[label[pair]]; }
};

}  // namespace mgeo::align::detail
