// mgeo/train/optim.h — the optimizer and its learning-rate schedule.
//
// Contract: lr_at() is a pure function. AdamW holds the parameter handles it updates
// and their moment tensors (on the parameters' device); step() applies decoupled weight
// decay (Loshchilov & Hutter, as torch.optim.AdamW) to the parameters in the decay
// group only. Its whole state round-trips through state()/load_state() for resuming.
// Not thread-safe.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mgeo::train {

// Linear warm-up from 0 to `peak` over `warmup` steps, then linear decay to 0 at `total`.
// `step` counts from 0 (the first update uses lr_at(0, ...) > 0 when warmup > 0).
double lr_at(int64_t step, int64_t warmup, int64_t total, double peak);

struct AdamWOptions {
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0.01;
};

class AdamW {
 public:
  // `params`: name -> parameter. Names ending in "bias" or holding "norm" are not decayed.
  AdamW(std::vector<std::pair<std::string, torch::Tensor>> params, AdamWOptions opts);

  void zero_grad();
  void step(double lr);
  int64_t steps() const { return steps_; }

  // exp_avg.<name>, exp_avg_sq.<name> on the CPU, plus the step count.
  std::map<std::string, torch::Tensor> state() const;
  void load_state(const std::map<std::string, torch::Tensor>& state, int64_t steps, const std::string& origin);

 private:
  struct Slot {
    std::string name;
    torch::Tensor param, exp_avg, exp_avg_sq;
    bool decay;
  };
  std::vector<Slot> slots_;
  AdamWOptions opts_;
  int64_t steps_ = 0;
};

}  // namespace mgeo::train
