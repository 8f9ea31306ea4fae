#include "mgeo/eval/eval_job.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>

#include "mgeo/eval/metrics.h"
#include "mgeo/eval/plot.h"
#include "mgeo/eval/png.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/score_writer.h"
#include "mgeo/pipeline/metrics.h"
#include "mgeo/pipeline/score_job.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace mgeo::eval {
namespace {

constexpr const char* kLabelColumn = "label";
constexpr size_t kUnknownListed = 20;  // distinct unknown label values named in eval.json

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

void require_label_column(const std::string& input) {
  const auto columns = io::PairSource::open(input)->extra_columns();
  MGEO_CHECK(std::find(columns.begin(), columns.end(), kLabelColumn) != columns.end(),
             "{}: no '{}' column to evaluate against (other columns: {})", input, kLabelColumn,
             columns.empty() ? std::string("none") : fmt::format("{}", fmt::join(columns, ", ")));
}

void make_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  MGEO_CHECK(!ec, "cannot create output directory {}: {}", dir, ec.message());
}

std::string join_path(const std::string& dir, const char* name) { return (std::filesystem::path(dir) / name).string(); }

struct Counts {
  int64_t rows = 0, evaluated = 0, flagged = 0, unlabelled = 0;
  std::map<std::string, int64_t> status;
};

void print_summary(const EvalMetrics& m, const Counts& k, const LabelColumn& labels,
                   const std::vector<std::string>& names, const std::string& dir) {
  if (!labels.unknown.empty()) {
    std::vector<std::string> some;
    for (const auto& [value, count] : labels.unknown) {
      if (some.size() == 3) break;
      some.push_back(fmt::format("'{}'", value));
    }
    int64_t total = 0;
    for (const auto& [value, count] : labels.unknown) total += count;
    fmt::print(stderr, "eval: {} row(s) have a label the model does not know ({}{}), counted as unlabelled\n", total,
               fmt::join(some, ", "), labels.unknown.size() > some.size() ? ", ..." : "");
  }
  fmt::print(stderr, "eval: {} rows: {} evaluated, {} flagged, {} unlabelled\n", k.rows, k.evaluated, k.flagged,
             k.unlabelled);
  fmt::print(stderr, "eval: accuracy {:.4f}, macro F1 {:.4f}, weighted F1 {:.4f}\n", m.accuracy, m.macro_f1,
             m.weighted_f1);
  const auto& a = m.at_model;
  const auto& b = m.best_f1;
  fmt::print(stderr,
             "eval: {} vs rest ({} of {}): F1 {:.4f} at the model's decision (P {:.4f} R {:.4f}); best F1 {:.4f} at "
             "threshold {:.4f} (P {:.4f} R {:.4f}); ROC-AUC {:.4f}; AP {:.4f}\n",
             names[m.match_label], m.positives, m.rows, a.f1, a.precision, a.recall, b.f1, b.threshold, b.precision,
             b.recall, m.roc_auc, m.average_precision);
  fmt::print(stderr, "eval: wrote {}, {} and {}\n", join_path(dir, "eval.json"), join_path(dir, "scores.csv"),
             join_path(dir, "eval.png"));
}

}  // namespace

LabelColumn map_labels(const std::vector<std::string>& column, const std::vector<std::string>& labels) {
  LabelColumn out;
  out.ids.reserve(column.size());
  for (const auto& raw : column) {
    const auto v = trim(raw);
    const auto it = std::find(labels.begin(), labels.end(), v);
    out.ids.push_back(it == labels.end() ? -1 : static_cast<int>(it - labels.begin()));
    if (it == labels.end() && !v.empty()) ++out.unknown[std::string(v)];
  }
  return out;
}

void run_eval_job(const EvalJobOptions& o, const dist::Communicator& comm) {
  Stopwatch wall;
  require_label_column(o.input);
  const std::string dir = o.out_dir.empty() ? o.input + ".eval" : o.out_dir;
  if (comm.rank() == 0) make_dir(dir);

  pipeline::ScoreJobOptions so;
  so.model_dir = o.model_dir, so.input = o.input, so.output = join_path(dir, "scores.csv");
  so.device = o.device, so.precision = o.precision, so.score_label = o.match_label;
  so.batch_size = o.batch_size, so.max_length = o.max_length, so.threads = o.threads;
  so.normalize = o.normalize, so.quiet = o.quiet;
  pipeline::JobReport report;
  const auto table = pipeline::score_pairs(so, comm, &report);
  if (comm.rank() != 0) return;

  const auto n = static_cast<int64_t>(table.ids.size());
  const auto column = io::PairSource::open(o.input)->read_column(kLabelColumn, 0, n);
  MGEO_CHECK(static_cast<int64_t>(column.size()) == n, "{}: {} labels for {} rows", o.input, column.size(), n);
  const auto labels = map_labels(column, table.labels);
  const auto num_labels = static_cast<int>(table.labels.size());

  Counts k;
  k.rows = n;
  std::vector<int> truth;
  std::vector<float> probs;
  for (int64_t i = 0; i < n; ++i) {
    const auto status = table.status[i];
    ++k.status[io::status_name(status)];
    if (status != io::RowStatus::ok && status != io::RowStatus::duplicate_id) {
      ++k.flagged;
    } else if (labels.ids[i] < 0) {
      ++k.unlabelled;
    } else {
      truth.push_back(labels.ids[i]);
      probs.insert(probs.end(), &table.probs[i * num_labels], &table.probs[(i + 1) * num_labels]);
    }
  }
  k.evaluated = static_cast<int64_t>(truth.size());
  MGEO_CHECK(k.evaluated > 0, "{}: no row to evaluate ({} rows: {} flagged, {} with an empty or unknown label)",
             o.input, n, k.flagged, k.unlabelled);
  const auto m = compute_metrics(truth, probs, num_labels, table.score_label);

  io::write_scores(so.output, table);
  write_png(join_path(dir, "eval.png"), render_eval_plot(m, table.labels));
  report.status_counts = k.status;
  report.wall_s = wall.seconds();

  nlohmann::json unknown = nlohmann::json::object();
  for (const auto& [value, count] : labels.unknown) {
    if (unknown.size() == kUnknownListed) break;
    unknown[value] = count;
  }
  const nlohmann::json j = {
      {"model", o.model_dir},
      {"input", o.input},
      {"out_dir", dir},
      {"match_label", o.match_label},
      {"rows", n},
      {"counts",
       {{"rows", k.rows},
        {"evaluated", k.evaluated},
        {"flagged", k.flagged},
        {"unlabelled", k.unlabelled},
        {"status", k.status},
        {"unknown_label_values", unknown},
        {"unknown_label_distinct", labels.unknown.size()}}},
      {"metrics", to_json(m, table.labels)},
      {"scoring", pipeline::to_json(report)},
      {"files", {{"scores", so.output}, {"plot", join_path(dir, "eval.png")}}}};
  io::write_file_atomic(join_path(dir, "eval.json"), j.dump(2) + "\n");
  if (!o.quiet) print_summary(m, k, labels, table.labels, dir);
}

}  // namespace mgeo::eval
