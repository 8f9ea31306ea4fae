// Shared fixtures for the address tests: one Parser over the real divisions per process,
// the hand-written set, and field-by-field equality with readable failure messages.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mgeo/address/address.h"
#include "mgeo/address/parser.h"
#include "mgeo/synth/divisions.h"

namespace mgeo::address::test {

inline const synth::Divisions& divisions() {
  static const synth::Divisions d = synth::Divisions::load(MGEO_SOURCE_DIR "/data/divisions");
  return d;
}

inline const Parser& parser() {
  static const Parser p(divisions());
  return p;
}

// "" when every field, code and the resolution agree; else the first differences.
inline std::string differences(const Address& a, const Address& b) {
  std::string out;
  for (Field f : kFields) {
    if (a.get(f) != b.get(f)) out += std::string(field_name(f)) + ": '" + a.get(f) + "' vs '" + b.get(f) + "' ";
  }
  if (a.code != b.code) out += "code: " + std::to_string(a.code) + " vs " + std::to_string(b.code) + " ";
  if (a.resolution != b.resolution) {
    out += std::string("resolution: ") + resolution_name(a.resolution) + " vs " + resolution_name(b.resolution);
  }
  return out;
}

struct LabelledAddress {
  int line = 0;
  std::string text;
  Address expected;  // the text fields and the resolution
};

// tests/address/data/<name>: text, the 11 fields, resolution; '#' lines are comments.
inline std::vector<LabelledAddress> labelled_set(const std::string& name) {
  const std::string path = MGEO_SOURCE_DIR "/tests/address/data/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<LabelledAddress> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n == 1 || line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, '\t');) cells.push_back(cell);
    while (cells.size() < 13) cells.emplace_back();
    if (cells.size() != 13) throw std::runtime_error(path + ":" + std::to_string(n) + ": expected 13 columns");
    LabelledAddress row;
    row.line = n;
    row.text = cells[0];
    for (std::size_t i = 0; i < kFields.size(); ++i) row.expected.get(kFields[i]) = cells[i + 1];
    const std::string& r = cells[12];
    row.expected.resolution = r == "resolved" ? Resolution::resolved : r == "ambiguous" ? Resolution::ambiguous
                                                                                      : Resolution::none;
    out.push_back(std::move(row));
  }
  return out;
}

// The set the parser was developed with (addresses.tsv).
inline std::vector<LabelledAddress> handwritten_set() { return labelled_set("addresses.tsv"); }

}  // namespace mgeo::address::test
