// mgeo/synth/generator.h — deterministic labelled address pairs for training and tests.
//
// Contract: Generator::make(i) builds pair i from (seed, i) alone with a counter-based
// Rng, so a data set is reproducible and can be made in any order on any number of
// threads. make() is const and allocation-local: safe to call concurrently. The
// Divisions passed in must outlive the Generator.
//
// Labels (the rule the data follow):
//   exact_match   the same place at the same granularity, written differently.
//   partial_match one side contains the other: it stops at the complex or road+number
//                 (or at the building) where the other goes down to building (or room);
//                 or two numbered buildings of one residential complex/community.
//   not_match     different places, mostly hard negatives differing in one thing: the
//                 district, the house number, the road's direction, the office tower
//                 letter (A座/B座), the city or the road; plus unrelated addresses.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/synth/address.h"
#include "mgeo/synth/divisions.h"
#include "mgeo/synth/rng.h"

namespace mgeo::synth {

enum class Label : uint8_t { exact_match, partial_match, not_match };
const char* label_name(Label label);  // "exact_match", ...

// How a pair was made (finer than its label).
enum class Kind : uint8_t {
  exact,
  partial_coarser,  // one side stops at the complex or road+number, the other has a building
  partial_room,     // one side stops at the building, the other has the unit/room
  partial_sibling,  // two numbered buildings of one residential complex
  not_district,     // same road, number and complex in a neighbouring district
  not_number,       // a nearby house number (8/9, 8/18, 8/88)
  not_direction,    // 中山东路/中山西路, 中山路/中山北路
  not_building,     // A座/B座 of one office complex
  not_city,         // another city, same road and number
  not_road,         // another road, same district and number
  not_random,       // unrelated addresses
};
const char* kind_name(Kind kind);
Label label_of(Kind kind);

struct Pair {
  uint64_t index = 0;
  Label label = Label::exact_match;
  Kind kind = Kind::exact;
  Address a, b;              // the places addr1 and addr2 name
  std::string addr1, addr2;
};

struct GeneratorOptions {
  double exact = 0.4;    // fraction of exact_match pairs
  double partial = 0.2;  // fraction of partial_match pairs; not_match takes the rest
};

class Generator {
 public:
  // Throws mgeo::Error when the fractions are negative or sum above 1, or `d` has no areas.
  Generator(const Divisions& d, uint64_t seed, GeneratorOptions options = {});

  Pair make(uint64_t index) const;
  uint64_t seed() const { return seed_; }
  const Divisions& divisions() const { return d_; }

  class Draw;  // the per-pair drawing state (generator.cpp)

 private:
  const Divisions& d_;
  uint64_t seed_;
  GeneratorOptions options_;
  std::vector<int32_t> areas_;                    // areas addresses use (not 岛礁及其海域)
  std::vector<std::vector<int32_t>> city_areas_;  // per city: its areas in areas_
  std::vector<std::vector<int32_t>> streets_;     // per area: streets named 街道/镇/乡
};

// "p00000042": the id written for pair 42.
std::string pair_id(uint64_t index);

// Makes pairs first..first+count-1 on `threads` worker threads (0: one per core) in
// blocks of `block` pairs and hands them to `sink` in index order on the calling thread.
// An exception from a worker or from `sink` stops the workers and is rethrown here.
void generate(const Generator& gen, uint64_t first, uint64_t count, unsigned threads,
              const std::function<void(const Pair&)>& sink, std::size_t block = 4096);

}  // namespace mgeo::synth
