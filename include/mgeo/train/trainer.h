// mgeo/train/trainer.h — data-parallel fine-tuning or from-scratch training.
//
// Contract: collective over `comm` (every rank calls it with the same options). Every
// rank holds the whole model and trains on its slice of each global batch (rank_slice);
// the loss is scaled by the global batch size and the gradients summed over the ranks
// (GradSync), so the update equals a single process's on the whole batch, whatever the
// number of ranks. Rank 0 writes checkpoints (checkpoint_dir.h) every save_every steps
// and the final model into `output` itself, plus train_log.jsonl and
// train_metrics.json. With `resume`, training continues from the latest checkpoint
// under `output` and reaches the weights of an uninterrupted run. Expected failures
// throw mgeo::Error.
#pragma once

#include <string>

#include "mgeo/dist/comm.h"
#include "mgeo/train/options.h"

namespace mgeo::train {

struct RunOptions {
  bool resume = false;
  std::string device = "auto";  // auto | cpu | cuda
  int threads = 0;              // intra-op threads per rank; 0: cores / local ranks
  bool quiet = false;
  int64_t stop_after = 0;       // > 0: save a checkpoint and stop at this step (the schedule still spans the run)
};

void run_training(const TrainOptions& opts, const RunOptions& run, const dist::Communicator& comm);

}  // namespace mgeo::train
