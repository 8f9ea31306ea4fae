// mgeo/address/address.h — a Chinese address split into its parts.
//
// Contract: an Address is a plain value: the parts of one address as parse() found them
// (mgeo/address/parser.h). Every text field is empty when the address does not say it.
// Field conventions (the hand-written set in tests/address/data follows them):
//   province  full official name: 浙江省, 北京市, 广西壮族自治区
//   city      full official name: 杭州市, 恩施土家族苗族自治州, 锡林郭勒盟, 大兴安岭地区;
//             a municipality's city is the province's own name (北京市/北京市/朝阳区);
//             empty for a county-level city directly under its province (湖北省/""/仙桃市)
//   district  full official name of the county-level division: 朝阳区, 鄞州区, 忠县,
//             苏州工业园区, 石家庄高新技术产业开发区
//   town      full name of the 街道/镇/乡 from streets.csv: 西溪街道, 莘庄镇
//   road      as written after normalize(): 中山五路, 科技南十二路, 文一西路, 南锣鼓巷;
//             a lane or section that follows it is part of it: 七莘路1839弄, 人民南路三段
//   number    house number as ASCII digits with a -N suffix where written: 8, 768-4
//   poi       the community, building complex or landmark: SOHO现代城, 万科城市花园, 张家村3组
//   building  the building's id without its marker (号楼/栋/幢/座): 3, A, T1
//   unit      单元 number: 2;  floor  楼/层 number: 12;  room  室 number: 301, 1203
// ASCII letters in poi, building, unit, floor and room are upper-cased. province, city,
// district and town carry their division codes (0 when not resolved); `code` is the
// finest resolved one. Thread-safe as any value.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::address {

enum class Field : uint8_t { province, city, district, town, road, number, poi, building, unit, floor, room };
inline constexpr int kFieldCount = 11;
inline constexpr std::array<Field, kFieldCount> kFields = {
    Field::province, Field::city, Field::district, Field::town, Field::road, Field::number,
    Field::poi, Field::building, Field::unit, Field::floor, Field::room};
const char* field_name(Field f);  // "province", "city", ...

// What became of the text as a whole (the score job's row statuses, where they apply).
enum class Status : uint8_t { ok, empty_address, invalid_utf8, nul_byte };
const char* status_name(Status s);  // "ok", "empty_address", ...

// How far the administrative divisions were pinned down.
enum class Resolution : uint8_t {
  none,       // no division name was found
  resolved,   // the names found fit exactly one place (down to the finest one written)
  ambiguous,  // a name fits several places and nothing else in the address tells them apart
              // (朝阳区 alone: 北京 or 长春); the fields they share are kept, the others empty
};
const char* resolution_name(Resolution r);  // "none", "resolved", "ambiguous"

// Bits of Address::inferred: a division filled in from a finer one rather than written.
inline constexpr uint8_t kProvinceInferred = 1;
inline constexpr uint8_t kCityInferred = 2;
inline constexpr uint8_t kDistrictInferred = 4;  // from a town name, or a city with one district (东莞市)

struct Address {
  std::string province, city, district, town, road, number, poi, building, unit, floor, room;
  uint64_t province_code = 0, city_code = 0, district_code = 0, town_code = 0;
  uint64_t code = 0;  // the finest resolved division's code; 0 when none
  Status status = Status::ok;
  Resolution resolution = Resolution::none;
  uint8_t inferred = 0;
  // When ambiguous: the codes of the districts the address may be in (at most 16 kept),
  // so that compare() can tell "朝阳区" (北京 or 长春) from 天河区.
  std::vector<uint64_t> district_candidates;

  const std::string& get(Field f) const;
  std::string& get(Field f);
};

// One JSON object (no line break): every field, the codes, status, resolution and flags.
std::string to_json(std::string_view text, const Address& a);

}  // namespace mgeo::address
