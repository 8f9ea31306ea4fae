// Rank 0's side of the score job's output (internal to src/pipeline): RoundSink turns the
// gathered rows of each round into score table blocks, WriterThread appends them to the
// output on a thread of its own.
#pragma once

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mgeo/address/compare.h"
#include "mgeo/io/pairs.h"
#include "mgeo/io/score_writer.h"
#include "mgeo/pipeline/score_job.h"
#include "mgeo/util/error.h"
#include "mgeo/util/seen_set.h"
#include "shard_scorer.h"

namespace mgeo::pipeline::detail {

// A tab, CR or LF as \t, \r, \n (and a backslash doubled); true when `id` held one.
inline bool escape_id(std::string& id) {
  if (id.find_first_of("\t\r\n") == std::string::npos) return false;
  std::string out;
  for (char c : id) {
    if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\\') out += "\\\\";
    else out += c;
  }
  id = std::move(out);
  return true;
}

// The inverse of escape_id.
inline std::string unescape_id(const std::string& id) {
  std::string out;
  for (size_t i = 0; i < id.size(); ++i) {
    if (id[i] != '\\' || i + 1 == id.size()) {
      out += id[i];
      continue;
    }
    const char c = id[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
  }
  return out;
}

// Rank 0's end of the gathers: rows arrive in input order, one round at a time; repeated
// ids are flagged (a hash per id, not the ids, is kept), scores that are not finite are
// flagged non_finite, ids a TSV file cannot hold are escaped (escape_ids), and statuses
// are counted.
class RoundSink {
 public:
  using Emit = std::function<void(io::ScoreTable&&)>;
  RoundSink(std::vector<std::string> labels, int score_label, int64_t rows, bool explain, bool escape_ids, Emit emit)
      : labels_(std::move(labels)), score_label_(score_label), escape_ids_(escape_ids), emit_(std::move(emit)) {
    seen_.reserve(static_cast<size_t>(rows));
    if (explain) extra_columns_ = explain_columns();
  }

  // `cmp`: with explain, kCmpWidth comparison bytes per row.
  void take(std::vector<std::string> ids, std::vector<float> probs, const std::vector<uint8_t>& status,
            const std::vector<uint8_t>& cmp, std::map<std::string, int64_t>& counts) {
    io::ScoreTable block;
    block.labels = labels_;
    block.score_label = score_label_;
    block.ids = std::move(ids);
    block.probs = std::move(probs);
    block.status.reserve(status.size());
    const size_t k = labels_.size();
    MGEO_CHECK(block.probs.size() == status.size() * k && block.ids.size() == status.size(),
               "rank 0: {} ids, {} probabilities and {} statuses gathered for {} labels", block.ids.size(),
               block.probs.size(), status.size(), k);
    for (size_t i = 0; i < status.size(); ++i) {
      auto s = static_cast<io::RowStatus>(status[i]);
      if (s == io::RowStatus::ok && !std::all_of(&block.probs[i * k], &block.probs[(i + 1) * k],
                                                 [](float p) { return std::isfinite(p); })) {
        s = io::RowStatus::non_finite;
        std::fill(&block.probs[i * k], &block.probs[(i + 1) * k], std::numeric_limits<float>::quiet_NaN());
      }
      if (!seen_.insert(block.ids[i]) && s == io::RowStatus::ok) s = io::RowStatus::duplicate_id;
      if (escape_ids_ && escape_id(block.ids[i]) && s == io::RowStatus::ok) s = io::RowStatus::id_escaped;
      block.status.push_back(s);
      ++counts[io::status_name(s)];
    }
    if (!extra_columns_.empty()) {
      MGEO_CHECK(cmp.size() == status.size() * kCmpWidth, "rank 0: {} comparison bytes gathered for {} rows",
                 cmp.size(), status.size());
      block.extra_columns = extra_columns_;
      block.extra.reserve(cmp.size());
      for (uint8_t c : cmp)
        block.extra.emplace_back(c == kNoComparison ? "" : address::match_name(static_cast<address::Match>(c)));
    }
    emit_(std::move(block));
  }

  // A block emitted by an earlier run of this job (a journal being replayed): its ids
  // count as seen and its statuses are counted; it is not emitted here.
  void remember(const io::ScoreTable& block, std::map<std::string, int64_t>& counts) {
    for (size_t i = 0; i < block.ids.size(); ++i) {
      seen_.insert(block.status[i] == io::RowStatus::id_escaped ? unescape_id(block.ids[i]) : block.ids[i]);
      ++counts[io::status_name(block.status[i])];
    }
  }

 private:
  std::vector<std::string> labels_;
  std::vector<std::string> extra_columns_;  // with explain: explain_columns()
  int score_label_;
  bool escape_ids_;
  Emit emit_;
  SeenSet seen_;
};

// Rank 0's writer: appends blocks on its own thread, so rank 0 scores round k + 1 while
// round k is written. At most one block waits while another is written; push() blocks
// beyond that. A failed append is rethrown by the next push() or by finish().
class WriterThread {
 public:
  explicit WriterThread(io::ScoreWriter& w) : w_(w), thread_([this] { loop(); }) {}
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;
  ~WriterThread() { stop(); }

  void push(io::ScoreTable block) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !pending_ || error_; });
    if (error_) std::rethrow_exception(error_);
    pending_ = std::move(block);
    cv_.notify_all();
  }

  // Waits for the queued blocks; returns the seconds spent appending.
  double finish() {
    stop();
    if (error_) std::rethrow_exception(error_);
    return busy_s_;
  }

 private:
  void loop() {
    for (;;) {
      io::ScoreTable block;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return pending_ || done_; });
        if (!pending_) return;
        block = std::move(*pending_);
        pending_.reset();
        cv_.notify_all();
      }
      try {
        Stopwatch sw;
        w_.append(block);
        busy_s_ += sw.seconds();
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        error_ = std::current_exception();
        cv_.notify_all();
        return;
      }
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  io::ScoreWriter& w_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<io::ScoreTable> pending_;
  std::exception_ptr error_;
  bool done_ = false;
  double busy_s_ = 0;  // written by the thread, read after join
  std::thread thread_;
};

}  // namespace mgeo::pipeline::detail
