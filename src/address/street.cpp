// Street-level parsing: road (with its lane or section), then numbers with their markers
// (号 栋 座 单元 楼 层 室 组) and the text between them (the poi).
#include "street.h"

#include <array>
#include <string>

#include "chars.h"

namespace mgeo::address::detail {
namespace {

// Words that end a place name (中山|大学, 新城|花园) unless a road suffix soon follows them
// (乳山|府前街, 麻山|公园路: a district, then a road named after a landmark).
constexpr std::array<std::u32string_view, 30> kNameEndings = {
    U"大学", U"学院", U"大厦", U"广场", U"公园", U"医院", U"中学", U"小学", U"花园", U"小区",
    U"新村", U"机场", U"码头", U"酒店", U"宾馆", U"商场", U"市场", U"饭店", U"中心", U"家园",
    U"山庄", U"公寓", U"湾", U"湖", U"山", U"庄", U"苑", U"府", U"站", U"港"};
// Single characters that end a place name whatever follows (朝阳|门, 朝阳|村).
constexpr std::array<char32_t, 5> kStrictEndings = {U'门', U'桥', U'村', U'里', U'屯'};

// Text that only says where something is near: (近地铁站), (对面).
constexpr std::array<std::u32string_view, 6> kNearby = {U"近", U"靠近", U"邻近", U"距", U"对面", U"旁"};

// The length of a road suffix at s[i] (0: none); `first` is where the name began.
std::size_t road_suffix_at(std::u32string_view s, std::size_t i, std::size_t first) {
  if (i <= first || i >= s.size()) return 0;  // a road needs a name before its suffix
  if (starts_with(s, i, U"胡同") || starts_with(s, i, U"大道") || starts_with(s, i, U"大街")) return 2;
  const char32_t next = i + 1 < s.size() ? s[i + 1] : 0;
  switch (s[i]) {
    case U'路':
    case U'巷':
    case U'弄':
      return 1;
    case U'街':  // 街道 is a town, 街坊/街区 are not roads
      return next == U'道' || next == U'坊' || next == U'区' ? 0 : 1;
    case U'道':  // 卫津道12号; not 五道口
      return (next == 0 || is_digit(next) || next == U'号') && s[i - 1] != U'街' ? 1 : 0;
    default:
      return 0;
  }
}

// A lane, section, branch or direction that follows a road: 1839弄, 三段, 北一段, 东段,
// 12巷, 2支路, 容奇大道中(39号).
std::size_t road_extension_at(std::u32string_view s, std::size_t i) {
  std::size_t j = i;
  if (j < s.size() && is_direction(s[j])) {
    ++j;  // 二环路北一段, 临园路东段
    if (j < s.size() && (is_digit(s[j]) || s[j] == U'号')) return 1;  // 容奇大道中39号
    if (starts_with(s, j, U"段")) return j + 1 - i;
  }
  const std::size_t digits = j;
  while (j < s.size() && (is_digit(s[j]) || is_cn_numeral(s[j]))) ++j;
  if (j == digits) return 0;
  for (std::u32string_view m : {std::u32string_view(U"支路"), std::u32string_view(U"支弄"), std::u32string_view(U"弄"),
                                std::u32string_view(U"巷"), std::u32string_view(U"段"), std::u32string_view(U"条")}) {
    if (starts_with(s, j, m)) return j + m.size() - i;
  }
  return 0;
}

bool is_trim(char32_t c) {
  return is_separator(c) || c == U' ' || c == U'-' || c == U'(' || c == U')' || c == U'[' || c == U']' ||
         c == U'【' || c == U'】';
}

std::u32string_view trim(std::u32string_view s) {
  while (!s.empty() && is_trim(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_trim(s.back())) s.remove_suffix(1);
  return s;
}

bool nearby_hint(std::u32string_view s) {
  for (std::u32string_view w : kNearby) {
    if (starts_with(s, 0, w)) return true;
  }
  return false;
}

std::string upper(std::u32string_view s) {
  std::string out;
  append_upper(out, s);
  return out;
}

// The text outside brackets, and the first bracketed text.
void split_brackets(std::u32string_view in, std::u32string& main, std::u32string& inner) {
  int depth = 0;
  bool first_done = false;
  for (char32_t c : in) {
    if (c == U'(' || c == U'[' || c == U'【') {
      if (depth++ == 0 && !inner.empty()) first_done = true;
      continue;
    }
    if (c == U')' || c == U']' || c == U'】') {
      if (depth > 0) --depth;
      continue;
    }
    if (depth > 0) {
      if (!first_done) inner.push_back(c);
    } else {
      main.push_back(c);
    }
  }
}

// Street-level state while reading tokens left to right.
struct Reader {
  Address& a;
  std::u32string text;  // the poi being read
  std::u32string poi;   // the first finished poi text
  std::u32string road;  // set when a lane appears without a road (1839弄)

  void close_text() {
    const std::u32string_view t = trim(text);
    if (poi.empty() && t.size() >= 2 && !nearby_hint(t)) poi = t;
    text.clear();
  }

  void set_if_empty(std::string& field, std::u32string_view value) {
    if (field.empty()) field = upper(value);
  }

  // A number token (digits, maybe with -N groups) followed by s[j...]; returns the end.
  std::size_t number(std::u32string_view s, std::size_t i, std::size_t j, bool after_road) {
    const std::u32string_view tok = s.substr(i, j - i);
    std::size_t dashes = 0;
    for (char32_t c : tok) dashes += c == U'-';
    if (dashes == 2) {  // 3-2-301: building, unit, room
      const std::size_t d1 = tok.find(U'-'), d2 = tok.find(U'-', d1 + 1);
      close_text();
      set_if_empty(a.building, tok.substr(0, d1));
      set_if_empty(a.unit, tok.substr(d1 + 1, d2 - d1 - 1));
      set_if_empty(a.room, tok.substr(d2 + 1));
      return j + (j < s.size() && (s[j] == U'室' || s[j] == U'号') ? 1 : 0);
    }
    const char32_t m = j < s.size() ? s[j] : 0;
    auto marked = [&](std::string& field, std::size_t len) {
      close_text();
      set_if_empty(field, tok);
      return j + len;
    };
    switch (m) {
      case U'号':
        close_text();
        if (a.number.empty() && a.building.empty() && a.unit.empty() && a.room.empty()) {
          a.number = upper(tok);
          return j + 1 + (j + 1 < s.size() && s[j + 1] == U'院' ? 1 : 0);
        }
        set_if_empty(a.room, tok);
        return j + 1;
      case U'栋':
      case U'座':
        return marked(a.building, 1);
      case U'室':
      case U'房':
        return marked(a.room, 1);
      case U'楼':
      case U'层':
        return marked(a.floor, 1);
      case U'组':
        text.append(tok);
        text.push_back(m);
        return j + 1;
      case U'弄':
        close_text();
        if (road.empty() && a.road.empty()) {
          road.assign(tok);
          road.push_back(m);
        }
        return j + 1;
      default:
        break;
    }
    if (starts_with(s, j, U"单元")) return marked(a.unit, 2);
    const bool ends = j >= s.size() || is_separator(m) || m == U' ';
    if (!ends) {
      if (after_road && a.number.empty() && dashes == 0 && !is_letter(m)) {  // 建国路88SOHO
        a.number = upper(tok);
        return j;
      }
      text.append(tok);  // part of a name: 798艺术区
      return j;
    }
    close_text();
    const bool below_building = !a.building.empty() || !a.unit.empty() || !a.floor.empty();
    if (!below_building && a.number.empty()) {
      a.number = upper(tok);
    } else {
      set_if_empty(a.room, tok);
    }
    return j;
  }

  // An ASCII letter run; a building id at its end when 座/栋 follows (金地SOHOA座 -> A).
  std::size_t letters(std::u32string_view s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size() && is_alnum(s[j])) ++j;
    if (j < s.size() && (s[j] == U'座' || s[j] == U'栋')) {
      std::size_t k = j;
      while (k > i && is_digit(s[k - 1])) --k;
      if (k > i && is_letter(s[k - 1])) --k;
      if (k == j) k = j - 1;
      text.append(s.substr(i, k - i));
      close_text();
      set_if_empty(a.building, s.substr(k, j - k));
      return j + 1;
    }
    if (starts_with(s, j, U"单元") || (j < s.size() && (s[j] == U'室' || s[j] == U'层' || s[j] == U'楼'))) {
      close_text();
      std::string& field = s[j] == U'室' ? a.room : s[j] == U'单' ? a.unit : a.floor;
      set_if_empty(field, s.substr(i, j - i));
      return j + (s[j] == U'单' ? 2 : 1);
    }
    text.append(s.substr(i, j - i));
    return j;
  }
};

}  // namespace

namespace {

bool road_suffix_char(std::u32string_view s, std::size_t j) {
  if (j >= s.size()) return false;
  const char32_t c = s[j];
  return c == U'路' || c == U'街' || c == U'道' || c == U'巷' || c == U'弄' || starts_with(s, j, U"大道") ||
         starts_with(s, j, U"大街") || starts_with(s, j, U"胡同");
}

}  // namespace

bool continues_name(std::u32string_view s, std::size_t pos, bool after_parent) {
  std::size_t j = pos;
  const bool direction = j < s.size() && is_direction(s[j]);
  if (direction) ++j;
  const std::size_t digits = j;
  while (j < s.size() && (is_cn_numeral(s[j]) || is_digit(s[j]))) ++j;
  // 中山|五路 and 科技南|十二路 continue a name; 五四路, 八一路 are names of their own.
  const std::size_t run = j - digits;
  bool ordinal = run <= 1;
  for (std::size_t k = digits; k < j; ++k) ordinal = ordinal || s[k] == U'十' || s[k] == U'百';
  // After its parent, a district may be followed by a road that is only a direction and
  // a street suffix (西宁城中|南大街, 鼓楼|东街); 西路 alone is never a road.
  const bool own_street = after_parent && direction && run == 0 &&
                          (starts_with(s, j, U"大街") || starts_with(s, j, U"街") || starts_with(s, j, U"大道"));
  if (ordinal && !own_street && road_suffix_char(s, j)) return true;
  if (pos >= s.size()) return false;
  for (char32_t c : kStrictEndings) {
    if (s[pos] == c) return true;
  }
  if (pos >= s.size()) return false;
  for (std::u32string_view w : kNameEndings) {
    if (w.front() != s[pos] || !starts_with(s, pos, w)) continue;
    const std::size_t after = pos + w.size();
    for (std::size_t k = after; k < after + 3 && k < s.size(); ++k) {
      if (is_digit(s[k])) break;
      if (road_suffix_char(s, k)) return false;
    }
    return true;
  }
  return false;
}

void parse_street(std::u32string_view rest, Address& a) {
  std::u32string s, inner;
  split_brackets(rest, s, inner);

  // An unknown 街道 before the road is a town the dictionary lacks: skip it.
  std::size_t first = 0;
  while (first < s.size() && is_trim(s[first])) ++first;
  const std::size_t town_end = s.find(U"街道", first);
  std::size_t limit = s.size();
  for (std::size_t i = first; i < s.size(); ++i) {
    if (is_digit(s[i])) {
      limit = i;
      break;
    }
  }
  if (town_end != std::u32string::npos && town_end + 2 < limit && town_end >= first + 2 && town_end <= first + 8) {
    first = town_end + 2;
  }

  // The road: the first suffix before any digit, then lanes and sections.
  std::size_t pos = first;
  bool have_road = false;
  for (std::size_t i = first; i < limit; ++i) {
    const std::size_t len = road_suffix_at(s, i, first);
    if (len == 0) continue;
    std::size_t end = i + len;
    for (std::size_t ext; (ext = road_extension_at(s, end)) > 0;) end += ext;
    a.road = encode(std::u32string_view(s).substr(first, end - first));
    pos = end;
    if (pos < s.size() && s[pos] == U'口') ++pos;  // 中山路口
    have_road = true;
    break;
  }

  Reader r{a, {}, {}, {}};
  bool after_road = have_road;
  while (pos < s.size()) {
    const char32_t c = s[pos];
    if (is_digit(c)) {
      std::size_t j = pos;
      while (j < s.size() && (is_digit(s[j]) || (s[j] == U'-' && j + 1 < s.size() && is_digit(s[j + 1]) && j > pos))) ++j;
      pos = r.number(s, pos, j, after_road);
    } else if (is_letter(c)) {
      pos = r.letters(s, pos);
    } else if (is_separator(c)) {
      r.close_text();
      ++pos;
    } else {
      r.text.push_back(c);
      ++pos;
    }
    after_road = false;
  }
  r.close_text();
  if (a.road.empty() && !r.road.empty()) a.road = encode(r.road);
  if (r.poi.empty()) {
    const std::u32string_view t = trim(inner);
    if (t.size() >= 2 && !nearby_hint(t)) r.poi = t;
  }
  a.poi = upper(r.poi);
}

}  // namespace mgeo::address::detail
