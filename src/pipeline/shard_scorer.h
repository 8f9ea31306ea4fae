// The scoring of one rank's rows (internal to src/pipeline): normalizing and comparing
// addresses (--normalize, --explain), repeated pairs found per window, tokenizing, and
// the forward passes of length-sorted batches.
//
// Contract: a ShardScorer belongs to one rank and one thread at a time, except that
// prepare(rows, false) may run on a prefetch thread beside the forward pass; it only reads
// the options, tokenizer and parser it was given, which must outlive it.
#pragma once

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mgeo/address/compare.h"
#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"
#include "mgeo/io/pairs.h"
#include "mgeo/pipeline/batcher.h"
#include "mgeo/pipeline/data_parallel.h"
#include "mgeo/pipeline/metrics.h"
#include "mgeo/pipeline/score_job.h"
#include "mgeo/pipeline/scorer.h"
#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"
#include "watchdog.h"

namespace mgeo::pipeline::detail {

// With explain, a row's comparison is kFieldCount bytes: address::Match values, or
// kNoComparison for a row that is not scored.
constexpr uint8_t kNoComparison = 0xFF;
constexpr auto kCmpWidth = static_cast<int64_t>(address::kFieldCount);

// This rank's scored rows of one round, in input order.
struct ShardResult {
  std::vector<std::string> ids;
  std::vector<float> probs;      // rows * labels, when gathering from host memory
  torch::Tensor device_probs;    // [rows, labels] on the GPU, when gathering with NCCL
  std::vector<uint8_t> status;   // io::RowStatus values
  std::vector<uint8_t> cmp;      // with explain: rows * kCmpWidth comparison bytes
};

// Identical (addr1, addr2) pairs inside one window: the first is scored, the others copy it.
struct PairKey {
  std::string_view a, b;
  bool operator==(const PairKey& o) const { return a == o.a && b == o.b; }
};
struct PairKeyHash {
  size_t operator()(const PairKey& k) const {
    return std::hash<std::string_view>()(k.a) * 0x9E3779B97F4A7C15ULL ^ std::hash<std::string_view>()(k.b);
  }
};

class ShardScorer {
 public:
  ShardScorer(const ScoreJobOptions& o, const text::BertTokenizer& tok, Scorer& scorer, DataParallelScorer* dp,
              const address::Parser* parser, RankMetrics& m)
      : o_(o), tok_(tok), scorer_(scorer), dp_(dp), parser_(parser), m_(m) {
    batch_opts_.max_batch = o.batch_size;
    batch_opts_.token_budget = o.token_budget;
    batch_opts_.sort_by_length = o.sort_by_length;
  }

  // A piece read and tokenized, ready to score.
  struct Prepared {
    std::vector<io::PairRow> rows;
    std::vector<int64_t> first;
    std::vector<text::Encoding> encs;
    std::vector<uint8_t> cmp;  // with explain: rows * kCmpWidth
    double tokenize_s = 0;
  };

  // Compares and normalizes the addresses (with explain, normalize), finds repeated pairs
  // and tokenizes: on the intra-op threads (parallel), or on the calling thread only (for
  // a prefetch beside the forward pass). Touches no metrics.
  Prepared prepare(std::vector<io::PairRow> rows, bool parallel) const {
    Stopwatch sw;
    Prepared p;
    const auto n = static_cast<int64_t>(rows.size());
    if (parser_ != nullptr) p.cmp.assign(n * kCmpWidth, kNoComparison);
    if (parser_ != nullptr || o_.normalize) {
      auto rewrite = [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) rewrite_row(rows[i], parser_ ? &p.cmp[i * kCmpWidth] : nullptr);
      };
      if (parallel)
        at::parallel_for(0, n, 64, rewrite);
      else
        rewrite(0, n);
    }
    p.first = find_first(rows);
    p.encs.resize(n);
    auto encode = [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        if (rows[i].status == io::RowStatus::ok && p.first[i] == i)
          p.encs[i] = tok_.encode_pair(rows[i].addr1, rows[i].addr2, o_.max_length);
    };
    if (parallel)
      at::parallel_for(0, n, 256, encode);
    else
      encode(0, n);
    p.rows = std::move(rows);
    p.tokenize_s = sw.seconds();
    return p;
  }

  // Scores a prepared piece that starts on a multiple of sort_window in the input, so its
  // windows (and hence its batches) are the same whichever rank holds it.
  void score(Prepared p, ShardResult& out) {
    Stopwatch sw;
    m_.tokenize_s += p.tokenize_s;
    score_rows(p.rows, p.first, p.encs, out);
    m_.forward_s += sw.lap();
    for (auto& r : p.rows) {
      out.ids.push_back(std::move(r.id));
      out.status.push_back(static_cast<uint8_t>(r.status));
    }
    out.cmp.insert(out.cmp.end(), p.cmp.begin(), p.cmp.end());
  }

 private:
  // One row the reader did not flag: its comparison from the text as read (into `cmp`,
  // when given), then the text normalized (with normalize). A side that normalizes to
  // nothing (punctuation only, say) flags the row empty_address, uncompared.
  void rewrite_row(io::PairRow& row, uint8_t* cmp) const {
    if (row.status != io::RowStatus::ok) return;
    std::string a1, a2;
    if (o_.normalize) {
      a1 = address::normalize(row.addr1), a2 = address::normalize(row.addr2);
      if (io::is_blank(a1) || io::is_blank(a2)) {
        row.status = io::RowStatus::empty_address;
        row.addr1.clear(), row.addr2.clear();
        return;
      }
    }
    if (cmp != nullptr) {
      const auto c = address::compare(parser_->parse(row.addr1), parser_->parse(row.addr2));
      for (int f = 0; f < address::kFieldCount; ++f) cmp[f] = static_cast<uint8_t>(c.fields[f]);
    }
    if (o_.normalize) row.addr1 = std::move(a1), row.addr2 = std::move(a2);
  }

  // first[i]: the row of the chunk whose pair row i repeats (in its window), else i.
  std::vector<int64_t> find_first(const std::vector<io::PairRow>& rows) const {
    const auto n = static_cast<int64_t>(rows.size());
    std::vector<int64_t> first(n);
    std::iota(first.begin(), first.end(), 0);
    if (!o_.dedup) return first;
    std::unordered_map<PairKey, int64_t, PairKeyHash> seen;
    for (int64_t w = 0; w < n; w += o_.sort_window) {
      seen.clear();
      for (int64_t i = w; i < std::min(n, w + o_.sort_window); ++i) {
        if (rows[i].status != io::RowStatus::ok) continue;
        first[i] = seen.emplace(PairKey{rows[i].addr1, rows[i].addr2}, i).first->second;
      }
    }
    return first;
  }

  void score_rows(const std::vector<io::PairRow>& rows, const std::vector<int64_t>& first,
                  const std::vector<text::Encoding>& encs, ShardResult& out) {
    const int64_t labels = scorer_.num_labels();
    const auto n = static_cast<int64_t>(rows.size());
    const auto base = static_cast<int64_t>(out.ids.size());  // this chunk's first row in the round
    if (!out.device_probs.defined())
      out.probs.resize((base + n) * labels, std::numeric_limits<float>::quiet_NaN());
    std::vector<float> probs;
    std::vector<int64_t> ok_rows, repeats;
    std::vector<int32_t> lengths;
    for (int64_t w = 0; w < n; w += o_.sort_window) {
      ok_rows.clear(), lengths.clear(), repeats.clear();
      for (int64_t i = w; i < std::min(n, w + o_.sort_window); ++i) {
        if (rows[i].status != io::RowStatus::ok) continue;
        if (first[i] != i) {
          repeats.push_back(i);
          continue;
        }
        ok_rows.push_back(i);
        lengths.push_back(static_cast<int32_t>(encs[i].input_ids.size()));
      }
      BatchOptions opts = batch_opts_;
      opts.window = std::max<int64_t>(1, static_cast<int64_t>(lengths.size()));
      for (auto batch : plan_batches(lengths, opts)) {
        for (auto& r : batch.rows) {  // batch rows index ok_rows; map back to the chunk
          m_.tokens += lengths[r];
          r = ok_rows[r];
        }
        if (out.device_probs.defined()) {
          auto dst = torch::tensor(batch.rows, torch::kInt64).add_(base).to(out.device_probs.device());
          out.device_probs.index_copy_(0, dst, scorer_.score_batch_on_device(encs, batch));
        } else {
          probs.resize(batch.rows.size() * labels);
          if (dp_ != nullptr)
            dp_->score_batch(encs, batch, probs.data());
          else
            scorer_.score_batch(encs, batch, probs.data());
          for (size_t j = 0; j < batch.rows.size(); ++j)
            std::copy_n(&probs[j * labels], labels, &out.probs[(base + batch.rows[j]) * labels]);
        }
        m_.padded_tokens += static_cast<int64_t>(batch.rows.size()) * batch.max_len;
        ++m_.batches;
        heartbeat();
      }
      copy_repeats(repeats, first, base, out);
      m_.pairs += static_cast<int64_t>(ok_rows.size() + repeats.size());
      m_.repeats += static_cast<int64_t>(repeats.size());
    }
  }

  void copy_repeats(const std::vector<int64_t>& repeats, const std::vector<int64_t>& first, int64_t base,
                    ShardResult& out) {
    if (repeats.empty()) return;
    if (out.device_probs.defined()) {
      std::vector<int64_t> src, dst;
      for (int64_t i : repeats) src.push_back(base + first[i]), dst.push_back(base + i);
      const auto dev = out.device_probs.device();
      out.device_probs.index_copy_(0, torch::tensor(dst, torch::kInt64).to(dev),
                                   out.device_probs.index_select(0, torch::tensor(src, torch::kInt64).to(dev)));
      return;
    }
    const int64_t labels = scorer_.num_labels();
    for (int64_t i : repeats)
      std::copy_n(&out.probs[(base + first[i]) * labels], labels, &out.probs[(base + i) * labels]);
  }

  const ScoreJobOptions& o_;
  const text::BertTokenizer& tok_;
  Scorer& scorer_;
  DataParallelScorer* dp_;  // set: every batch is split over its replicas
  const address::Parser* parser_;  // set: explain
  RankMetrics& m_;
  BatchOptions batch_opts_;
};

}  // namespace mgeo::pipeline::detail
