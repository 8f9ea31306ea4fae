// mgeo/synth/link_set.h — a synthetic master list, typed queries against it, and the truth.
//
// Contract: make_link_set(d, seed, masters, queries, near_miss_fraction) is a pure
// function: the same arguments give the same set, bit for bit, on any machine. Masters
// are distinct places (no two share area, road and house number), grouped realistically:
// each road carries a run of masters with different numbers, and the areas used are
// drawn from a pool sized to the set (about 100 masters an area), so a district holds
// many roads and a road many numbers. A master is written in one plain style (province,
// city, district, street, complex, building, room; no short names, spaces or full-width).
// Query i is made from Rng(seed, stream of i): with probability 1 - near_miss_fraction it
// is another written form of a random master's place (render() with a random Style, as
// the generator's exact pairs are) and its truth is that master; otherwise it is a near
// miss with no true master, made from a master's place by changing one part: another
// house number on the same road (Kind::not_number), another road with the same number
// (not_road), the neighbouring district (not_district) or another building of the same
// complex (not_building); a near miss never names a master's place (it differs from
// every master in area, road or number, or, for another building, in the building).
// Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mgeo/synth/address.h"
#include "mgeo/synth/divisions.h"
#include "mgeo/synth/generator.h"

namespace mgeo::synth {

struct LinkMaster {
  std::string id;       // "m00000042"
  std::string address;  // the plain written form
  Address place;
};

struct LinkQuery {
  std::string id;       // "q00000042"
  std::string address;  // as typed
  Address place;
  int64_t master = -1;  // index of the true master in LinkSet::masters; -1 for a near miss
  Kind kind = Kind::exact;  // exact, or the near miss's not_number/not_road/not_district/not_building
  int64_t source = -1;  // the master the query was made from (for a near miss: the one it misses)
};

struct LinkSet {
  std::vector<LinkMaster> masters;
  std::vector<LinkQuery> queries;
};

// Throws mgeo::Error when masters < 1, queries < 0 or the fraction is outside [0, 1].
LinkSet make_link_set(const Divisions& d, uint64_t seed, int64_t masters, int64_t queries,
                      double near_miss_fraction = 0.3);

// The plain style masters are written in.
Style plain_style();

// "m00000042" and "q00000042".
std::string master_id(uint64_t index);
std::string query_id(uint64_t index);

}  // namespace mgeo::synth
