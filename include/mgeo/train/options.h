// mgeo/train/options.h — what a training run does, read from a YAML config.
//
// Contract: a plain value type. load_train_options() reads configs/train-*.yaml (the
// layout below), applies `overrides` ("section.key=value", the same keys), checks every
// value and throws mgeo::Error naming the file and key. Unknown keys are errors, so a
// typo never silently falls back to a default.
//
//   model:  init (checkpoint dir to fine-tune; empty = from scratch), vocab, labels,
//           hidden_size, layers, heads, intermediate_size, max_positions, dropout
//   data:   train (pairs with a label column), max_length
//   train:  output, epochs, max_steps, batch_size (global), lr, weight_decay,
//           warmup_steps, clip_norm, seed, save_every, log_every, check_sync_every
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mgeo::train {

struct TrainOptions {
  // model
  std::string init;   // fine-tune from this model directory; empty: new weights
  std::string vocab;  // vocab.txt for a new model (a fine-tuned one keeps its own)
  std::vector<std::string> labels = {"not_match", "partial_match", "exact_match"};
  int64_t hidden_size = 256;
  int64_t layers = 4;
  int64_t heads = 4;
  int64_t intermediate_size = 1024;
  int64_t max_positions = 128;
  double dropout = 0.1;  // hidden and attention dropout; 0 turns dropout off
  // data
  std::string train_file;
  int max_length = 64;
  // train
  std::string output;
  int64_t epochs = 1;
  int64_t max_steps = 0;  // > 0: stop after this many optimizer steps
  int64_t batch_size = 64;  // global: split over the ranks
  double lr = 5e-4;
  double weight_decay = 0.01;
  int64_t warmup_steps = 100;
  double clip_norm = 1.0;  // <= 0: no clipping
  uint64_t seed = 1;
  int64_t save_every = 0;  // steps between checkpoints; 0: only at the end
  int64_t log_every = 50;
  int64_t check_sync_every = 0;  // > 0: verify every rank holds the same weights
  std::string source;  // the config file, for messages and the saved record
};

TrainOptions load_train_options(const std::string& path, const std::vector<std::string>& overrides = {});

// The options as YAML text (saved beside each checkpoint).
std::string to_yaml(const TrainOptions& o);

}  // namespace mgeo::train
