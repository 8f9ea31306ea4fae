// The divisions dictionary behind the parser: places with their parents, and a trie of
// every official name and short form (internal to src/address).
//
// Contract: built once from synth::Divisions, immutable afterwards (safe for concurrent
// reads). Municipalities keep one city (北京市/北京市; 重庆's two city rows become one);
// districts directly under a province (省直辖县级行政区划) have city -1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::synth {
class Divisions;
}

namespace mgeo::address::detail {

enum Level : uint8_t { kProvince = 0, kCity = 1, kDistrict = 2, kTown = 3, kLevels = 4 };

struct Place {
  std::string name;  // full official name as an address writes it
  uint64_t code = 0;
  int32_t province = -1, city = -1, district = -1;  // parents (-1: none)
};

struct NameEntry {
  Level level;
  bool short_form;  // a short form or alias, which must not be read into a road name
  int32_t index;    // into places(level)
};

class Gazetteer {
 public:
  explicit Gazetteer(const synth::Divisions& d);

  const std::vector<Place>& places(Level level) const { return places_[level]; }
  bool municipality(int32_t province) const { return municipal_city_[province] >= 0; }
  // The city's district when it has exactly one (东莞市, 嘉峪关市), else -1.
  int32_t only_district(int32_t city) const { return only_district_[city]; }
  int32_t municipal_city(int32_t province) const { return municipal_city_[province]; }

  // Calls f(end, first, last) for every name that starts at s[pos] and ends at s[end],
  // shortest first; [first, last) are its entries.
  template <class F>
  void matches(std::u32string_view s, std::size_t pos, F&& f) const {
    int32_t node = 0;
    for (std::size_t i = pos; i < s.size(); ++i) {
      node = child(node, s[i]);
      if (node < 0) return;
      const uint32_t b = entry_begin_[node], e = entry_begin_[node + 1];
      if (b != e) f(i + 1, entries_.data() + b, entries_.data() + e);
    }
  }
  bool any_match(std::u32string_view s, std::size_t pos) const;

  std::size_t names() const { return names_; }
  std::size_t nodes() const { return entry_begin_.size() - 1; }

 private:
  struct Slot {
    uint64_t key = ~uint64_t{0};
    int32_t child = -1;
  };
  int32_t child(int32_t node, char32_t c) const {
    const uint64_t key = (static_cast<uint64_t>(node) << 21) | c;
    for (uint64_t h = (key * 0x9E3779B97F4A7C15ull) >> shift_;; h = (h + 1) & mask_) {
      const Slot& s = table_[h];
      if (s.key == key) return s.child;
      if (s.child < 0) return -1;
    }
  }

  std::vector<Place> places_[kLevels];
  std::vector<int32_t> municipal_city_;  // per province: its one city, or -1
  std::vector<int32_t> only_district_;   // per city: its one district, or -1
  std::vector<Slot> table_;
  uint64_t mask_ = 0;
  int shift_ = 64;
  std::vector<uint32_t> entry_begin_;  // per node, into entries_ (size nodes + 1)
  std::vector<NameEntry> entries_;
  std::size_t names_ = 0;
};

}  // namespace mgeo::address::detail
