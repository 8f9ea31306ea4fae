// mgeo/util/json_brief.h — a JSON value as an error message may quote it.
// Contract: pure; never recurses into the value, so a hostile, deeply nested value costs
// O(1) stack and at most ~80 bytes of message: scalars as written (long strings cut),
// arrays and objects as their type and size.
#pragma once

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mgeo {

inline std::string json_brief(const nlohmann::json& v) {
  if (v.is_array() || v.is_object()) return fmt::format("an {} of {} element(s)", v.type_name(), v.size());
  std::string s = v.dump();
  if (s.size() > 64) s = s.substr(0, 60) + "...";
  return s;
}

}  // namespace mgeo
