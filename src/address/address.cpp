// Address: field access, names of the enums, and the JSON form `parse` prints.
#include "mgeo/address/address.h"

#include <nlohmann/json.hpp>

namespace mgeo::address {

const char* field_name(Field f) {
  switch (f) {
    case Field::province: return "province";
    case Field::city: return "city";
    case Field::district: return "district";
    case Field::town: return "town";
    case Field::road: return "road";
    case Field::number: return "number";
    case Field::poi: return "poi";
    case Field::building: return "building";
    case Field::unit: return "unit";
    case Field::floor: return "floor";
    case Field::room: return "room";
  }
  return "?";
}

const char* status_name(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::empty_address: return "empty_address";
    case Status::invalid_utf8: return "invalid_utf8";
    case Status::nul_byte: return "nul_byte";
  }
  return "?";
}

const char* resolution_name(Resolution r) {
  switch (r) {
    case Resolution::none: return "none";
    case Resolution::resolved: return "resolved";
    case Resolution::ambiguous: return "ambiguous";
  }
  return "?";
}

const std::string& Address::get(Field f) const { return const_cast<Address*>(this)->get(f); }

std::string& Address::get(Field f) {
  switch (f) {
    case Field::province: return province;
    case Field::city: return city;
    case Field::district: return district;
    case Field::town: return town;
    case Field::road: return road;
    case Field::number: return number;
    case Field::poi: return poi;
    case Field::building: return building;
    case Field::unit: return unit;
    case Field::floor: return floor;
    case Field::room: return room;
  }
  return room;  // not reached: every Field is listed above
}

std::string to_json(std::string_view text, const Address& a) {
  nlohmann::ordered_json j;
  // Invalid UTF-8 cannot go into JSON as is: its bytes are replaced (the status says so).
  j["text"] = std::string(text);
  for (Field f : kFields) j[field_name(f)] = a.get(f);
  j["code"] = a.code == 0 ? std::string() : std::to_string(a.code);
  j["resolution"] = resolution_name(a.resolution);
  if (!a.district_candidates.empty()) {
    auto& c = j["district_candidates"] = nlohmann::ordered_json::array();
    for (uint64_t code : a.district_candidates) c.push_back(std::to_string(code));
  }
  auto& inferred = j["inferred"] = nlohmann::ordered_json::array();
  if (a.inferred & kProvinceInferred) inferred.push_back("province");
  if (a.inferred & kCityInferred) inferred.push_back("city");
  if (a.inferred & kDistrictInferred) inferred.push_back("district");
  j["status"] = status_name(a.status);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace mgeo::address
