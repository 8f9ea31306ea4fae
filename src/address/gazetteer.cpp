// Gazetteer: places from Divisions, their short forms, and the code-point trie over them.
#include "gazetteer.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "chars.h"
#include "mgeo/address/normalize.h"
#include "mgeo/synth/divisions.h"

namespace mgeo::address::detail {
namespace {

// Peoples named in autonomous divisions (恩施土家族苗族自治州, 新疆维吾尔自治区).
constexpr std::array<std::u32string_view, 55> kPeoples = {
    U"蒙古", U"回", U"藏", U"维吾尔", U"苗", U"彝", U"壮", U"布依", U"朝鲜", U"满", U"侗",
    U"瑶", U"白", U"土家", U"哈尼", U"哈萨克", U"傣", U"黎", U"傈僳", U"佤", U"畲", U"高山",
    U"拉祜", U"水", U"东乡", U"纳西", U"景颇", U"柯尔克孜", U"土", U"达斡尔", U"仫佬", U"羌",
    U"布朗", U"撒拉", U"毛南", U"仡佬", U"锡伯", U"阿昌", U"普米", U"塔吉克", U"怒", U"乌孜别克",
    U"俄罗斯", U"鄂温克", U"德昂", U"保安", U"裕固", U"京", U"塔塔尔", U"独龙", U"鄂伦春",
    U"赫哲", U"门巴", U"珞巴", U"基诺"};

// 恩施土家族苗族自治州 -> 恩施; empty when the name is not an autonomous division.
std::u32string autonomous_stem(std::u32string_view name) {
  if (!(ends_with(name, U"自治州") || ends_with(name, U"自治县") || ends_with(name, U"自治旗") ||
        ends_with(name, U"自治区"))) {
    return {};
  }
  for (std::size_t i = 2; i < name.size(); ++i) {
    for (std::u32string_view p : kPeoples) {
      if (starts_with(name, i, p) &&
          (starts_with(name, i + p.size(), U"族") || starts_with(name, i + p.size(), U"自治"))) {
        return std::u32string(name.substr(0, i));
      }
    }
  }
  return {};
}

std::u32string strip_suffix(std::u32string_view name, std::u32string_view suffix) {
  if (name.size() >= suffix.size() + 2 && ends_with(name, suffix)) {
    return std::u32string(name.substr(0, name.size() - suffix.size()));
  }
  return {};
}

std::u32string u32(std::string_view s) { return decode(s); }

struct Builder {
  std::vector<std::pair<std::u32string, NameEntry>> names;

  // Names are indexed as normalize() writes them (七号镇 -> 7号镇), as the parser reads them.
  void add(const std::u32string& name, Level level, bool short_form, int32_t index) {
    if (name.size() < 2) return;  // a single character is never a division on its own
    names.emplace_back(decode(normalize(encode(name))), NameEntry{level, short_form, index});
  }
};

// Aliases of a development zone or other district that repeats its parents' names:
// 石家庄高新技术产业开发区 -> 高新技术产业开发区, 高新区; 河北唐山芦台经济开发区 -> 芦台经济开发区.
void add_zone_aliases(Builder& b, std::u32string name, const std::vector<std::u32string>& parents,
                      int32_t index) {
  std::vector<std::u32string> forms;
  for (bool again = true; again;) {
    again = false;
    for (const std::u32string& p : parents) {
      if (p.size() >= 2 && name.size() >= p.size() + 4 && starts_with(name, 0, p)) {
        name = name.substr(p.size());
        forms.push_back(name);
        again = true;
      }
    }
  }
  const std::size_t n = forms.size();
  for (std::size_t i = 0; i < n; ++i) {
    for (auto [longer, shorter] : {std::pair<std::u32string_view, std::u32string_view>{U"高新技术产业开发区", U"高新区"},
                                  {U"经济技术开发区", U"经开区"}}) {
      const std::size_t at = forms[i].find(longer);
      if (at != std::u32string::npos) {
        std::u32string f = forms[i];
        f.replace(at, longer.size(), shorter);
        forms.push_back(std::move(f));
      }
    }
  }
  for (const std::u32string& f : forms) b.add(f, kDistrict, true, index);
}

}  // namespace

Gazetteer::Gazetteer(const synth::Divisions& d) {
  Builder b;
  auto& provinces = places_[kProvince];
  auto& cities = places_[kCity];
  auto& districts = places_[kDistrict];
  auto& towns = places_[kTown];

  for (std::size_t i = 0; i < d.provinces().size(); ++i) {
    const synth::Province& p = d.provinces()[i];
    provinces.push_back(Place{p.name, p.code, static_cast<int32_t>(i), -1, -1});
    b.add(u32(p.name), kProvince, false, static_cast<int32_t>(i));
    if (p.short_name != p.name) b.add(u32(p.short_name), kProvince, true, static_cast<int32_t>(i));
  }
  municipal_city_.assign(provinces.size(), -1);

  // City rows -> places: a municipality's 市辖区/县 rows become one city named after it;
  // 省直辖县级行政区划 rows become none.
  std::vector<int32_t> city_of_row(d.cities().size(), -1);
  for (std::size_t i = 0; i < d.cities().size(); ++i) {
    const synth::City& c = d.cities()[i];
    if (c.name.empty() || c.raw_name.find("直辖县级行政区划") != std::string::npos) continue;
    if (c.name == d.provinces()[c.province].name) {
      int32_t& m = municipal_city_[c.province];
      if (m < 0) {
        m = static_cast<int32_t>(cities.size());
        cities.push_back(Place{c.name, c.code, c.province, m, -1});
      }
      city_of_row[i] = m;
      continue;
    }
    const auto ci = static_cast<int32_t>(cities.size());
    city_of_row[i] = ci;
    cities.push_back(Place{c.name, c.code, c.province, ci, -1});
    const std::u32string full = u32(c.name);
    b.add(full, kCity, false, ci);
    std::u32string stem = autonomous_stem(full);
    if (stem.empty()) {
      for (std::u32string_view suffix : {std::u32string_view(U"市"), std::u32string_view(U"地区"),
                                         std::u32string_view(U"盟")}) {
        if (stem.empty()) stem = strip_suffix(full, suffix);
      }
    }
    if (!stem.empty()) b.add(stem, kCity, true, ci);
    if (!stem.empty() && ends_with(full, U"自治州")) b.add(stem + U"州", kCity, true, ci);  // 恩施州
  }

  std::vector<int32_t> district_of_row(d.areas().size(), -1);
  for (std::size_t i = 0; i < d.areas().size(); ++i) {
    const synth::Area& a = d.areas()[i];
    const auto di = static_cast<int32_t>(districts.size());
    district_of_row[i] = di;
    const int32_t city = city_of_row[a.city];
    districts.push_back(Place{a.name, a.code, a.province, city, di});
    const std::u32string full = u32(a.name);
    b.add(full, kDistrict, false, di);
    std::u32string stem = autonomous_stem(full);
    if (stem.empty()) stem = u32(a.short_name);
    if (stem != full) b.add(stem, kDistrict, true, di);
    std::vector<std::u32string> parents = {u32(d.provinces()[a.province].name),
                                           u32(d.provinces()[a.province].short_name)};
    if (city >= 0 && !municipality(a.province)) {
      parents.push_back(u32(cities[city].name));
      parents.push_back(u32(d.cities()[a.city].short_name));
    }
    add_zone_aliases(b, full, parents, di);
  }

  only_district_.assign(cities.size(), -1);
  std::vector<int> per_city(cities.size(), 0);
  for (std::size_t i = 0; i < districts.size(); ++i) {
    const int32_t c = districts[i].city;
    if (c >= 0 && per_city[c]++ == 0) only_district_[c] = static_cast<int32_t>(i);
  }
  for (std::size_t c = 0; c < cities.size(); ++c) {
    if (per_city[c] != 1) only_district_[c] = -1;
  }

  for (std::size_t i = 0; i < d.streets().size(); ++i) {
    const synth::Street& s = d.streets()[i];
    const int32_t di = district_of_row[s.area];
    const Place& dp = districts[di];
    const auto ti = static_cast<int32_t>(towns.size());
    towns.push_back(Place{s.name, s.code, dp.province, dp.city, di});
    b.add(u32(s.name), kTown, false, ti);
  }

  // One entry per (name, level, place); a full name wins over the same text as a short form.
  std::sort(b.names.begin(), b.names.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first < y.first;
    if (x.second.level != y.second.level) return x.second.level < y.second.level;
    if (x.second.index != y.second.index) return x.second.index < y.second.index;
    return x.second.short_form < y.second.short_form;
  });
  b.names.erase(std::unique(b.names.begin(), b.names.end(),
                            [](const auto& x, const auto& y) {
                              return x.first == y.first && x.second.level == y.second.level &&
                                     x.second.index == y.second.index;
                            }),
                b.names.end());
  names_ = b.names.size();

  // The trie: children in one open-addressing table keyed by (node, code point).
  std::unordered_map<uint64_t, int32_t> edges;
  std::vector<std::vector<NameEntry>> node_entries(1);
  for (const auto& [name, entry] : b.names) {
    int32_t node = 0;
    for (char32_t c : name) {
      const uint64_t key = (static_cast<uint64_t>(node) << 21) | c;
      auto [it, added] = edges.emplace(key, static_cast<int32_t>(node_entries.size()));
      if (added) node_entries.emplace_back();
      node = it->second;
    }
    node_entries[node].push_back(entry);
  }
  std::size_t size = 16;
  shift_ = 60;
  while (size < edges.size() * 2) size <<= 1, --shift_;
  mask_ = size - 1;
  table_.assign(size, Slot{});
  for (const auto& [key, child] : edges) {
    uint64_t h = (key * 0x9E3779B97F4A7C15ull) >> shift_;
    while (table_[h].child >= 0) h = (h + 1) & mask_;
    table_[h] = Slot{key, child};
  }
  entry_begin_.reserve(node_entries.size() + 1);
  for (auto& list : node_entries) {
    entry_begin_.push_back(static_cast<uint32_t>(entries_.size()));
    entries_.insert(entries_.end(), list.begin(), list.end());
  }
  entry_begin_.push_back(static_cast<uint32_t>(entries_.size()));
}

bool Gazetteer::any_match(std::u32string_view s, std::size_t pos) const {
  bool found = false;
  matches(s, pos, [&](std::size_t, const NameEntry*, const NameEntry*) { found = true; });
  return found;
}

}  // namespace mgeo::address::detail
