// Rendering an Address in one surface form.
#include <fmt/format.h>

#include <array>
#include <string>

#include "mgeo/synth/address.h"
#include "mgeo/util/utf8.h"

namespace mgeo::synth {
namespace {

constexpr std::array<std::string_view, 10> kDigits = {"零", "一", "二", "三", "四",
                                                      "五", "六", "七", "八", "九"};
constexpr std::array<std::string_view, 4> kNumberedForms = {"号楼", "栋", "幢", "座"};
constexpr std::array<std::string_view, 2> kLetteredForms = {"座", "栋"};

std::string number_text(int32_t n, bool chinese) {
  if (chinese && n >= 1 && n <= 99) return chinese_number(n);
  return std::to_string(n);
}

void lower_ascii(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

}  // namespace

std::string Address::road() const {
  std::string r(road_stems().at(static_cast<std::size_t>(road_stem)));
  if (direction >= 0) r += road_directions().at(static_cast<std::size_t>(direction));
  r += road_suffixes().at(static_cast<std::size_t>(road_suffix));
  return r;
}

bool Address::operator==(const Address& o) const {
  return area == o.area && street == o.street && road_stem == o.road_stem && direction == o.direction &&
         road_suffix == o.road_suffix && number == o.number && complex == o.complex && office == o.office &&
         building == o.building && unit == o.unit && room == o.room;
}

std::string chinese_number(int32_t n) {
  if (n < 1 || n > 99) return std::to_string(n);
  const int32_t tens = n / 10, ones = n % 10;
  std::string out;
  if (tens > 1) out += kDigits[static_cast<std::size_t>(tens)];
  if (tens > 0) out += "十";
  if (ones > 0) out += kDigits[static_cast<std::size_t>(ones)];
  return out;
}

std::string to_fullwidth(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (alnum) {
      utf8::append(out, static_cast<char32_t>(c) + 0xFEE0);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string render(const Divisions& d, const Address& a, const Style& s) {
  const Area& area = d.areas()[static_cast<std::size_t>(a.area)];
  const Province& prov = d.province_of(area);
  const City& city = d.city_of(area);
  std::string out;
  out.reserve(96);
  auto ascii_letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  auto part = [&](std::string_view text) {
    if (text.empty()) return;
    // A space keeps two runs of letters apart (金地SOHO A座, not 金地SOHOA座).
    const bool glued = !out.empty() && ascii_letter(out.back()) && ascii_letter(text.front());
    if ((s.spaces || glued) && !out.empty()) out.push_back(' ');
    out.append(text);
  };
  const bool municipality = city.name == prov.name;
  if (municipality) {
    if (s.province || s.city) part(s.short_names ? prov.short_name : prov.name);
  } else {
    if (s.province) part(s.short_names ? prov.short_name : prov.name);
    if (s.city) part(s.short_names ? city.short_name : city.name);
  }
  part(s.short_names ? area.short_name : area.name);
  if (s.street && a.street >= 0) part(d.streets()[static_cast<std::size_t>(a.street)].name);
  part(a.road() + number_text(a.number, s.chinese_numerals) + "号");
  if (s.complex) part(a.complex);
  if (a.building > 0) {
    if (a.office) {
      const char letter = static_cast<char>('A' + (a.building - 1) % 26);
      part(std::string(1, letter) + std::string(kLetteredForms[s.building_form % kLetteredForms.size()]));
    } else {
      part(number_text(a.building, s.chinese_numerals) +
           std::string(kNumberedForms[s.building_form % kNumberedForms.size()]));
    }
  }
  std::string rest;
  if (a.unit > 0) rest += number_text(a.unit, s.chinese_numerals) + "单元";
  if (a.room > 0) rest += std::to_string(a.room) + (s.room_suffix ? "室" : "");
  part(rest);
  if (s.lowercase) lower_ascii(out);
  return s.fullwidth ? to_fullwidth(out) : out;
}

}  // namespace mgeo::synth
