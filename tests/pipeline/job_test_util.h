// Shared inputs of the score job's tests: the tiny test model and synthetic pair tables.
#pragma once

#include <string>

namespace mgeo::pipeline::test {

inline const std::string kTinyModel = std::string(MGEO_SOURCE_DIR) + "/data/models/tiny-random";

// n distinct pairs (no repeats: every row is scored) whose lengths alternate short/long, so
// input order pads far more than sorted order. CSV with header id,addr1,addr2.
inline std::string alternating_pairs(int n) {
  std::string csv = "id,addr1,addr2\n";
  for (int i = 0; i < n; ++i) {
    const std::string tail = i % 2 ? "阳光花园小区3栋2单元1201室" : "";
    csv += "p" + std::to_string(i) + ",北京市海淀区中关村大街" + std::to_string(i) + "号" + tail +
           ",北京海淀中关村大街" + std::to_string(i) + "号\n";
  }
  return csv;
}

}  // namespace mgeo::pipeline::test
