// Shared fixtures for the synth tests: the real divisions, loaded once per process.
#pragma once

#include <string>

#include "mgeo/synth/divisions.h"

namespace mgeo::synth::test {

inline const Divisions& real_divisions() {
  static const Divisions d = Divisions::load(MGEO_SOURCE_DIR "/data/divisions");
  return d;
}

// Index of the area named `name` under the province named `province`; -1 if none.
inline int32_t find_area(const Divisions& d, const std::string& province, const std::string& name) {
  for (std::size_t i = 0; i < d.areas().size(); ++i) {
    const Area& a = d.areas()[i];
    if (a.name == name && d.province_of(a).name == province) return static_cast<int32_t>(i);
  }
  return -1;
}

}  // namespace mgeo::synth::test
