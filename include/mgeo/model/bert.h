// mgeo/model/bert.h — the BERT sequence-pair classifier (HF BertForSequenceClassification).
//
// Contract: modules own their parameters. forward() only reads them, so one module in
// eval() mode may serve concurrent forward() calls; to(), train()/eval() and weight
// loading must not overlap with those. Post-LN encoder, absolute positions, tanh pooler
// on token 0. Attention runs through at::scaled_dot_product_attention with an additive
// mask in the module's dtype, one path for fp32/fp16/bf16 on CPU and CUDA. Parameter
// names are this file's own (Q, K and V share one projection); mgeo/model/loader.h maps
// checkpoint keys onto them.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <vector>

#include "mgeo/model/config.h"
#include "mgeo/model/int8.h"

namespace mgeo::model {

enum class Activation { kGelu, kGeluTanh, kRelu };  // kGelu is the exact (erf) form

// Defaults are bert-base-chinese's, with two labels.
struct BertOptions {
  int64_t vocab_size = 21128;
  int64_t hidden_size = 768;
  int64_t num_layers = 12;  // layers built and run
  int64_t num_heads = 12;   // must divide hidden_size
  int64_t intermediate_size = 3072;
  int64_t max_positions = 512;
  int64_t type_vocab_size = 2;
  int64_t num_labels = 2;
  double layer_norm_eps = 1e-12;
  double hidden_dropout = 0.1;     // train() mode only
  double attention_dropout = 0.1;  // train() mode only
  Activation activation = Activation::kGelu;

  // Sizes of `config`, running its effective_layers().
  static BertOptions from_config(const ModelConfig& config);
};

// Word + position + token-type embeddings, LayerNorm, dropout.
class BertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit BertEmbeddingsImpl(const BertOptions& o);

  // input_ids, token_type_ids [B,T] int64 -> [B,T,H]; positions are 0..T-1.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids);

  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr}, token_type_embeddings{nullptr};
  torch::nn::LayerNorm norm{nullptr};  // registered as "LayerNorm"
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertEmbeddings);

// One post-LN encoder layer: self-attention + residual + LayerNorm, then the feed-forward
// block + residual + LayerNorm.
class BertLayerImpl : public torch::nn::Module {
 public:
  explicit BertLayerImpl(const BertOptions& o);

  // hidden [B,T,H], bias [B,1,1,T] additive -> [B,T,H]. With cls_only, only position 0
  // is computed (it still attends to every position): [B,1,H].
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& bias, bool cls_only = false);

  // From now on qkv, attn_out, ffn_in and ffn_out run as dynamic int8 (int8.h); their
  // fp32 parameters stay as they are (checkpoints and state_dict are unchanged).
  void quantize_int8();

  torch::nn::Linear qkv{nullptr};  // [3H, H]: rows of Q, then K, then V
  torch::nn::Linear attn_out{nullptr}, ffn_in{nullptr}, ffn_out{nullptr};
  torch::nn::LayerNorm attn_norm{nullptr}, ffn_norm{nullptr};
  torch::nn::Dropout dropout{nullptr};

 private:
  torch::Tensor self_attention(const torch::Tensor& hidden, const torch::Tensor& bias, bool cls_only);

  torch::Tensor run(torch::nn::Linear& layer, int slot, const torch::Tensor& x);

  int64_t heads_;
  double attention_dropout_;
  Activation activation_;
  std::shared_ptr<const Int8Linear> int8_[4];  // qkv, attn_out, ffn_in, ffn_out; null: fp
};
TORCH_MODULE(BertLayer);

class BertClassifierImpl : public torch::nn::Module {
 public:
  explicit BertClassifierImpl(const BertOptions& o);

  // input_ids [B,T] int64, token_type_ids [B,T] int64, attention_mask [B,T] int64 or bool
  // (nonzero = real token) -> logits [B, num_labels] in the module's dtype and device.
  // Requires 1 <= T <= max_positions; throws mgeo::Error otherwise.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids,
                        const torch::Tensor& attention_mask);

  // The steps of forward().
  torch::Tensor embed(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids);  // [B,T,H]
  // [B,1,1,T] in the module's dtype: 0 for tokens, the dtype's lowest value for padding.
  torch::Tensor attention_bias(const torch::Tensor& attention_mask) const;
  // [B,T,H], or [B,1,H] with cls_only (the last layer computes position 0 only).
  torch::Tensor encode(torch::Tensor hidden, const torch::Tensor& bias, bool cls_only = false);
  torch::Tensor pool(const torch::Tensor& hidden);  // [B,H]: tanh(dense(hidden[:, 0]))

  const BertOptions& options() const { return options_; }

  // CPU inference in int8: every encoder layer's linear layers and the pooler run as
  // dynamic int8 (int8.h); embeddings, LayerNorm, attention and the classifier stay fp32.
  // Requires fp32 parameters on the CPU; throws mgeo::Error otherwise.
  void quantize_int8();
  bool int8() const { return pooler_int8_ != nullptr; }

  BertEmbeddings embeddings{nullptr};
  torch::nn::ModuleList layers{nullptr};  // of BertLayer
  torch::nn::Linear pooler{nullptr}, classifier{nullptr};
  torch::nn::Dropout dropout{nullptr};

 private:
  BertOptions options_;
  std::shared_ptr<const Int8Linear> pooler_int8_;
  std::vector<BertLayer> layer_handles_;  // typed handles to the modules in `layers`
};
TORCH_MODULE(BertClassifier);

}  // namespace mgeo::model
