// Name forms: short administrative names and community names from committee names.
#include <array>
#include <string>
#include <string_view>

#include "mgeo/synth/divisions.h"

namespace mgeo::synth {
namespace {

std::size_t chars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// `s` without `suffix` when that leaves at least `min_chars` characters; else `s`.
std::string strip(std::string_view s, std::string_view suffix, std::size_t min_chars = 2) {
  if (!ends_with(s, suffix)) return std::string(s);
  const std::string_view rest = s.substr(0, s.size() - suffix.size());
  return chars(rest) >= min_chars ? std::string(rest) : std::string(s);
}

// Bytes of the first `n` characters of `s`.
std::string_view first_chars(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && seen++ == n) break;
  }
  return s.substr(0, i);
}

}  // namespace

std::string short_province_name(std::string_view name) {
  if (ends_with(name, "自治区")) {
    return std::string(first_chars(name, name.rfind("内蒙古", 0) == 0 ? 3 : 2));
  }
  if (ends_with(name, "省")) return strip(name, "省");
  return strip(name, "市");
}

std::string short_city_name(std::string_view name) { return strip(name, "市"); }

std::string short_area_name(std::string_view name) {
  for (std::string_view keep : {"自治县", "自治旗", "林区", "矿区", "管理区", "开发区", "特区"}) {
    if (ends_with(name, keep)) return std::string(name);
  }
  // Long names (五台山风景名胜区, 苏尼特右旗) and banners keep their suffix.
  if (chars(name) > 5) return std::string(name);
  if (ends_with(name, "新区")) return strip(name, "新区");
  for (std::string_view suffix : {"区", "县", "市"}) {
    if (ends_with(name, suffix)) return strip(name, suffix);
  }
  return std::string(name);
}

std::string community_name(std::string_view committee) {
  static constexpr std::array<std::string_view, 14> kReject = {
      "虚拟", "生活区", "管理区", "林场", "分场", "农场", "牧场", "场部",
      "委员会", "居委会", "村委会", "（", "(", "办事处"};
  struct Rule {
    std::string_view suffix, kind;
  };
  static constexpr std::array<Rule, 7> kRules = {{{"社区居民委员会", "社区"},
                                                  {"社区居委会", "社区"},
                                                  {"居民委员会", "社区"},
                                                  {"居委会", "社区"},
                                                  {"村民委员会", "村"},
                                                  {"村委会", "村"},
                                                  {"委员会", "村"}}};
  std::string name(committee);
  for (const Rule& r : kRules) {
    if (!ends_with(name, r.suffix)) continue;
    name.resize(name.size() - r.suffix.size());
    if (!ends_with(name, r.kind)) name += r.kind;
    break;
  }
  if (!ends_with(name, "社区") && !ends_with(name, "村")) return {};
  for (std::string_view bad : kReject) {
    if (contains(name, bad)) return {};
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x80) return {};  // ASCII digits, letters, spaces
  }
  const std::size_t n = chars(name);
  const std::size_t stem = n - (ends_with(name, "社区") ? 2 : 1);
  if (stem < 2 || n > 8) return {};
  return name;
}

}  // namespace mgeo::synth
