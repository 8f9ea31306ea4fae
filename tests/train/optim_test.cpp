#include "mgeo/train/optim.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace mgeo::train {
namespace {

TEST(LrSchedule, WarmupThenLinearDecay) {
  EXPECT_DOUBLE_EQ(lr_at(0, 4, 10, 1.0), 0.25);
  EXPECT_DOUBLE_EQ(lr_at(3, 4, 10, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(lr_at(4, 4, 10, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(lr_at(7, 4, 10, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(lr_at(10, 4, 10, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(lr_at(5, 0, 10, 2.0), 1.0);
  EXPECT_DOUBLE_EQ(lr_at(5, 10, 10, 2.0), 1.2);  // still warming up
}

// Our AdamW against libtorch's torch::optim::AdamW on the same gradients, with decay on
// one tensor and off on the other (two parameter groups there).
TEST(AdamW, MatchesTorchAdamW) {
  torch::manual_seed(3);
  auto w = torch::randn({5, 4}), b = torch::randn({4});
  auto w2 = w.clone().requires_grad_(true), b2 = b.clone().requires_grad_(true);
  w.requires_grad_(true), b.requires_grad_(true);
  AdamWOptions o;
  o.weight_decay = 0.1;
  AdamW ours({{"layer.weight", w}, {"layer.bias", b}}, o);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{w2}, std::make_unique<torch::optim::AdamWOptions>(
                                                           torch::optim::AdamWOptions(0.01).weight_decay(0.1)));
  groups.emplace_back(std::vector<torch::Tensor>{b2}, std::make_unique<torch::optim::AdamWOptions>(
                                                           torch::optim::AdamWOptions(0.01).weight_decay(0.0)));
  torch::optim::AdamW ref(std::move(groups), torch::optim::AdamWOptions(0.01));
  const auto x = torch::randn({3, 5});
  for (int step = 0; step < 6; ++step) {
    ours.zero_grad();
    ref.zero_grad();
    (torch::tanh(x.matmul(w) + b).pow(2).sum() * (step + 1)).backward();
    torch::tanh(x.matmul(w2) + b2).pow(2).sum().mul(step + 1).backward();
    ours.step(0.01);
    ref.step();
    ASSERT_TRUE(torch::allclose(w, w2, 1e-6, 1e-7)) << "step " << step;
    ASSERT_TRUE(torch::allclose(b, b2, 1e-6, 1e-7)) << "step " << step;
  }
  EXPECT_EQ(ours.steps(), 6);
}

TEST(AdamW, StateRoundTrips) {
  auto w = torch::ones({3}, torch::requires_grad()), v = torch::ones({3}, torch::requires_grad());
  AdamW a({{"w", w}}, {}), b({{"w", v}}, {});
  for (int i = 0; i < 3; ++i) {
    a.zero_grad();
    (w * torch::arange(3.0)).sum().backward();
    a.step(0.1);
  }
  torch::NoGradGuard g;
  v.copy_(w);
  b.load_state(a.state(), a.steps(), "test");
  for (auto* opt : {&a, &b}) {
    auto& p = opt == &a ? w : v;
    torch::AutoGradMode on(true);
    opt->zero_grad();
    (p * torch::arange(3.0)).sum().backward();
    opt->step(0.1);
  }
  EXPECT_TRUE(torch::equal(w, v));
  EXPECT_THROW(b.load_state({}, 1, "empty"), std::exception);
}

}  // namespace
}  // namespace mgeo::train
