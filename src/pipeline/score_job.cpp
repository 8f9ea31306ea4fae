#include "mgeo/pipeline/score_job.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "mgeo/dist/env.h"
#include "mgeo/dist/shard.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/score_writer.h"
#include "mgeo/model/loader.h"
#include "mgeo/pipeline/batcher.h"
#include "mgeo/pipeline/device.h"
#include "mgeo/pipeline/device_gather.h"
#include "mgeo/pipeline/metrics.h"
#include "mgeo/pipeline/scorer.h"
#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace mgeo::pipeline {
namespace {

torch::ScalarType pick_dtype(const std::string& precision) {
  if (precision == "fp32") return torch::kFloat32;
  if (precision == "fp16") return torch::kFloat16;
  if (precision == "bf16") return torch::kBFloat16;
  fail("--precision must be fp32, fp16 or bf16 (got '{}')", precision);
}

// auto: NCCL for CUDA scores on several ranks. One rank has nothing to exchange, and building
// an NCCL communicator costs ~0.8 s (measured on an H100), so it gathers from host memory.
bool use_nccl(const std::string& gather, const torch::Device& device, int ranks) {
  MGEO_CHECK(gather == "auto" || gather == "mpi" || gather == "nccl", "--gather must be auto, mpi or nccl (got '{}')",
             gather);
  if (gather == "mpi") return false;
  const bool possible = device.is_cuda() && nccl_gather_available();
  MGEO_CHECK(possible || gather == "auto", "--gather nccl needs --device cuda and a build with NCCL");
  return possible && (gather == "nccl" || ranks > 1);
}

int label_index(const std::vector<std::string>& labels, const std::string& name) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == name) return static_cast<int>(i);
  fail("score label '{}' is not one of the model's labels ({})", name, fmt::join(labels, ", "));
}

// Rank 0's progress line: its own shard stands in for the whole job (shards are balanced).
class Progress {
 public:
  Progress(bool on, int64_t total, double every) : on_(on), total_(total), every_(every) {}
  void update(int64_t done) {
    if (!on_ || every_ <= 0 || since_.seconds() < every_) return;
    since_.lap();
    const double rate = done / std::max(1e-9, clock_.seconds());
    const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
    fmt::print(stderr, "score: rank 0 {}/{} rows ({:.1f}%), {:.1f} pairs/s, ETA {:.0f}s\n", done, total_,
               100.0 * done / std::max<int64_t>(1, total_), rate, eta);
  }

 private:
  bool on_;
  int64_t total_;
  double every_;
  Stopwatch clock_, since_;
};

// This rank's scored shard, in input order.
struct ShardResult {
  std::vector<std::string> ids;
  std::vector<float> probs;      // rows * labels, when gathering from host memory
  torch::Tensor device_probs;    // [rows, labels] on the GPU, when gathering with NCCL
  std::vector<uint8_t> status;   // io::RowStatus values
};

class ShardScorer {
 public:
  ShardScorer(const ScoreJobOptions& o, const text::BertTokenizer& tok, Scorer& scorer, RankMetrics& m)
      : o_(o), tok_(tok), scorer_(scorer), m_(m) {
    batch_opts_.max_batch = o.batch_size;
    batch_opts_.token_budget = o.token_budget;
    batch_opts_.sort_by_length = o.sort_by_length;
    MGEO_CHECK(o.sort_window >= 1, "--sort-window must be >= 1 (got {})", o.sort_window);
  }

  // Scores `rows`, a chunk that starts on a multiple of sort_window in the input, so its
  // windows (and hence its batches) are the same whichever rank holds it.
  void add_chunk(std::vector<io::PairRow> rows, ShardResult& out) {
    Stopwatch sw;
    const auto n = static_cast<int64_t>(rows.size());
    std::vector<text::Encoding> encs(n);
    at::parallel_for(0, n, 256, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        if (rows[i].status == io::RowStatus::ok)
          encs[i] = tok_.encode_pair(rows[i].addr1, rows[i].addr2, o_.max_length);
    });
    m_.tokenize_s += sw.lap();
    score_rows(rows, encs, out);
    m_.forward_s += sw.lap();
    for (auto& r : rows) {
      out.ids.push_back(std::move(r.id));
      out.status.push_back(static_cast<uint8_t>(r.status));
    }
  }

 private:
  void score_rows(const std::vector<io::PairRow>& rows, const std::vector<text::Encoding>& encs,
                  ShardResult& out) {
    const int64_t labels = scorer_.num_labels();
    const auto n = static_cast<int64_t>(rows.size());
    const auto base = static_cast<int64_t>(out.ids.size());  // this chunk's first row in the shard
    if (!out.device_probs.defined())
      out.probs.resize((base + n) * labels, std::numeric_limits<float>::quiet_NaN());
    std::vector<float> probs;
    std::vector<int64_t> ok_rows;
    std::vector<int32_t> lengths;
    for (int64_t w = 0; w < n; w += o_.sort_window) {
      ok_rows.clear(), lengths.clear();
      for (int64_t i = w; i < std::min(n, w + o_.sort_window); ++i) {
        if (rows[i].status != io::RowStatus::ok) continue;
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
          scorer_.score_batch(encs, batch, probs.data());
          for (size_t j = 0; j < batch.rows.size(); ++j)
            std::copy_n(&probs[j * labels], labels, &out.probs[(base + batch.rows[j]) * labels]);
        }
        m_.padded_tokens += static_cast<int64_t>(batch.rows.size()) * batch.max_len;
        ++m_.batches;
      }
      m_.pairs += static_cast<int64_t>(ok_rows.size());
    }
  }

  const ScoreJobOptions& o_;
  const text::BertTokenizer& tok_;
  Scorer& scorer_;
  RankMetrics& m_;
  BatchOptions batch_opts_;
};

io::ScoreTable gather_table(const ShardResult& mine, const std::vector<std::string>& labels, int score_label,
                            const dist::Communicator& comm) {
  io::ScoreTable t;
  t.labels = labels;
  t.score_label = score_label;
  t.ids = comm.gather_strings(mine.ids, 0);
  t.probs = mine.device_probs.defined() ? nccl_gather_probs(mine.device_probs, comm, 0) : comm.gatherv(mine.probs, 0);
  const auto status = comm.gatherv(mine.status, 0);
  if (comm.rank() != 0) return t;
  t.status.reserve(status.size());
  for (uint8_t s : status) t.status.push_back(static_cast<io::RowStatus>(s));
  const auto dup = io::find_duplicates(t.ids);
  for (size_t i = 0; i < dup.size(); ++i)
    if (dup[i] && t.status[i] == io::RowStatus::ok) t.status[i] = io::RowStatus::duplicate_id;
  return t;
}

void write_report(const ScoreJobOptions& o, JobReport report, const io::ScoreTable& t) {
  for (auto s : t.status) ++report.status_counts[io::status_name(s)];
  const std::string path = o.metrics_path.empty() ? o.output + ".metrics.json" : o.metrics_path;
  std::ofstream f(path);
  MGEO_CHECK(f.good(), "cannot write metrics file {}", path);
  f << to_json(report).dump(2) << "\n";
  MGEO_CHECK(f.good(), "failed writing metrics file {}", path);
  if (o.quiet) return;
  for (const auto& m : report.ranks) fmt::print(stderr, "score: {}\n", format_rank_line(m));
  int64_t pairs = 0;
  for (const auto& m : report.ranks) pairs += m.pairs;
  fmt::print(stderr, "score: {} rows, {} pairs scored on {} rank(s) in {:.2f}s ({:.1f} pairs/s); flagged:",
             t.ids.size(), pairs, report.world, report.wall_s, pairs / std::max(1e-9, report.wall_s));
  for (const auto& [name, count] : report.status_counts)
    if (name != "ok") fmt::print(stderr, " {}={}", name, count);
  fmt::print(stderr, "\nscore: wrote {} and {}\n", o.output, path);
}

}  // namespace

io::ScoreTable score_pairs(const ScoreJobOptions& o, const dist::Communicator& comm, JobReport* report) {
  Stopwatch wall;
  RankMetrics m;
  m.rank = comm.rank();
  const int threads = o.threads > 0 ? o.threads : default_threads(comm);
  at::set_num_threads(threads);
  const torch::Device device = pick_device(o.device, comm);
  const torch::ScalarType dtype = pick_dtype(o.precision);

  Stopwatch sw;
  auto model = model::load_model_dir(o.model_dir, device, dtype);
  const auto tokenizer = text::BertTokenizer::from_model_dir(o.model_dir);
  const int score_label = label_index(model.config.id2label, o.score_label);
  io::ReadOptions ropts;
  ropts.max_field_bytes = o.max_field_bytes;
  auto source = io::PairSource::open(o.input, ropts);
  // Shards and chunks start on multiples of sort_window: batches do not depend on the world size.
  MGEO_CHECK(o.sort_window >= 1 && o.chunk_rows >= 1, "sort window and chunk rows must be positive");
  const auto shard = dist::shard_range_blocks(source->size(), comm.rank(), comm.size(), o.sort_window);
  const int64_t chunk_rows = (o.chunk_rows + o.sort_window - 1) / o.sort_window * o.sort_window;
  m.rows = shard.size();
  m.read_s += sw.lap();

  Scorer scorer(model.net, static_cast<int64_t>(model.config.id2label.size()), device);
  ShardScorer shard_scorer(o, tokenizer, scorer, m);
  ShardResult mine;
  if (use_nccl(o.gather, device, comm.size())) {
    const auto labels = static_cast<int64_t>(model.config.id2label.size());
    mine.device_probs = torch::full({shard.size(), labels}, std::numeric_limits<float>::quiet_NaN(),
                                    torch::TensorOptions().dtype(torch::kFloat32).device(device));
  }
  Progress progress(comm.rank() == 0 && !o.quiet, shard.size(), o.progress_seconds);
  for (const auto& chunk : dist::chunk_ranges(shard, chunk_rows)) {
    sw.lap();
    auto rows = source->read(chunk.begin, chunk.end);
    m.read_s += sw.lap();
    shard_scorer.add_chunk(std::move(rows), mine);
    progress.update(chunk.end - shard.begin);
  }
  source.reset();

  sw.lap();
  auto table = gather_table(mine, model.config.id2label, score_label, comm);
  m.gather_s = sw.lap();
  m.total_s = wall.seconds();

  const auto all = comm.gatherv(m.to_vector(), 0);
  if (comm.rank() != 0 || report == nullptr) return table;
  JobReport& r = *report;
  r.input = o.input, r.output = o.output, r.model = o.model_dir;
  r.device = device.str(), r.precision = o.precision;
  r.world = comm.size();
  r.batch_size = o.batch_size, r.max_length = o.max_length, r.threads = threads;
  r.ranks.clear();
  for (size_t k = 0; k * RankMetrics::kWidth < all.size(); ++k)
    r.ranks.push_back(RankMetrics::from_vector(&all[k * RankMetrics::kWidth]));
  r.wall_s = wall.seconds();
  return table;
}

void run_score_job(const ScoreJobOptions& o, const dist::Communicator& comm) {
  Stopwatch wall;
  JobReport report;
  const auto table = score_pairs(o, comm, &report);
  if (comm.rank() != 0) return;
  Stopwatch sw;
  io::write_scores(o.output, table);
  const double write_s = sw.seconds();
  for (auto& m : report.ranks) {
    if (m.rank != 0) continue;  // only rank 0 writes
    m.write_s = write_s;
    m.total_s += write_s;
  }
  report.wall_s = wall.seconds();
  write_report(o, std::move(report), table);
}

}  // namespace mgeo::pipeline
