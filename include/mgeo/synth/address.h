// mgeo/synth/address.h — a structured synthetic address and its written forms.
//
// Contract: an Address names a place down to the room: area (and so city and province)
// and optional street/town from Divisions, a generated road and house number, an
// optional complex (office building, residential estate or real community), building,
// unit and room. render() writes it in one of many equivalent surface forms chosen by a
// Style (dropped province/city/street, short names, spaces, full-width characters,
// Chinese numerals, 3号楼/3栋/3幢/3座, ...); every form of one Address names the same
// place. Output is valid UTF-8 without tabs, line breaks or commas. Pure functions over
// immutable data; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/synth/divisions.h"

namespace mgeo::synth {

struct Address {
  int32_t area = -1;
  int32_t street = -1;      // index into Divisions::streets(), -1 for none
  int16_t road_stem = 0;    // index into road_stems()
  int8_t direction = -1;    // index into road_directions(), -1 for none
  int8_t road_suffix = 0;   // index into road_suffixes()
  int32_t number = 1;       // house number (号)
  std::string complex;      // 万科花园, 金地大厦, 多福巷社区; empty for none
  bool office = false;      // office complex: lettered towers (A座), rooms without units
  int32_t building = 0;     // 0 none; office: 1 = A, 2 = B, ...; else the building number
  int32_t unit = 0;         // 0 none
  int32_t room = 0;         // 0 none; 301, 1203

  std::string road() const;  // 中山东路
  bool operator==(const Address& o) const;
  bool operator!=(const Address& o) const { return !(*this == o); }
};

struct Style {
  bool province = true;          // write the province (a municipality is written once
  bool city = true;              //   when either is on)
  bool street = true;            // write the street/town when the address has one
  bool complex = true;           // write the complex name when the address has one
  bool short_names = false;      // 北京市朝阳区 -> 北京朝阳
  bool spaces = false;           // a space between components
  bool fullwidth = false;        // ASCII digits and letters as full-width (８号, Ａ座)
  bool lowercase = false;        // ASCII letters in lower case (soho, a座)
  bool chinese_numerals = false; // numbers below 100 in Chinese (八号, 三号楼, 二单元)
  uint8_t building_form = 0;     // numbered: 号楼, 栋, 幢, 座; lettered: 座, 栋 (modulo)
  bool room_suffix = true;       // 301室 or 301
};

std::string render(const Divisions& d, const Address& a, const Style& s);

// 1..99 in Chinese numerals (8 -> 八, 18 -> 十八, 20 -> 二十, 99 -> 九十九).
std::string chinese_number(int32_t n);
// ASCII digits and letters of `s` replaced by their full-width forms (U+FF10...).
std::string to_fullwidth(std::string_view s);

// The word lists the generator draws from.
const std::vector<std::string_view>& road_stems();        // 建国, 人民, 体育西, ...
const std::vector<std::string_view>& road_directions();   // 东 西 南 北 中
const std::vector<std::string_view>& road_suffixes();     // 路 街 大道 巷 道
const std::vector<std::string_view>& complex_prefixes();  // 万塘, 阳光, 金地, ...
const std::vector<std::string_view>& office_suffixes();   // 大厦, 广场, 中心, SOHO, ...
const std::vector<std::string_view>& home_suffixes();     // 花园, 小区, 家园, 苑, ...
// True when the stem already ends in a direction (体育西), so none is appended.
bool stem_has_direction(int stem);

}  // namespace mgeo::synth
