// draw.h — the per-pair drawing state behind Generator::make (internal).
//
// Contract: one Draw makes one pair from its own Rng(seed, index); it reads the
// Generator's immutable tables only. Not shared between threads.
#pragma once

#include "mgeo/synth/generator.h"

namespace mgeo::synth {

// What a drawn address must have (the rest is random).
struct Need {
  bool complex = false;
  int complex_kind = -1;  // -1 any, 0 office, 1 residential estate, 2 community
  bool building = false;
  bool room = false;
};

class Generator::Draw {
 public:
  Draw(const Generator& g, uint64_t index) : g_(g), d_(g.d_), rng_(g.seed_, index) {}
  Pair make(uint64_t index);

  // Parts (generator.cpp).
  int32_t random_area();
  int32_t random_street(int32_t area);
  Address address(int32_t area, const Need& need = {});
  void add_complex(Address& a, int kind);
  void add_room(Address& a);
  Style style(bool exact_side);
  Kind pick_kind();
  void write(Pair& p, Style s1, Style s2);
  void exact(Pair& p);
  void partial(Pair& p);

  // Negatives (negatives.cpp); each sets p.kind to what it made.
  void negative(Pair& p);
  int32_t nearby_number(int32_t n);
  bool neighbour_district(Pair& p);
  void other_city(Pair& p);

  const Generator& g_;
  const Divisions& d_;
  Rng rng_;
};

}  // namespace mgeo::synth
