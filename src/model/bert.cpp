#include "mgeo/model/bert.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/gelu.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/scaled_dot_product_attention.h>
#include <ATen/ops/tanh.h>
#include <ATen/ops/zeros.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>
#include <fmt/ranges.h>

#include <limits>

#include "mgeo/util/error.h"

namespace mgeo::model {
namespace {

Activation activation_from_name(const std::string& name) {
  if (name == "gelu") return Activation::kGelu;
  if (name == "gelu_new") return Activation::kGeluTanh;
  if (name == "relu") return Activation::kRelu;
  fail("hidden_act '{}' is not supported (gelu, gelu_new, relu)", name);
}

torch::Tensor activate(const torch::Tensor& x, Activation a) {
  switch (a) {
    case Activation::kGelu: return at::gelu(x);
    case Activation::kGeluTanh: return at::gelu(x, "tanh");
    case Activation::kRelu: return at::relu(x);
  }
  return x;
}

// HF's torch.finfo(dtype).min.
double lowest(c10::ScalarType t) {
  switch (t) {
    case c10::kFloat: return std::numeric_limits<float>::lowest();
    case c10::kDouble: return std::numeric_limits<double>::lowest();
    case c10::kHalf: return static_cast<float>(std::numeric_limits<c10::Half>::lowest());
    case c10::kBFloat16: return static_cast<float>(std::numeric_limits<c10::BFloat16>::lowest());
    default: fail("BERT runs in float32, float64, float16 or bfloat16, not {}", c10::toString(t));
  }
}

torch::nn::LayerNorm layer_norm(const BertOptions& o) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.hidden_size}).eps(o.layer_norm_eps));
}

}  // namespace

BertOptions BertOptions::from_config(const ModelConfig& c) {
  BertOptions o;
  o.vocab_size = c.vocab_size;
  o.hidden_size = c.hidden_size;
  o.num_layers = c.effective_layers();
  o.num_heads = c.num_attention_heads;
  o.intermediate_size = c.intermediate_size;
  o.max_positions = c.max_position_embeddings;
  o.type_vocab_size = c.type_vocab_size;
  o.num_labels = c.num_labels();
  o.layer_norm_eps = c.layer_norm_eps;
  o.hidden_dropout = c.hidden_dropout_prob;
  o.attention_dropout = c.attention_probs_dropout_prob;
  o.activation = activation_from_name(c.hidden_act);
  return o;
}

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertOptions& o)
    : word_embeddings(register_module("word_embeddings", torch::nn::Embedding(o.vocab_size, o.hidden_size))),
      position_embeddings(
          register_module("position_embeddings", torch::nn::Embedding(o.max_positions, o.hidden_size))),
      token_type_embeddings(
          register_module("token_type_embeddings", torch::nn::Embedding(o.type_vocab_size, o.hidden_size))),
      norm(register_module("LayerNorm", layer_norm(o))),
      dropout(register_module("dropout", torch::nn::Dropout(o.hidden_dropout))) {}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids) {
  const auto positions = at::arange(input_ids.size(1), input_ids.options());
  auto x = word_embeddings(input_ids) + token_type_embeddings(token_type_ids);
  return dropout(norm(x + position_embeddings(positions)));
}

BertLayerImpl::BertLayerImpl(const BertOptions& o)
    : qkv(register_module("qkv", torch::nn::Linear(o.hidden_size, 3 * o.hidden_size))),
      attn_out(register_module("attn_out", torch::nn::Linear(o.hidden_size, o.hidden_size))),
      ffn_in(register_module("ffn_in", torch::nn::Linear(o.hidden_size, o.intermediate_size))),
      ffn_out(register_module("ffn_out", torch::nn::Linear(o.intermediate_size, o.hidden_size))),
      attn_norm(register_module("attn_norm", layer_norm(o))),
      ffn_norm(register_module("ffn_norm", layer_norm(o))),
      dropout(register_module("dropout", torch::nn::Dropout(o.hidden_dropout))),
      heads_(o.num_heads),
      attention_dropout_(o.attention_dropout),
      activation_(o.activation) {
  MGEO_CHECK(o.num_heads > 0 && o.hidden_size % o.num_heads == 0, "hidden size {} is not divisible by {} heads",
             o.hidden_size, o.num_heads);
}

torch::Tensor BertLayerImpl::self_attention(const torch::Tensor& hidden, const torch::Tensor& bias, bool cls_only) {
  const int64_t b = hidden.size(0), t = hidden.size(1), h = hidden.size(2);
  const auto qkv_heads = run(qkv, 0, hidden).view({b, t, 3, heads_, h / heads_}).permute({2, 0, 3, 1, 4});  // [3,B,heads,T,d]
  auto q = qkv_heads[0];
  if (cls_only) q = q.narrow(2, 0, 1);
  const auto context = at::scaled_dot_product_attention(q, qkv_heads[1], qkv_heads[2], bias,
                                                        is_training() ? attention_dropout_ : 0.0);
  return run(attn_out, 1, context.transpose(1, 2).reshape({b, q.size(2), h}));
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& bias, bool cls_only) {
  const auto residual = cls_only ? hidden.narrow(1, 0, 1) : hidden;
  const auto x = attn_norm(residual + dropout(self_attention(hidden, bias, cls_only)));
  return ffn_norm(x + dropout(run(ffn_out, 3, activate(run(ffn_in, 2, x), activation_))));
}

torch::Tensor BertLayerImpl::run(torch::nn::Linear& layer, int slot, const torch::Tensor& x) {
  return int8_[slot] ? int8_[slot]->forward(x) : layer->forward(x);
}

void BertLayerImpl::quantize_int8() {
  const torch::nn::Linear* linears[4] = {&qkv, &attn_out, &ffn_in, &ffn_out};
  for (int i = 0; i < 4; ++i) int8_[i] = std::make_shared<const Int8Linear>(*linears[i]);
}

BertClassifierImpl::BertClassifierImpl(const BertOptions& o)
    : embeddings(register_module("embeddings", BertEmbeddings(o))),
      layers(register_module("layers", torch::nn::ModuleList())),
      pooler(register_module("pooler", torch::nn::Linear(o.hidden_size, o.hidden_size))),
      classifier(register_module("classifier", torch::nn::Linear(o.hidden_size, o.num_labels))),
      dropout(register_module("dropout", torch::nn::Dropout(o.hidden_dropout))),
      options_(o) {
  MGEO_CHECK(o.num_layers > 0, "a BERT classifier needs at least one layer");
  for (int64_t i = 0; i < o.num_layers; ++i) {
    layer_handles_.emplace_back(o);
    layers->push_back(layer_handles_.back());
  }
}

torch::Tensor BertClassifierImpl::embed(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids) {
  return embeddings(input_ids, token_type_ids);
}

torch::Tensor BertClassifierImpl::attention_bias(const torch::Tensor& attention_mask) const {
  const auto dtype = pooler->weight.scalar_type();
  const int64_t b = attention_mask.size(0), t = attention_mask.size(1);
  return at::zeros({b, 1, 1, t}, attention_mask.options().dtype(dtype))
      .masked_fill_(attention_mask.logical_not().view({b, 1, 1, t}), lowest(dtype));
}

torch::Tensor BertClassifierImpl::encode(torch::Tensor hidden, const torch::Tensor& bias, bool cls_only) {
  for (size_t i = 0; i < layer_handles_.size(); ++i)
    hidden = layer_handles_[i]->forward(hidden, bias, cls_only && i + 1 == layer_handles_.size());
  return hidden;
}

torch::Tensor BertClassifierImpl::pool(const torch::Tensor& hidden) {
  const auto cls = hidden.select(1, 0);
  return at::tanh(pooler_int8_ ? pooler_int8_->forward(cls) : pooler(cls));
}

void BertClassifierImpl::quantize_int8() {
  MGEO_CHECK(pooler->weight.device().is_cpu() && pooler->weight.scalar_type() == torch::kFloat32,
             "--precision int8 runs on the CPU from fp32 weights (the model is {} on {})",
             c10::toString(pooler->weight.scalar_type()), pooler->weight.device().str());
  for (auto& layer : layer_handles_) layer->quantize_int8();
  pooler_int8_ = std::make_shared<const Int8Linear>(pooler);
}

torch::Tensor BertClassifierImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids,
                                          const torch::Tensor& attention_mask) {
  MGEO_CHECK(input_ids.dim() == 2 && input_ids.sizes() == token_type_ids.sizes() &&
                 input_ids.sizes() == attention_mask.sizes(),
             "BERT inputs must all be [batch, tokens] (got {}, {}, {})", input_ids.sizes().vec(),
             token_type_ids.sizes().vec(), attention_mask.sizes().vec());
  const int64_t t = input_ids.size(1);
  MGEO_CHECK(t >= 1 && t <= options_.max_positions, "BERT input of {} tokens (the model takes 1 to {})", t,
             options_.max_positions);
  const auto hidden = encode(embed(input_ids, token_type_ids), attention_bias(attention_mask), /*cls_only=*/true);
  return classifier(dropout(pool(hidden)));
}

}  // namespace mgeo::model
