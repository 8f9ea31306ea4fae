// mgeo/link/decide.h — the link decision for one query, from its scored candidates.
//
// Contract: pure functions, thread-safe.
// veto(c, vetoes) names the first switched-on veto that a part-by-part comparison of the
// query with a candidate triggers, in this order: district (the province, city or
// district conflict: 天河区 vs 越秀区), road (中山二路 vs 中山三路), number (8 vs 88),
// building (A座 vs B座); Reason::model when none does. A part one side lacks never vetoes.
// decide(scores, threshold, veto_of) walks the candidates from the highest score down
// (ties: the earlier candidate first) and asks veto_of(i) only as far as it must:
//   best     the highest-scoring candidate that no veto stops (-1 when every one is vetoed
//            or there is none); the query links to it when its score >= threshold;
//   second   the next such candidate (the runner-up; -1 when none);
//   reason   model (linked); else the veto of the highest-scoring vetoed candidate whose
//            score passed the threshold, when one did (veto:number: the model said match,
//            the house numbers differ); else below_threshold; no_candidate when the list
//            is empty.
// So `best` does not depend on the threshold, and a threshold sweep over best's score
// gives the decisions at every threshold (eval-link's calibration).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "mgeo/address/compare.h"

namespace mgeo::link {

struct Vetoes {
  bool district = true;  // province, city or district conflict
  bool road = true;
  bool number = true;
  bool building = true;
};

enum class Reason : uint8_t {
  model,            // linked: the best candidate passed the threshold
  veto_district,
  veto_road,
  veto_number,
  veto_building,
  below_threshold,  // no candidate that survived the vetoes passed the threshold
  no_candidate,     // blocking found nothing
  flagged,          // the row itself is bad (its status says why): not linked
};
inline constexpr int kReasonCount = 8;
const char* reason_name(Reason r);  // "model", "veto:district", ..., "no_candidate", "flagged"

Reason veto(const address::Comparison& c, const Vetoes& vetoes);

struct Decision {
  int64_t best = -1, second = -1;  // indices into the scores
  bool linked = false;
  Reason reason = Reason::no_candidate;
};

Decision decide(const std::vector<float>& scores, float threshold, const std::function<Reason(std::size_t)>& veto_of);

}  // namespace mgeo::link
