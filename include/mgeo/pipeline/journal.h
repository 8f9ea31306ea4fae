// mgeo/pipeline/journal.h — the record of a scoring job's finished rounds, for --resume.
//
// Contract: a Journal is one file beside a job's output (journal_file(): ".<name>.journal"),
// held with an exclusive flock for the Journal's lifetime (a second job on the same output
// is refused). It starts with a header: the job's key, a JSON object whose "result" member
// holds everything that defines the output (input and model fingerprints, the options that
// change scores, the labels). Then one record per round that rank 0 handed to the output:
// the round's rows (ids, probabilities, statuses, extra columns), framed with its length
// and a fingerprint and flushed to disk (fdatasync) before append() returns.
// Opened with resume, an existing journal whose key's "result" equals the new one is
// kept: its complete records are counted (rows()) and can be replayed in order; a record
// cut short or corrupted by a crash, and anything after it, is dropped (the file is
// truncated to the last complete record). A journal with another "result" is an error
// naming the file and the members that differ; an unreadable one (not a journal, a torn
// header) is an error too. Opened without resume, or when there is none, a new journal
// replaces any old one (discarded_rows() says how many rows an old one held).
// remove() deletes the file once the output is committed; a Journal destroyed without
// remove() leaves it for a later --resume. Every size read from the file is checked
// against the file before it is used. Errors are mgeo::Error naming the file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mgeo/io/file.h"
#include "mgeo/io/score_writer.h"

namespace mgeo::pipeline {

// ".<name>.journal" beside `output`.
std::string journal_file(const std::string& output);

class Journal {
 public:
  Journal(std::string path, nlohmann::json key, bool resume);
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal();

  const std::string& path() const { return path_; }
  int64_t rows() const { return rows_; }                 // rows in complete records
  int64_t records() const { return static_cast<int64_t>(records_.size()); }
  int64_t discarded_rows() const { return discarded_rows_; }

  // Hands each complete record to `fn` in order, as a table with `labels`, `score_label`
  // and `extra_columns` (those of the key). Reads one record at a time.
  void replay(const std::vector<std::string>& labels, int score_label,
              const std::vector<std::string>& extra_columns,
              const std::function<void(io::ScoreTable&&)>& fn) const;
  // Appends `block` as one record, durable on return.
  void append(const io::ScoreTable& block);
  // Deletes the journal (the job is complete).
  void remove();

 private:
  struct Record {
    int64_t offset = 0, bytes = 0, rows = 0;
  };
  void start_new();
  void scan(const nlohmann::json& key);

  std::string path_;
  nlohmann::json key_;
  io::Fd fd_;
  int64_t end_ = 0;  // bytes of header + complete records
  int64_t rows_ = 0, discarded_rows_ = 0;
  std::vector<Record> records_;
};

// The members of a.result and b.result that differ ("result.<key>"), for error messages.
std::vector<std::string> key_differences(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace mgeo::pipeline
