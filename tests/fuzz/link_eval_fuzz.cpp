// eval-link's readers (links, truth, candidates, clusters, entities): the input is the
// file, read as .csv and as .tsv by each; the links it yields are then measured against
// truth made from them.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "mgeo/eval/link_eval.h"
#include "mgeo/util/error.h"

namespace {

using namespace mgeo::eval;

void measure(const std::vector<LinkDecision>& links) {
  std::vector<LinkTruth> truth;
  for (const auto& l : links) truth.push_back({l.query_id, l.best_id});
  const auto m = compute_link_metrics(links, truth);
  FUZZ_CHECK(m.queries == static_cast<int64_t>(links.size()), "one query per link row");
  at_threshold(m, 0.5);
}

template <class F>
void attempt(F&& f) {
  try {
    f();
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
  }
}

void read_all(const std::string& path) {
  attempt([&] { measure(read_links(path)); });
  attempt([&] {
    const auto truth = read_link_truth(path);
    CandidateCounter counter(truth);
    read_candidates(path, counter);
    counter.finish();
  });
  attempt([&] { compute_cluster_metrics(read_clusters(path), read_entities(path)); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile csv("links.csv"), tsv("links.tsv");
  read_all(csv.write(data, size));
  read_all(tsv.write(data, size));
  return 0;
}
