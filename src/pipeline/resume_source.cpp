#include "resume_source.h"

#include <unistd.h>

#include <algorithm>

#include "mgeo/util/fingerprint.h"

namespace mgeo::pipeline::detail {
namespace {

// The fingerprint of every row of `source` (ids, addresses, statuses), read in blocks.
uint64_t rows_fingerprint(io::PairSource& source) {
  uint64_t h = 0;
  constexpr int64_t kBlock = 1 << 16;
  for (int64_t b = 0; b < source.size(); b += kBlock) {
    for (const auto& r : source.read(b, std::min(source.size(), b + kBlock))) {
      h = hash_bytes(r.id, h);
      h = hash_bytes(r.addr1, h ^ 1);
      h = hash_bytes(r.addr2, h ^ 2);
      h ^= static_cast<uint64_t>(r.status) + 3;
    }
  }
  return h;
}

}  // namespace

nlohmann::json journal_key(const ScoreJobOptions& o, const torch::Device& device, const std::vector<std::string>& labels,
                           io::PairSource& source, bool given) {
  nlohmann::json model = nlohmann::json::object();
  for (const char* name : {"config.json", "vocab.txt", "model.safetensors", "pytorch_model.bin"}) {
    const std::string path = o.model_dir + "/" + name;
    if (::access(path.c_str(), F_OK) == 0) model[name] = hex64(hash_file(path));
  }
  nlohmann::json result = {
      {"rows", source.size()},
      {"model", model},
      {"labels", labels},
      {"score_label", o.score_label},
      {"device", device.is_cuda() ? "cuda" : "cpu"},
      {"precision", o.precision},
      {"batch_size", o.batch_size},
      {"token_budget", o.token_budget},
      {"sort_window", o.sort_window},
      {"sort_by_length", o.sort_by_length},
      {"dedup", o.dedup},
      {"max_length", o.max_length},
      {"max_field_bytes", o.max_field_bytes},
      {"normalize", o.normalize},
      {"explain", o.explain},
  };
  if (given) {
    result["pairs"] = hex64(rows_fingerprint(source));
  } else {
    result["input"] = hex64(hash_file(o.input));
  }
  return {{"result", result}, {"info", {{"input", o.input}, {"output", o.output}, {"model_dir", o.model_dir}}}};
}


}  // namespace mgeo::pipeline::detail
