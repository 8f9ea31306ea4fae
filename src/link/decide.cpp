#include "mgeo/link/decide.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mgeo::link {

const char* reason_name(Reason r) {
  switch (r) {
    case Reason::model: return "model";
    case Reason::veto_district: return "veto:district";
    case Reason::veto_road: return "veto:road";
    case Reason::veto_number: return "veto:number";
    case Reason::veto_building: return "veto:building";
    case Reason::below_threshold: return "below_threshold";
    case Reason::no_candidate: return "no_candidate";
    case Reason::flagged: return "flagged";
  }
  return "?";
}

Reason veto(const address::Comparison& c, const Vetoes& v) {
  using address::Field;
  using address::Match;
  auto conflict = [&](Field f) { return c[f] == Match::conflict; };
  if (v.district && (conflict(Field::province) || conflict(Field::city) || conflict(Field::district)))
    return Reason::veto_district;
  if (v.road && conflict(Field::road)) return Reason::veto_road;
  if (v.number && conflict(Field::number)) return Reason::veto_number;
  if (v.building && conflict(Field::building)) return Reason::veto_building;
  return Reason::model;
}

Decision decide(const std::vector<float>& scores, float threshold, const std::function<Reason(std::size_t)>& veto_of) {
  Decision d;
  if (scores.empty()) return d;
  auto key = [&](std::size_t i) { return std::isnan(scores[i]) ? -1.0f : scores[i]; };  // unscored: last, never linked
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  Reason first_veto = Reason::model;  // of the highest-scoring vetoed candidate that passed
  for (const std::size_t i : order) {
    const Reason r = veto_of(i);
    if (r != Reason::model) {
      if (first_veto == Reason::model && key(i) >= threshold) first_veto = r;
      continue;
    }
    if (d.best < 0) {
      d.best = static_cast<int64_t>(i);
    } else {
      d.second = static_cast<int64_t>(i);
      break;
    }
  }
  d.linked = d.best >= 0 && key(static_cast<std::size_t>(d.best)) >= threshold;
  d.reason = d.linked ? Reason::model : first_veto != Reason::model ? first_veto : Reason::below_threshold;
  return d;
}

}  // namespace mgeo::link
