#include "decide_stage.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "mgeo/util/error.h"

namespace mgeo::align::detail {
namespace {

std::string format_score(float v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

}  // namespace

std::string found_by_names(uint8_t found_by) {
  std::string out;
  for (int b = 0; b < link::kPassCount; ++b) {
    if ((found_by & (1u << b)) == 0) continue;
    if (!out.empty()) out += '+';
    out += link::pass_name(b);
  }
  return out;
}

LinkDecider::LinkDecider(const AddressTable& queries, const AddressTable& masters, const CandidateLists& candidates,
                         const address::Parser& parser, const link::Vetoes& vetoes, float threshold,
                         io::TableWriter& links, io::TableWriter* candidate_rows)
    : queries_(queries),
      masters_(masters),
      cands_(candidates),
      parser_(parser),
      vetoes_(vetoes),
      threshold_(threshold),
      links_(links),
      candidate_rows_(candidate_rows) {
  MGEO_CHECK(candidates.queries() == queries.size(), "link: {} candidate lists for {} queries", candidates.queries(),
             queries.size());
}

void LinkDecider::open(const std::vector<std::string>& labels, int score_label) { scores_.open(labels, score_label); }

void LinkDecider::take(const io::ScoreTable& block) {
  const auto received = static_cast<int64_t>(scores_.size() + block.ids.size());
  MGEO_CHECK(received <= cands_.pairs(), "link: {} scores for {} candidate pairs", received, cands_.pairs());
  scores_.append(block);
  while (next_query_ < queries_.size() && cands_.end(next_query_) <= received) write_query(next_query_++);
}

void LinkDecider::finish() {
  MGEO_CHECK(static_cast<int64_t>(scores_.size()) == cands_.pairs(), "link: {} of {} candidate pairs were scored",
             scores_.size(), cands_.pairs());
  while (next_query_ < queries_.size()) write_query(next_query_++);
}

void LinkDecider::write_query(std::size_t q) {
  ++counts_.queries;
  const int64_t begin = cands_.begin(q), end = cands_.end(q);
  const auto n = static_cast<std::size_t>(end - begin);
  counts_.pairs += static_cast<int64_t>(n);
  std::vector<float> scores(scores_.score.begin() + begin, scores_.score.begin() + end);

  // Parse the query once and each master only when the decision asks for it.
  std::optional<address::Address> query;
  std::vector<std::optional<address::Comparison>> cmp(n);
  auto compare_with = [&](std::size_t i) -> const address::Comparison& {
    if (!cmp[i]) {
      if (!query) query = parser_.parse(queries_.addresses[q]);
      ++counts_.parsed_masters;
      cmp[i] = address::compare(*query, parser_.parse(masters_.addresses[cands_.row[static_cast<std::size_t>(begin) + i]]));
    }
    return *cmp[i];
  };
  link::Decision d;
  if (!queries_.ok(q)) {
    d.reason = link::Reason::flagged;
  } else {
    d = link::decide(scores, threshold_, [&](std::size_t i) { return link::veto(compare_with(i), vetoes_); });
  }
  ++counts_.reasons[static_cast<std::size_t>(d.reason)];

  auto master_of = [&](int64_t i) -> const std::string& {
    return masters_.ids[cands_.row[static_cast<std::size_t>(begin + i)]];
  };
  // The comparison shown: best's, or the top candidate's when every candidate was vetoed.
  int64_t shown = d.best;
  if (shown < 0 && n > 0 && queries_.ok(q)) {
    shown = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (scores[i] > scores[static_cast<std::size_t>(shown)]) shown = static_cast<int64_t>(i);
  }
  if (d.linked) {
    ++counts_.links;
    const uint8_t found = cands_.found_by[static_cast<std::size_t>(begin + d.best)];
    for (int b = 0; b < link::kPassCount; ++b)
      if (found & (1u << b)) ++counts_.linked_found_by[static_cast<std::size_t>(b)];
  }

  const std::string empty;
  cells_.clear();
  cells_.push_back(queries_.ids[q]);
  cells_.push_back(d.linked ? master_of(d.best) : empty);
  cells_.push_back(d.best >= 0 ? format_score(scores[static_cast<std::size_t>(d.best)]) : empty);
  cells_.push_back(d.best >= 0 ? scores_.label_name(static_cast<std::size_t>(begin + d.best)) : empty);
  cells_.push_back(d.second >= 0 ? master_of(d.second) : empty);
  cells_.push_back(d.second >= 0 ? format_score(scores[static_cast<std::size_t>(d.second)]) : empty);
  cells_.push_back(d.best >= 0 ? master_of(d.best) : empty);
  for (const auto f : address::kFields)
    cells_.push_back(shown >= 0 ? address::match_name(compare_with(static_cast<std::size_t>(shown))[f]) : empty);
  cells_.push_back(link::reason_name(d.reason));
  cells_.push_back(io::status_name(queries_.status[q]));
  links_.add(std::vector<std::string_view>(cells_.begin(), cells_.end()));
  if (candidate_rows_) write_candidates(q);
}

void LinkDecider::write_candidates(std::size_t q) {
  const int64_t begin = cands_.begin(q), end = cands_.end(q);
  for (int64_t p = begin; p < end; ++p) {
    const auto i = static_cast<std::size_t>(p);
    cells_.clear();
    cells_.push_back(queries_.ids[q]);
    cells_.push_back(masters_.ids[cands_.row[i]]);
    cells_.push_back(std::to_string(p - begin + 1));
    cells_.push_back(fmt::format("{}", cands_.block_score[i]));
    cells_.push_back(format_score(scores_.score[i]));
    cells_.push_back(found_by_names(cands_.found_by[i]));
    candidate_rows_->add(std::vector<std::string_view>(cells_.begin(), cells_.end()));
  }
}

}  // namespace mgeo::align::detail
