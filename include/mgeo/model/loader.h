// mgeo/model/loader.h — builds a BertClassifier from a model directory or a state dict.
//
// Contract: stateless functions; the returned network is owned by the caller. Checkpoint
// key layouts are recognised from the keys themselves:
//   kHf    bert.embeddings.*, bert.encoder.layer.N.*, bert.pooler.dense.*, classifier.*
//   kBare  the same without the leading "bert."
//   kMGeo  bert.text_encoder.* in place of bert.*; the cross-attention layers from
//          fusion_layer on and the GIS tensors are present but unused.
// LayerNorm gamma/beta (old checkpoints) stand for weight/bias; keys the network does
// not use are ignored. A missing tensor, a shape mismatch or a weight holding NaN or
// infinity throws mgeo::Error naming the file, the key and the shapes.
#pragma once

#include <string>

#include "mgeo/model/bert.h"
#include "mgeo/model/checkpoint.h"
#include "mgeo/model/config.h"

namespace mgeo::model {

enum class KeyLayout { kHf, kBare, kMGeo };

// The layout of `weights`; throws mgeo::Error naming `origin` if none fits.
KeyLayout detect_layout(const TensorMap& weights, const std::string& origin);

// Copies `weights` into `net`'s parameters, converting to their dtype. `origin` (the
// file) is named in errors. A parameter that holds NaN or infinity once converted (one
// in the file, or a float64 beyond float32's range) is an error.
void load_weights(BertClassifierImpl& net, const TensorMap& weights, const std::string& origin);

// Throws mgeo::Error unless the tensors that fix the network's sizes have the shapes that
// `config` (read from `config_path`) declares: word, position and token-type embeddings
// [vocab_size | max_position_embeddings | type_vocab_size, hidden_size]; in each of
// config.effective_layers() layers the query [hidden_size, hidden_size] and the
// intermediate dense [intermediate_size, hidden_size]; the classifier [num_labels,
// hidden_size]. The message names the config file and key and the tensor key and shape.
// Run before a BertClassifier is built, it bounds what building one allocates by what
// `weights` (read from `weights_path`) already hold.
void check_config_fits_weights(const ModelConfig& config, const std::string& config_path, const TensorMap& weights,
                               const std::string& weights_path);

// `net`'s weights under the checkpoint names of `layout` (kHf: what transformers'
// BertForSequenceClassification loads), float32 on the CPU; the fused attention
// projection is split back into query, key and value.
TensorMap state_dict(BertClassifierImpl& net, KeyLayout layout = KeyLayout::kHf);

struct LoadedModel {
  ModelConfig config;
  BertClassifier net;
  std::string dir;
};

// DIR/config.json plus DIR/model.safetensors, else DIR/pytorch_model.bin. The config is
// checked against the weights (check_config_fits_weights) before the network is built.
// The network is moved to `device` and `dtype` (float32, float16, bfloat16 or float64)
// and set to eval() mode; a weight that overflows `dtype` (beyond float16's 65504) is an
// error naming the tensor key.
LoadedModel load_model_dir(const std::string& dir, torch::Device device = torch::kCPU,
                           torch::ScalarType dtype = torch::kFloat32);

// What a tokenizer feeds the network: ids below `vocab_entries`, the size of the
// vocabulary file `vocab_path`, in sequence pairs of at most `max_length` ids, a limit
// set by `length_option` (named in errors: "--max-length", "train.yaml: data.max_length").
struct ModelInputs {
  int64_t vocab_entries = 0;
  std::string vocab_path;
  int64_t max_length = 0;
  std::string length_option;
};

// Throws mgeo::Error unless `inputs` fit `model`: vocab_entries <= vocab_size (every id
// has a row of the word embeddings), 3 <= max_length <= max_position_embeddings, and
// type_vocab_size >= 2 (a pair's second segment has token type 1). Messages name the
// vocabulary file and its size, DIR/config.json and its key, and the option. Every
// caller that pairs a tokenizer with a loaded model runs it before reading any input.
void check_inputs_fit(const LoadedModel& model, const ModelInputs& inputs);

}  // namespace mgeo::model
