#include "mgeo/model/int8.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "mgeo/model/bert.h"
#include "mgeo/util/error.h"

namespace mgeo::model {
namespace {

// Relative to the largest output: per-channel int8 weights and per-tensor int8 activations
// keep a product within a few percent of fp32.
TEST(Int8Linear, MatchesFp32WithinQuantizationError) {
  torch::manual_seed(3);
  torch::nn::Linear fp(torch::nn::LinearOptions(96, 40));
  const auto x = torch::randn({7, 5, 96});
  const Int8Linear q(fp);
  const auto want = fp->forward(x);
  const auto got = q.forward(x);
  ASSERT_EQ(got.sizes(), want.sizes());
  EXPECT_EQ(got.scalar_type(), torch::kFloat32);
  const double rel = ((got - want).abs().max() / want.abs().max()).item<double>();
  EXPECT_LT(rel, 0.03) << "engine " << select_int8_engine();
  EXPECT_GT(rel, 0.0) << "an int8 product equal to fp32 bit for bit: not quantized";
}

TEST(Int8Linear, EngineIsOneOfTheCpuEngines) {
  const auto e = select_int8_engine();
  EXPECT_TRUE(e == "onednn" || e == "x86" || e == "fbgemm") << e;
}

class Int8Bert : public ::testing::Test {
 protected:
  BertOptions opts() {
    BertOptions o;
    o.vocab_size = 50, o.hidden_size = 64, o.num_layers = 2, o.num_heads = 4, o.intermediate_size = 128;
    o.max_positions = 32, o.num_labels = 3;
    return o;
  }
};

TEST_F(Int8Bert, LogitsStayCloseAndAreNotFp32s) {
  torch::manual_seed(5);
  BertClassifier net(opts());
  net->eval();
  torch::NoGradGuard no_grad;
  const auto ids = torch::randint(1, 50, {16, 12}, torch::kLong);
  const auto types = torch::zeros_like(ids);
  const auto mask = torch::ones_like(ids);
  const auto want = net->forward(ids, types, mask);
  EXPECT_FALSE(net->int8());
  net->quantize_int8();
  EXPECT_TRUE(net->int8());
  const auto got = net->forward(ids, types, mask);
  const double rel = ((got - want).abs().max() / want.abs().max()).item<double>();
  EXPECT_LT(rel, 0.1);
  EXPECT_GT(rel, 0.0);
  EXPECT_GE(got.argmax(1).eq(want.argmax(1)).sum().item<int64_t>(), 14);
}

TEST_F(Int8Bert, RefusesParametersThatAreNotFp32) {
  BertClassifier net(opts());
  net->to(torch::kBFloat16);
  EXPECT_THROW(net->quantize_int8(), Error);
}

}  // namespace
}  // namespace mgeo::model
