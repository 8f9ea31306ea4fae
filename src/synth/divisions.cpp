#include "mgeo/synth/divisions.h"

#include <cstdlib>
#include <string>
#include <unordered_map>

#include "csv_rows.h"
#include "mgeo/util/error.h"

namespace mgeo::synth {
namespace {

using detail::CsvRows;
using Index = std::unordered_map<uint64_t, int32_t>;

int32_t parent(const CsvRows& rows, const Index& index, std::size_t column, std::string_view what) {
  const uint64_t code = rows.code(column);
  const auto it = index.find(code);
  if (it == index.end()) rows.fail(fmt::format("unknown {} code {}", what, code));
  return it->second;
}

void add_code(CsvRows& rows, Index& index, uint64_t code, int32_t i) {
  if (!index.emplace(code, i).second) rows.fail(fmt::format("duplicate code {}", code));
}

std::string name_field(const CsvRows& rows) {
  const std::string_view name = rows.fields()[1];
  if (name.empty()) rows.fail("empty name");
  return std::string(name);
}

}  // namespace

std::string default_divisions_dir() {
  const char* env = std::getenv("MGEO_DIVISIONS");
  if (env != nullptr && *env != '\0') return env;
  return MGEO_SOURCE_DIR "/data/divisions";
}

Divisions Divisions::load(const std::string& dir, const DivisionsOptions& options) {
  Divisions d;
  Index prov_ix, city_ix, area_ix, street_ix;

  {
    CsvRows rows(dir + "/provinces.csv", "code,name");
    while (rows.next()) {
      Province p;
      p.code = rows.code(0);
      p.name = name_field(rows);
      p.short_name = short_province_name(p.name);
      add_code(rows, prov_ix, p.code, static_cast<int32_t>(d.provinces_.size()));
      d.provinces_.push_back(std::move(p));
    }
  }
  {
    CsvRows rows(dir + "/cities.csv", "code,name,provinceCode");
    while (rows.next()) {
      City c;
      c.code = rows.code(0);
      c.raw_name = name_field(rows);
      c.province = parent(rows, prov_ix, 2, "province");
      const Province& p = d.provinces_[c.province];
      if (c.raw_name == "市辖区" || c.raw_name == "县") {
        c.name = p.name;  // a municipality: the city is the province itself
        c.short_name = p.short_name;
      } else if (c.raw_name.find("直辖县级行政区划") == std::string::npos) {  // 省/自治区直辖...
        c.name = c.raw_name;
        c.short_name = short_city_name(c.name);
      }
      const auto i = static_cast<int32_t>(d.cities_.size());
      add_code(rows, city_ix, c.code, i);
      d.provinces_[c.province].cities.push_back(i);
      d.cities_.push_back(std::move(c));
    }
  }
  {
    CsvRows rows(dir + "/areas.csv", "code,name,cityCode,provinceCode");
    while (rows.next()) {
      Area a;
      a.code = rows.code(0);
      a.name = name_field(rows);
      a.short_name = short_area_name(a.name);
      a.city = parent(rows, city_ix, 2, "city");
      a.province = parent(rows, prov_ix, 3, "province");
      if (d.cities_[a.city].province != a.province) rows.fail("city and province codes disagree");
      const auto i = static_cast<int32_t>(d.areas_.size());
      add_code(rows, area_ix, a.code, i);
      d.cities_[a.city].areas.push_back(i);
      d.areas_.push_back(std::move(a));
    }
  }
  {
    CsvRows rows(dir + "/streets.csv", "code,name,areaCode,provinceCode,cityCode");
    while (rows.next()) {
      Street s;
      s.code = rows.code(0);
      s.name = name_field(rows);
      s.area = parent(rows, area_ix, 2, "area");
      const auto i = static_cast<int32_t>(d.streets_.size());
      add_code(rows, street_ix, s.code, i);
      d.areas_[s.area].streets.push_back(i);
      d.streets_.push_back(std::move(s));
    }
  }
  if (options.communities) {
    CsvRows rows(dir + "/villages.csv.gz", "code,name,streetCode,provinceCode,cityCode,areaCode");
    uint64_t last_code = 0;
    int32_t last_area = -1;
    while (rows.next()) {
      ++d.villages_read_;
      const uint64_t code = rows.code(5);
      if (code != last_code || last_area < 0) {  // rows come grouped by area: one lookup per group
        last_area = parent(rows, area_ix, 5, "area");
        last_code = code;
      }
      std::string name = community_name(rows.fields()[1]);
      if (name.empty()) continue;
      d.areas_[last_area].communities.push_back(std::move(name));
      ++d.communities_;
    }
  }
  MGEO_CHECK(!d.provinces_.empty() && !d.areas_.empty(), "{}: no provinces or areas", dir);
  return d;
}

}  // namespace mgeo::synth
