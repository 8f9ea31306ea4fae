// mgeo/model/loader.h — builds a BertClassifier from a model directory or a state dict.
//
// Contract: stateless functions; the returned network is owned by the caller. Checkpoint
// key layouts are recognised from the keys themselves:
//   kHf    bert.embeddings.*, bert.encoder.layer.N.*, bert.pooler.dense.*, classifier.*
//   kBare  the same without the leading "bert."
//   kMGeo  bert.text_encoder.* in place of bert.*; the cross-attention layers from
//          fusion_layer on and the GIS tensors are present but unused.
// LayerNorm gamma/beta (old checkpoints) stand for weight/bias; keys the network does
// not use are ignored. A missing tensor or a shape mismatch throws mgeo::Error naming
// the file, the key and the shapes.
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
// file) is named in errors.
void load_weights(BertClassifierImpl& net, const TensorMap& weights, const std::string& origin);

// `net`'s weights under the checkpoint names of `layout` (kHf: what transformers'
// BertForSequenceClassification loads), float32 on the CPU; the fused attention
// projection is split back into query, key and value.
TensorMap state_dict(BertClassifierImpl& net, KeyLayout layout = KeyLayout::kHf);

struct LoadedModel {
  ModelConfig config;
  BertClassifier net;
  std::string dir;
};

// DIR/config.json plus DIR/model.safetensors, else DIR/pytorch_model.bin. The network
// is moved to `device` and `dtype` (float32, float16, bfloat16 or float64) and set to
// eval() mode.
LoadedModel load_model_dir(const std::string& dir, torch::Device device = torch::kCPU,
                           torch::ScalarType dtype = torch::kFloat32);

}  // namespace mgeo::model
