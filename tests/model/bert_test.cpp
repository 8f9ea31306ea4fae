#include "mgeo/model/bert.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>

#include "test_util.h"

namespace mgeo::model {
namespace {

using test::error_of;
using test::expect_contains;

class BertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(0);
    BertOptions o;
    o.vocab_size = 50;
    o.hidden_size = 16;
    o.num_layers = 2;
    o.num_heads = 4;
    o.intermediate_size = 32;
    o.max_positions = 12;
    o.num_labels = 3;
    net_ = BertClassifier(o);
    net_->eval();
    ids_ = torch::randint(1, 50, {4, 7}, torch::kLong);
    types_ = torch::cat({torch::zeros({4, 3}, torch::kLong), torch::ones({4, 4}, torch::kLong)}, 1);
    mask_ = torch::ones({4, 7}, torch::kLong);
    mask_.index_put_({1, torch::indexing::Slice(5)}, 0);  // row 1 has two padding positions
  }

  BertClassifier net_{nullptr};
  torch::Tensor ids_, types_, mask_;
  torch::InferenceMode guard_;
};

TEST_F(BertTest, LogitsShapeAndDtype) {
  const auto logits = net_->forward(ids_, types_, mask_);
  EXPECT_EQ(logits.sizes().vec(), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(logits.scalar_type(), torch::kFloat32);
}

TEST_F(BertTest, ClsOnlyLastLayerMatchesFullEncoder) {
  const auto x = net_->embed(ids_, types_);
  const auto bias = net_->attention_bias(mask_);
  const auto full = net_->encode(x, bias).select(1, 0);
  const auto cls = net_->encode(x, bias, /*cls_only=*/true);
  ASSERT_EQ(cls.size(1), 1);
  EXPECT_LT((full - cls.select(1, 0)).abs().max().item<float>(), 1e-5);
}

TEST_F(BertTest, PaddingDoesNotChangeLogits) {
  const auto pad = [](const torch::Tensor& t) { return torch::cat({t, torch::zeros({4, 5}, torch::kLong)}, 1); };
  const auto short_logits = net_->forward(ids_, types_, mask_);
  const auto long_logits = net_->forward(pad(ids_), pad(types_), pad(mask_));
  EXPECT_LT((short_logits - long_logits).abs().max().item<float>(), 1e-5);
  const auto bool_logits = net_->forward(ids_, types_, mask_.to(torch::kBool));
  EXPECT_EQ((short_logits - bool_logits).abs().max().item<float>(), 0.0f);
}

TEST_F(BertTest, AttentionBiasIsZeroOrLowest) {
  const auto bias = net_->attention_bias(mask_);
  EXPECT_EQ(bias.sizes().vec(), (std::vector<int64_t>{4, 1, 1, 7}));
  EXPECT_EQ(bias[1][0][0][4].item<float>(), 0.0f);
  EXPECT_EQ(bias[1][0][0][5].item<float>(), std::numeric_limits<float>::lowest());
}

TEST_F(BertTest, ReducedPrecisionStaysClose) {
  const auto ref = net_->forward(ids_, types_, mask_);
  for (const auto dtype : {torch::kFloat16, torch::kBFloat16}) {
    net_->to(dtype);
    const auto logits = net_->forward(ids_, types_, mask_);
    EXPECT_EQ(logits.scalar_type(), dtype);
    EXPECT_LT((logits.to(torch::kFloat32) - ref).abs().max().item<float>(), 0.1) << dtype;
  }
}

TEST_F(BertTest, RejectsBadInputs) {
  const auto long_ids = torch::ones({1, 13}, torch::kLong);
  expect_contains(error_of([&] { net_->forward(long_ids, long_ids, long_ids); }), {"13 tokens", "1 to 12"});
  expect_contains(error_of([&] { net_->forward(ids_, types_, mask_.narrow(1, 0, 6)); }), {"[4, 6]"});
  const auto flat = torch::ones({7}, torch::kLong);
  expect_contains(error_of([&] { net_->forward(flat, flat, flat); }), {"[batch, tokens]"});
}

TEST(BertOptionsTest, FromConfigRunsEffectiveLayers) {
  ModelConfig c;
  c.num_hidden_layers = 5;
  c.fusion_layer = 3;
  c.hidden_act = "gelu_new";
  c.id2label = {"a", "b", "c"};
  const auto o = BertOptions::from_config(c);
  EXPECT_EQ(o.num_layers, 3);
  EXPECT_EQ(o.num_labels, 3);
  EXPECT_EQ(o.activation, Activation::kGeluTanh);
  EXPECT_EQ(BertClassifier(o)->layers->size(), 3u);
}

}  // namespace
}  // namespace mgeo::model
