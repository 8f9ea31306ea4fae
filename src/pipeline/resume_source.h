// What a resumed scoring job needs besides its journal (internal to src/pipeline):
// the key that says which job a journal belongs to, and the view of the rows left to score.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mgeo/io/pair_source.h"
#include "mgeo/pipeline/score_job.h"

namespace mgeo::pipeline::detail {

// The rows of `inner` from `skip` on (a resumed job's remaining rows); lines stay the file's.
class OffsetSource : public io::PairSource {
 public:
  OffsetSource(io::PairSource& inner, int64_t skip) : inner_(inner), skip_(skip) {}
  int64_t size() const override { return inner_.size() - skip_; }
  std::vector<io::PairRow> read(int64_t begin, int64_t end) override { return inner_.read(begin + skip_, end + skip_); }
  std::vector<std::string> extra_columns() const override { return inner_.extra_columns(); }
  std::vector<std::string> read_column(const std::string& name, int64_t begin, int64_t end) override {
    return inner_.read_column(name, begin + skip_, end + skip_);
  }

 private:
  io::PairSource& inner_;
  int64_t skip_;
};

// What defines a scoring job's rows, for its journal (journal.h): "result" holds the
// fingerprints of the model files and of the input (the file's bytes, or with `given`
// the rows of `source`, which the caller built), the labels and the options that change
// scores; "info" only helps a reader. The thread count is left out: it may change with
// the number of ranks, and moves a score by at most a few ulps.
nlohmann::json journal_key(const ScoreJobOptions& o, const torch::Device& device, const std::vector<std::string>& labels,
                           io::PairSource& source, bool given);

}  // namespace mgeo::pipeline::detail
