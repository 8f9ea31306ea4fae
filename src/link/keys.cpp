// Blocking keys and n-grams: pure helpers.
#include "mgeo/link/keys.h"

#include <algorithm>

#include "mgeo/util/mix64.h"

namespace mgeo::link {
namespace {

uint64_t nonzero(uint64_t h) { return h == 0 ? 1 : h; }

// Decodes valid UTF-8 into code points; false on invalid input.
bool decode(std::string_view s, std::vector<char32_t>& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) return false;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int j = 1; j < len; ++j) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(j)]);
      if ((cc >> 6) != 2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return true;
}

}  // namespace

const char* pass_name(int bit_index) {
  static constexpr const char* kNames[kPassCount] = {"district_road_number", "city_road_number", "district_poi",
                                                     "lexical"};
  return bit_index >= 0 && bit_index < kPassCount ? kNames[bit_index] : "?";
}

uint64_t hash_text(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

uint64_t road_number_key(Pass pass, uint64_t division_code, std::string_view road, std::string_view number) {
  if (division_code == 0 || road.empty() || number.empty()) return 0;
  uint64_t h = mix64(static_cast<uint64_t>(pass) * 0x9E3779B97F4A7C15ULL ^ division_code);
  h = mix64(h ^ hash_text(road));
  return nonzero(mix64(h ^ hash_text(number) * 3));
}

uint64_t poi_key(uint64_t district_code, std::string_view poi) {
  if (district_code == 0 || poi.empty()) return 0;
  const uint64_t h = mix64(static_cast<uint64_t>(kDistrictPoi) * 0x9E3779B97F4A7C15ULL ^ district_code);
  return nonzero(mix64(h ^ hash_text(poi)));
}

uint64_t address_key(Pass pass, const address::Address& a) {
  switch (pass) {
    case kDistrictRoadNumber: return road_number_key(pass, a.district_code, a.road, a.number);
    case kCityRoadNumber: return road_number_key(pass, a.city_code, a.road, a.number);
    case kDistrictPoi: return poi_key(a.district_code, a.poi);
    default: return 0;
  }
}

std::vector<uint64_t> ngrams(std::string_view normalized, int n) {
  thread_local std::vector<char32_t> cps;
  std::vector<uint64_t> out;
  if (!decode(normalized, cps) || cps.empty()) return out;
  const std::size_t m = static_cast<std::size_t>(std::max(1, std::min(n, 3)));
  const std::size_t len = std::min(m, cps.size());
  out.reserve(cps.size());
  for (std::size_t i = 0; i + len <= cps.size(); ++i) {
    uint64_t g = 0;  // code points are >= 1, so grams of different lengths differ
    for (std::size_t j = 0; j < len; ++j) g = (g << 21) | static_cast<uint64_t>(cps[i + j]);
    out.push_back(g);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace mgeo::link
