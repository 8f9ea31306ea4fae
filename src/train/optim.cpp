#include "mgeo/train/optim.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "mgeo/util/error.h"

namespace mgeo::train {

double lr_at(int64_t step, int64_t warmup, int64_t total, double peak) {
  if (warmup > 0 && step < warmup) return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (total <= warmup) return peak;
  const double left = static_cast<double>(total - step) / static_cast<double>(total - warmup);
  return peak * std::clamp(left, 0.0, 1.0);
}

AdamW::AdamW(std::vector<std::pair<std::string, torch::Tensor>> params, AdamWOptions opts) : opts_(opts) {
  for (auto& [name, p] : params) {
    const bool no_decay = name.size() >= 4 && (name.compare(name.size() - 4, 4, "bias") == 0 ||
                                               name.find("norm") != std::string::npos);
    slots_.push_back({name, p, torch::zeros_like(p), torch::zeros_like(p), !no_decay});
  }
}

void AdamW::zero_grad() {
  for (auto& s : slots_)
    if (s.param.grad().defined()) s.param.mutable_grad().zero_();
}

void AdamW::step(double lr) {
  torch::NoGradGuard no_grad;
  ++steps_;
  const double bc1 = 1.0 - std::pow(opts_.beta1, static_cast<double>(steps_));
  const double bc2 = 1.0 - std::pow(opts_.beta2, static_cast<double>(steps_));
  for (auto& s : slots_) {
    const auto& g = s.param.grad();
    if (!g.defined()) continue;
    if (s.decay && opts_.weight_decay > 0) s.param.mul_(1.0 - lr * opts_.weight_decay);
    s.exp_avg.mul_(opts_.beta1).add_(g, 1.0 - opts_.beta1);
    s.exp_avg_sq.mul_(opts_.beta2).addcmul_(g, g, 1.0 - opts_.beta2);
    const auto denom = (s.exp_avg_sq.sqrt() / std::sqrt(bc2)).add_(opts_.eps);
    s.param.addcdiv_(s.exp_avg, denom, -lr / bc1);
  }
}

std::map<std::string, torch::Tensor> AdamW::state() const {
  std::map<std::string, torch::Tensor> out;
  for (const auto& s : slots_) {
    out["exp_avg." + s.name] = s.exp_avg.detach().to(torch::kCPU).clone();
    out["exp_avg_sq." + s.name] = s.exp_avg_sq.detach().to(torch::kCPU).clone();
  }
  return out;
}

void AdamW::load_state(const std::map<std::string, torch::Tensor>& state, int64_t steps, const std::string& origin) {
  torch::NoGradGuard no_grad;
  for (auto& s : slots_) {
    for (auto* dst : {&s.exp_avg, &s.exp_avg_sq}) {
      const std::string key = (dst == &s.exp_avg ? "exp_avg." : "exp_avg_sq.") + s.name;
      const auto it = state.find(key);
      MGEO_CHECK(it != state.end(), "{}: optimizer state '{}' is missing", origin, key);
      MGEO_CHECK(it->second.sizes() == dst->sizes(), "{}: optimizer state '{}' has shape {}, expected {}", origin,
                 key, it->second.sizes().vec(), dst->sizes().vec());
      dst->copy_(it->second);
    }
  }
  steps_ = steps;
}

}  // namespace mgeo::train
