#include "mgeo/pipeline/score_job.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "mgeo/address/compare.h"
#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"
#include "mgeo/dist/env.h"
#include "mgeo/dist/shard.h"
#include "mgeo/dist/work_queue.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/format.h"
#include "mgeo/io/output_paths.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/score_writer.h"
#include "mgeo/model/int8.h"
#include "mgeo/model/loader.h"
#include "mgeo/pipeline/batch_profile.h"
#include "mgeo/pipeline/batcher.h"
#include "mgeo/pipeline/data_parallel.h"
#include "mgeo/pipeline/device.h"
#include "mgeo/pipeline/device_gather.h"
#include "mgeo/pipeline/metrics.h"
#include "mgeo/pipeline/scorer.h"
#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"
#include "mgeo/util/fingerprint.h"
#include "mgeo/util/seen_set.h"
#include "mgeo/util/timer.h"
#include "dynamic_sharding.h"
#include "progress.h"
#include "round_sink.h"
#include "shard_scorer.h"
#include "piece_source.h"
#include "resume_source.h"
#include "watchdog.h"

namespace mgeo::pipeline {
namespace {

torch::ScalarType pick_dtype(const std::string& precision) {
  if (precision == "fp32") return torch::kFloat32;
  if (precision == "fp16") return torch::kFloat16;
  if (precision == "bf16") return torch::kBFloat16;
  if (precision == "int8") return torch::kFloat32;  // quantized after loading
  fail("--precision must be fp32, fp16, bf16 or int8 (got '{}')", precision);
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


using detail::kCmpWidth;
using detail::kNoComparison;
using detail::ShardResult;
using detail::ShardScorer;

using detail::Progress;
using detail::RoundSink;
using detail::score_dynamic;
using detail::ScoreRange;
using detail::WriterThread;
using detail::Watchdog;
using detail::heartbeat;
using detail::journal_key;
using detail::OffsetSource;
using detail::PieceSource;


double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // Linux reports KiB
}

void write_report(const ScoreJobOptions& o, const JobReport& report, int64_t rows) {
  const std::string path = metrics_file(o.metrics_path, o.output);
  io::write_file_atomic(path, to_json(report).dump(2) + "\n");
  if (o.quiet) return;
  for (const auto& m : report.ranks) fmt::print(stderr, "score: {}\n", format_rank_line(m));
  int64_t pairs = 0, repeats = 0;
  for (const auto& m : report.ranks) pairs += m.pairs, repeats += m.repeats;
  fmt::print(stderr,
             "score: {} rows, {} pairs scored on {} rank(s) in {:.2f}s ({:.1f} pairs/s; {} repeated pairs "
             "reused); {} sharding, {} round(s); flagged:",
             rows, pairs, report.world, report.wall_s, pairs / std::max(1e-9, report.wall_s), repeats,
             report.sharding, report.rounds);
  for (const auto& [name, count] : report.status_counts)
    if (name != "ok") fmt::print(stderr, " {}={}", name, count);
  fmt::print(stderr, "\nscore: wrote {} and {}\n", o.output, path);
}

bool use_prefetch(const std::string& prefetch, const torch::Device& device) {
  MGEO_CHECK(prefetch == "auto" || prefetch == "on" || prefetch == "off", "--prefetch must be auto, on or off (got '{}')",
             prefetch);
  return prefetch == "on" || (prefetch == "auto" && device.is_cuda());
}

// The job, with rank 0 handing each gathered round to `emit` in input order.
// `given`, when not null, supplies the rows instead of o.input.
void run_rounds(const ScoreJobOptions& o, const dist::Communicator& comm, JobReport* report,
                const std::function<void(const std::vector<std::string>& labels, int score_label)>& open,
                const RoundSink::Emit& emit, RankMetrics& m, io::PairSource* given = nullptr,
                std::unique_ptr<Journal>* keep = nullptr, bool escape_ids = false) {
  Stopwatch wall;
  m.rank = comm.rank();
  m.start_rss_mb = peak_rss_mb();
  const int threads = o.threads > 0 ? o.threads : default_threads(comm);
  at::set_num_threads(threads);
  const torch::Device device = pick_device(o.device, comm);
  const torch::ScalarType dtype = pick_dtype(o.precision);
  const bool dynamic = o.sharding == "dynamic";
  MGEO_CHECK(o.sharding == "cyclic" || o.sharding == "contiguous" || dynamic,
             "--sharding must be cyclic, contiguous or dynamic (got '{}')", o.sharding);

  Stopwatch sw;
  MGEO_CHECK(o.precision != "int8" || device.is_cpu(),
             "--precision int8 runs on the CPU (dynamic int8 linear layers); use fp16 or bf16 on {}", device.str());
  auto model = model::load_model_dir(o.model_dir, device, dtype);
  if (o.precision == "int8") {
    const auto engine = model::select_int8_engine();
    model.net->quantize_int8();
    if (comm.rank() == 0 && !o.quiet) fmt::print(stderr, "score: int8 linear layers ({} engine)\n", engine);
  }
  const auto tokenizer = text::BertTokenizer::from_model_dir(o.model_dir);
  model::check_inputs_fit(model, {static_cast<int64_t>(tokenizer.vocab().size()), o.model_dir + "/vocab.txt",
                                  o.max_length, "--max-length"});
  const int score_label = label_index(model.config.id2label, o.score_label);
  const auto labels = static_cast<int64_t>(model.config.id2label.size());
  io::ReadOptions ropts;
  ropts.max_field_bytes = o.max_field_bytes;
  std::unique_ptr<io::PairSource> owned = given ? nullptr : io::PairSource::open(o.input, ropts);
  io::PairSource* source = given ? given : owned.get();
  // Chunks start on multiples of sort_window: batches do not depend on the world size.
  MGEO_CHECK(o.sort_window >= 1, "--sort-window must be >= 1 (got {})", o.sort_window);
  MGEO_CHECK(o.chunk_rows >= 1, "--chunk-rows must be >= 1 (got {})", o.chunk_rows);
  // The journal: rank 0 opens it (replaying a matching one with resume); every rank then
  // scores only the rows after the journal's, which start on a sort window boundary.
  std::unique_ptr<Journal> journal;
  int64_t skip = 0;
  if (!o.journal_path.empty() && comm.rank() == 0) {
    journal = std::make_unique<Journal>(o.journal_path, journal_key(o, device, model.config.id2label, *source, given),
                                        o.resume);
    skip = journal->rows();
    MGEO_CHECK(skip <= source->size() && (skip % o.sort_window == 0 || skip == source->size()),
               "{}: the journal holds {} rows, which is not a round boundary of this job's {} rows", journal->path(),
               skip, source->size());
    if (!o.quiet && skip > 0)
      fmt::print(stderr, "score: resuming after {} of {} rows ({} rounds) kept in {}\n", skip, source->size(),
                 journal->records(), journal->path());
    if (!o.quiet && journal->discarded_rows() > 0)
      fmt::print(stderr, "score: {} held {} rows of an unfinished run; starting over (--resume continues such a run)\n",
                 journal->path(), journal->discarded_rows());
    io::set_interrupt_note(fmt::format(
        "mgeo-dist: interrupted; the finished rounds are kept in {}: rerun the same command with --resume to "
        "continue\n",
        journal->path()));
  }
  if (!o.journal_path.empty()) skip = comm.allreduce_max(skip);
  // A job that fails with rounds in its journal says how to continue it.
  struct ResumeNote {
    const std::unique_ptr<Journal>& journal;
    bool quiet;
    ~ResumeNote() {
      if (std::uncaught_exceptions() > 0 && journal && journal->rows() > 0 && !quiet)
        fmt::print(stderr, "score: {} rows are kept in {}: once the cause is fixed, rerun the same command with "
                           "--resume to continue\n", journal->rows(), journal->path());
    }
  } resume_note{journal, o.quiet};
  std::optional<OffsetSource> rest;
  if (skip > 0) source = &rest.emplace(*source, skip);
  const int64_t n = source->size();
  // dynamic: at least about 8 chunks per rank, so that ranks can even out their loads.
  const int64_t per_rank8 = std::max<int64_t>(1, (n + 8 * comm.size() - 1) / (8 * comm.size()));
  const auto plan = o.sharding == "contiguous" ? dist::plan_rounds(n, comm.size(), std::max<int64_t>(1, n), o.sort_window)
                    : dynamic ? dist::plan_rounds(n, comm.size(), std::min(o.chunk_rows, per_rank8), o.sort_window)
                              : dist::plan_rounds(n, comm.size(), o.chunk_rows, o.sort_window);
  const int64_t read_rows = (o.chunk_rows + o.sort_window - 1) / o.sort_window * o.sort_window;
  m.read_s += sw.lap();

  Scorer scorer(model.net, labels, device);
  MGEO_CHECK(o.dp >= 1, "--dp must be >= 1 (got {})", o.dp);
  std::unique_ptr<DataParallelScorer> dp;
  if (o.dp > 1) dp = std::make_unique<DataParallelScorer>(model.net, labels, device, o.dp, std::max(1, threads / o.dp));
  const auto profiler = open_batch_profiler(o.profile_batches, device, comm.rank(), comm.size(), dp != nullptr, o.quiet);
  scorer.set_profiler(profiler.get());
  std::optional<address::Parser> parser;  // one per rank, only to explain
  if (o.explain) {
    sw.lap();
    parser.emplace(address::Parser::from_directory(o.divisions_dir));
    m.read_s += sw.lap();
  }
  ShardScorer shard_scorer(o, tokenizer, scorer, dp.get(), parser ? &*parser : nullptr, m);
  std::unique_ptr<DeviceGather> device_gather;  // results stay on the GPU until gathered
  if (!dynamic && !dp && use_nccl(o.gather, device, comm.size())) device_gather = std::make_unique<DeviceGather>(comm);
  std::optional<RoundSink> sink;
  std::map<std::string, int64_t> counts;
  Watchdog watchdog(o.stall_timeout_s, comm.rank(), "score");
  if (comm.rank() == 0) {
    open(model.config.id2label, score_label);
    auto record = [&](io::ScoreTable&& block) {
      if (journal) journal->append(block);
      emit(std::move(block));
    };
    sink.emplace(model.config.id2label, score_label, n + skip, o.explain, escape_ids, record);
    if (journal && skip > 0)
      journal->replay(model.config.id2label, score_label, o.explain ? explain_columns() : std::vector<std::string>(),
                      [&](io::ScoreTable&& block) {
                        sink->remember(block, counts);
                        emit(std::move(block));
                        heartbeat();
                      });
  }
  const bool prefetch = use_prefetch(o.prefetch, device);
  // Scores `range` into `part`, taking its pieces from `pieces` in order.
  auto score_pieces = [&](PieceSource& pieces, dist::Range range, ShardResult& part,
                          const std::function<void(int64_t)>& after_piece) {
    for (const auto& piece : dist::chunk_ranges(range, read_rows)) {
      shard_scorer.score(pieces.take(piece), part);
      heartbeat();
      after_piece(piece.size());
    }
  };
  if (dynamic) {  // the next chunk is known only once taken: each chunk is a sequence of its own
    auto score_range = [&](dist::Range range, ShardResult& part, const std::function<void(int64_t)>& after_piece) {
      PieceSource pieces(*source, shard_scorer, dist::chunk_ranges(range, read_rows), prefetch, m);
      score_pieces(pieces, range, part, after_piece);
    };
    score_dynamic(comm, plan, labels, score_range, sink ? &*sink : nullptr, counts, o, m);
  } else {
    int64_t mine_total = 0, done = 0;
    std::vector<dist::Range> order;  // this rank's pieces, in the order it scores them
    for (int64_t k = 0; k < plan.rounds; ++k) {
      mine_total += plan.of(k, comm.rank()).size();
      for (const auto& piece : dist::chunk_ranges(plan.of(k, comm.rank()), read_rows)) order.push_back(piece);
    }
    PieceSource pieces(*source, shard_scorer, std::move(order), prefetch, m);
    m.rows = mine_total;
    Progress progress(comm.rank() == 0 && !o.quiet, mine_total, o.progress_seconds);
    for (int64_t k = 0; k < plan.rounds; ++k) {
      const auto mine = plan.of(k, comm.rank());
      ShardResult part;
      if (device_gather)
        part.device_probs = torch::full({mine.size(), labels}, std::numeric_limits<float>::quiet_NaN(),
                                        torch::TensorOptions().dtype(torch::kFloat32).device(device));
      score_pieces(pieces, mine, part, [&](int64_t rows) { progress.update(done += rows); });
      sw.lap();
      comm.barrier();  // time spent here is imbalance, not transfer
      m.wait_s += sw.lap();
      auto ids = comm.gather_strings(part.ids, 0);
      auto probs = device_gather ? device_gather->gather(part.device_probs, 0) : comm.gatherv(part.probs, 0);
      const auto status = comm.gatherv(part.status, 0);
      const auto cmp = o.explain ? comm.gatherv(part.cmp, 0) : std::vector<uint8_t>();
      if (sink) sink->take(std::move(ids), std::move(probs), status, cmp, counts);  // id check, hand-off to the writer
      m.gather_s += sw.lap();
      heartbeat();
    }
  }
  rest.reset();
  owned.reset();
  if (profiler) {
    const auto line = profiler->finish();
    if (!o.quiet) fmt::print(stderr, "{}\n", line);
  }
  m.peak_rss_mb = peak_rss_mb();
  if (journal) {
    io::set_interrupt_note("");
    if (keep != nullptr)
      *keep = std::move(journal);
    else
      journal->remove();
  }
  m.total_s = wall.seconds();

  const auto all = comm.gatherv(m.to_vector(), 0);
  if (comm.rank() != 0 || report == nullptr) return;
  JobReport& r = *report;
  r.input = o.input, r.output = o.output, r.model = o.model_dir;
  r.device = device.str(), r.precision = o.precision, r.sharding = o.sharding;
  r.world = comm.size();
  r.rounds = dynamic ? plan.rounds * comm.size() : plan.rounds;  // dynamic: chunks, not rounds
  r.chunk_rows = plan.max_chunk();
  r.batch_size = o.batch_size, r.max_length = o.max_length, r.threads = threads;
  r.normalize = o.normalize, r.explain = o.explain;
  r.resumed_rows = skip;
  r.status_counts = counts;
  r.ranks.clear();
  for (size_t k = 0; k * RankMetrics::kWidth < all.size(); ++k)
    r.ranks.push_back(RankMetrics::from_vector(&all[k * RankMetrics::kWidth]));
  r.wall_s = wall.seconds();
}

}  // namespace

std::string metrics_file(const std::string& metrics_path, const std::string& output) {
  return metrics_path.empty() ? output + ".metrics.json" : metrics_path;
}

std::vector<std::string> explain_columns() {
  std::vector<std::string> names;
  for (const auto f : address::kFields) names.push_back(std::string("cmp_") + address::field_name(f));
  return names;
}

void score_stream(const ScoreJobOptions& o, const dist::Communicator& comm, JobReport* report, io::PairSource* source,
                  const std::function<void(const std::vector<std::string>& labels, int score_label)>& open,
                  const std::function<void(io::ScoreTable&&)>& emit, std::unique_ptr<Journal>* journal) {
  RankMetrics m;
  run_rounds(o, comm, report, open, emit, m, source, journal);
}

io::ScoreTable score_pairs(const ScoreJobOptions& o, const dist::Communicator& comm, JobReport* report) {
  io::ScoreTable table;
  RankMetrics m;
  run_rounds(
      o, comm, report,
      [&](const std::vector<std::string>& labels, int score_label) {
        table.labels = labels;
        table.score_label = score_label;
        if (o.explain) table.extra_columns = explain_columns();
      },
      [&](io::ScoreTable&& block) {
        table.ids.insert(table.ids.end(), std::make_move_iterator(block.ids.begin()),
                         std::make_move_iterator(block.ids.end()));
        table.probs.insert(table.probs.end(), block.probs.begin(), block.probs.end());
        table.status.insert(table.status.end(), block.status.begin(), block.status.end());
        table.extra.insert(table.extra.end(), std::make_move_iterator(block.extra.begin()),
                           std::make_move_iterator(block.extra.end()));
      },
      m);
  return table;
}

void run_score_job(const ScoreJobOptions& opts, const dist::Communicator& comm) {
  ScoreJobOptions o = opts;
  if (o.journal) o.journal_path = journal_file(o.output);
  MGEO_CHECK(!o.resume || o.journal, "--resume needs the journal (drop --no-journal)");
  io::check_outputs({{"--input", o.input}},
                    {{"--output", o.output}, {"--metrics", metrics_file(o.metrics_path, o.output)}});
  JobReport report;
  std::unique_ptr<Journal> journal;
  RankMetrics m;
  std::unique_ptr<io::ScoreWriter> writer;
  std::unique_ptr<WriterThread> thread;
  run_rounds(
      o, comm, &report,
      [&](const std::vector<std::string>& labels, int score_label) {
        writer = std::make_unique<io::ScoreWriter>(o.output, labels, score_label,
                                                   o.explain ? explain_columns() : std::vector<std::string>());
        thread = std::make_unique<WriterThread>(*writer);
      },
      [&](io::ScoreTable&& block) { thread->push(std::move(block)); }, m, nullptr, &journal,
      io::format_of(o.output) == io::Format::tsv);
  if (comm.rank() != 0) return;
  Stopwatch sw;
  const double append_s = thread->finish();
  writer->commit();
  if (journal) journal->remove();
  const double tail_s = sw.seconds();  // the last block and the commit, after scoring ended
  for (auto& r : report.ranks) {
    if (r.rank != 0) continue;  // only rank 0 writes
    r.write_s += append_s + tail_s;
    r.total_s += tail_s;
  }
  report.wall_s += tail_s;
  write_report(o, report, writer->rows());
}

}  // namespace mgeo::pipeline
