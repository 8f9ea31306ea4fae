// mgeo/synth/divisions.h — China's administrative divisions, loaded from data/divisions/.
//
// Contract: Divisions::load reads provinces.csv, cities.csv, areas.csv, streets.csv and
// (optionally) villages.csv.gz from one directory and links every row to its parent by
// index. A missing file, a bad header, a malformed row or a dangling parent code throws
// mgeo::Error naming the file and line. Village rows become community names (社区/村)
// with committee suffixes (居委会, 村委会, ...) stripped; rows that make no usable name
// (虚拟社区, 生活区, 林场, ...) are counted but not kept. A loaded Divisions is
// immutable: concurrent reads from any number of threads are safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::synth {

struct Province {
  uint64_t code = 0;
  std::string name;        // 河北省, 北京市, 广西壮族自治区
  std::string short_name;  // 河北, 北京, 广西
  std::vector<int32_t> cities;
};

struct City {
  uint64_t code = 0;
  std::string raw_name;    // as in cities.csv: 石家庄市, 市辖区, 县, 省直辖县级行政区划
  std::string name;        // as written in an address: the province name for a municipality,
                           // empty for 省/自治区直辖县级行政区划 (its areas sit under the province)
  std::string short_name;  // 石家庄 (市 stripped when at least 2 characters remain)
  int32_t province = -1;
  std::vector<int32_t> areas;
};

struct Area {
  uint64_t code = 0;
  std::string name;        // 朝阳区, 忠县, 仙桃市
  std::string short_name;  // 朝阳, 忠县 (kept: 1 character would remain), 仙桃;
                           // names over 5 characters and banners (旗) are kept whole
  int32_t city = -1;
  int32_t province = -1;
  std::vector<int32_t> streets;
  std::vector<std::string> communities;  // 多福巷社区, 耿家庄村
};

struct Street {
  uint64_t code = 0;
  std::string name;  // 东华门街道, 长辛店镇
  int32_t area = -1;
};

struct DivisionsOptions {
  bool communities = true;  // read villages.csv.gz (the slow part, about 0.5 s)
};

class Divisions {
 public:
  static Divisions load(const std::string& dir, const DivisionsOptions& options = {});

  const std::vector<Province>& provinces() const { return provinces_; }
  const std::vector<City>& cities() const { return cities_; }
  const std::vector<Area>& areas() const { return areas_; }
  const std::vector<Street>& streets() const { return streets_; }
  int64_t villages_read() const { return villages_read_; }  // rows of villages.csv.gz
  int64_t communities() const { return communities_; }      // names kept from them

  // The area's province and city, for convenience.
  const Province& province_of(const Area& a) const { return provinces_[a.province]; }
  const City& city_of(const Area& a) const { return cities_[a.city]; }

 private:
  std::vector<Province> provinces_;
  std::vector<City> cities_;
  std::vector<Area> areas_;
  std::vector<Street> streets_;
  int64_t villages_read_ = 0;
  int64_t communities_ = 0;
};

// The directory Divisions are read from by default: $MGEO_DIVISIONS when set, else
// <source dir>/data/divisions.
std::string default_divisions_dir();

// A village committee name as a community name: "多福巷社区居委会" -> "多福巷社区",
// "南曹村委会" -> "南曹村", "耿家庄村村民委员会" -> "耿家庄村"; empty when it makes no
// usable name.
std::string community_name(std::string_view committee);

// Short forms used when an address drops administrative suffixes.
std::string short_province_name(std::string_view name);
std::string short_city_name(std::string_view name);
std::string short_area_name(std::string_view name);

}  // namespace mgeo::synth
