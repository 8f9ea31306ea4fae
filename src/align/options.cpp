#include "mgeo/align/options.h"

#include <nlohmann/json.hpp>

#include "mgeo/util/error.h"

namespace mgeo::align {

void check_align_options(const AlignOptions& o, const char* job) {
  MGEO_CHECK(o.top_k >= 1 && o.top_k <= 1000, "{}: --top-k must be in [1, 1000] (got {})", job, o.top_k);
  MGEO_CHECK(o.threshold >= 0.0f && o.threshold <= 1.0f, "{}: --threshold must be in [0, 1] (got {})", job,
             o.threshold);
  MGEO_CHECK(o.block.block_cap >= 1, "{}: --block-cap must be at least 1", job);
}

nlohmann::json options_json(const AlignOptions& o) {
  return {{"model", o.run.model_dir},
          {"top_k", o.top_k},
          {"threshold", o.threshold},
          {"vetoes",
           {{"district", o.vetoes.district}, {"road", o.vetoes.road}, {"number", o.vetoes.number},
            {"building", o.vetoes.building}}},
          {"normalize", o.run.normalize},
          {"block_cap", o.block.block_cap}};
}

}  // namespace mgeo::align
