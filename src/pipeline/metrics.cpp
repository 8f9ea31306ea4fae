#include "mgeo/pipeline/metrics.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace mgeo::pipeline {

std::vector<double> RankMetrics::to_vector() const {
  return {static_cast<double>(rank), static_cast<double>(rows),   static_cast<double>(pairs),
          static_cast<double>(tokens), static_cast<double>(padded_tokens),
          static_cast<double>(batches), read_s, tokenize_s, forward_s, gather_s, write_s, total_s,
          static_cast<double>(repeats), wait_s, peak_rss_mb, start_rss_mb};
}

RankMetrics RankMetrics::from_vector(const double* v) {
  RankMetrics m;
  m.rank = static_cast<int>(v[0]);
  m.rows = static_cast<int64_t>(v[1]);
  m.pairs = static_cast<int64_t>(v[2]);
  m.tokens = static_cast<int64_t>(v[3]);
  m.padded_tokens = static_cast<int64_t>(v[4]);
  m.batches = static_cast<int64_t>(v[5]);
  m.read_s = v[6];
  m.tokenize_s = v[7];
  m.forward_s = v[8];
  m.gather_s = v[9];
  m.write_s = v[10];
  m.total_s = v[11];
  m.repeats = static_cast<int64_t>(v[12]);
  m.wait_s = v[13];
  m.peak_rss_mb = v[14];
  m.start_rss_mb = v[15];
  return m;
}

double RankMetrics::padding_fraction() const {
  return padded_tokens == 0 ? 0.0 : 1.0 - static_cast<double>(tokens) / padded_tokens;
}

double RankMetrics::pairs_per_s() const { return total_s > 0 ? pairs / total_s : 0.0; }

nlohmann::json to_json(const JobReport& r) {
  nlohmann::json ranks = nlohmann::json::array();
  int64_t pairs = 0, tokens = 0, padded = 0, rows = 0, repeats = 0;
  double peak_rss_mb = 0;
  for (const auto& m : r.ranks) {
    pairs += m.pairs, tokens += m.tokens, padded += m.padded_tokens, rows += m.rows, repeats += m.repeats;
    peak_rss_mb = std::max(peak_rss_mb, m.peak_rss_mb);
    ranks.push_back({{"rank", m.rank}, {"rows", m.rows}, {"pairs", m.pairs}, {"tokens", m.tokens},
                     {"padded_tokens", m.padded_tokens}, {"padding_fraction", m.padding_fraction()},
                     {"batches", m.batches}, {"repeats", m.repeats}, {"read_s", m.read_s},
                     {"tokenize_s", m.tokenize_s}, {"forward_s", m.forward_s}, {"wait_s", m.wait_s},
                     {"gather_s", m.gather_s}, {"write_s", m.write_s}, {"seconds", m.total_s},
                     {"pairs_per_s", m.pairs_per_s()}, {"peak_rss_mb", m.peak_rss_mb},
                     {"start_rss_mb", m.start_rss_mb}});
  }
  const double pad = padded == 0 ? 0.0 : 1.0 - static_cast<double>(tokens) / padded;
  return {{"input", r.input},
          {"output", r.output},
          {"model", r.model},
          {"device", r.device},
          {"precision", r.precision},
          {"world", r.world},
          {"batch_size", r.batch_size},
          {"max_length", r.max_length},
          {"threads_per_rank", r.threads},
          {"sharding", r.sharding},
          {"rounds", r.rounds},
          {"chunk_rows", r.chunk_rows},
          {"normalize", r.normalize},
          {"explain", r.explain},
          {"resumed_rows", r.resumed_rows},
          {"repeats", repeats},
          {"repeat_fraction", pairs > 0 ? static_cast<double>(repeats) / pairs : 0.0},
          {"peak_rss_mb", peak_rss_mb},
          {"rows", rows},
          {"pairs", pairs},
          {"tokens", tokens},
          {"padded_tokens", padded},
          {"padding_fraction", pad},
          {"seconds", r.wall_s},
          {"pairs_per_s", r.wall_s > 0 ? pairs / r.wall_s : 0.0},
          {"status_counts", r.status_counts},
          {"ranks", ranks}};
}

std::string format_rank_line(const RankMetrics& m) {
  return fmt::format(
      "rank {:>3}: {:>9} rows {:>9} pairs {:>10.1f} pairs/s  padding {:>5.1f}%  "
      "read {:.2f}s tokenize {:.2f}s forward {:.2f}s wait {:.2f}s gather {:.2f}s  repeats {}  peak {:.0f} MiB "
      "({:.0f} at start)",
      m.rank, m.rows, m.pairs, m.pairs_per_s(), 100.0 * m.padding_fraction(), m.read_s, m.tokenize_s,
      m.forward_s, m.wait_s, m.gather_s, m.repeats, m.peak_rss_mb, m.start_rss_mb);
}

}  // namespace mgeo::pipeline
