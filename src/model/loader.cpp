#include "mgeo/model/loader.h"

#include <torch/csrc/autograd/grad_mode.h>

#include <fmt/ranges.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "mgeo/util/error.h"

namespace mgeo::model {
namespace {

namespace fs = std::filesystem;

bool has_prefix(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

bool any_key_with_prefix(const TensorMap& weights, const std::string& prefix) {
  const auto it = weights.lower_bound(prefix);
  return it != weights.end() && has_prefix(it->first, prefix);
}

std::string encoder_root(KeyLayout layout) {
  switch (layout) {
    case KeyLayout::kHf: return "bert.";
    case KeyLayout::kBare: return "";
    case KeyLayout::kMGeo: return "bert.text_encoder.";
  }
  return "";
}

// HF names, under encoder.layer.N., of each parameter of BertLayerImpl.
std::vector<std::string> hf_layer_modules(const std::string& ours) {
  if (ours == "qkv") return {"attention.self.query", "attention.self.key", "attention.self.value"};
  if (ours == "attn_out") return {"attention.output.dense"};
  if (ours == "attn_norm") return {"attention.output.LayerNorm"};
  if (ours == "ffn_in") return {"intermediate.dense"};
  if (ours == "ffn_out") return {"output.dense"};
  if (ours == "ffn_norm") return {"output.LayerNorm"};
  fail("no checkpoint name for layer module '{}'", ours);
}

// Checkpoint keys whose tensors, stacked on dim 0, make parameter `param` of BertClassifierImpl.
std::vector<std::string> checkpoint_keys(const std::string& param, KeyLayout layout) {
  const auto root = encoder_root(layout);
  const auto dot = param.rfind('.');
  const auto module = param.substr(0, dot), leaf = param.substr(dot);  // leaf keeps its '.'
  if (has_prefix(module, "classifier")) return {param};
  if (has_prefix(module, "embeddings.")) return {root + param};
  if (module == "pooler") return {root + "pooler.dense" + leaf};
  // layers.N.<member> -> encoder.layer.N.<HF module>
  const std::string layers = "layers.";
  MGEO_CHECK(has_prefix(module, layers), "no checkpoint name for parameter '{}'", param);
  const auto index_end = module.find('.', layers.size());
  const auto index = module.substr(layers.size(), index_end - layers.size());
  std::vector<std::string> keys;
  for (const auto& hf : hf_layer_modules(module.substr(index_end + 1)))
    keys.push_back(root + "encoder.layer." + index + "." + hf + leaf);
  return keys;
}

// `key`, or its gamma/beta spelling for a LayerNorm; nullptr if neither is there.
const at::Tensor* find_tensor(const TensorMap& weights, const std::string& key) {
  if (const auto it = weights.find(key); it != weights.end()) return &it->second;
  static const std::pair<const char*, const char*> kOldNames[] = {{"LayerNorm.weight", "LayerNorm.gamma"},
                                                                  {"LayerNorm.bias", "LayerNorm.beta"}};
  for (const auto& [now, old] : kOldNames) {
    const std::string suffix = now;
    if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const auto it = weights.find(key.substr(0, key.size() - suffix.size()) + old);
      if (it != weights.end()) return &it->second;
    }
  }
  return nullptr;
}

std::pair<std::string, TensorMap> read_weights(const std::string& dir) {
  const auto safetensors = fs::path(dir) / "model.safetensors";
  if (fs::exists(safetensors)) return {safetensors.string(), read_safetensors(safetensors.string())};
  const auto bin = fs::path(dir) / "pytorch_model.bin";
  if (fs::exists(bin)) return {bin.string(), read_torch_bin(bin.string())};
  fail("{}: no weights found (looked for model.safetensors and pytorch_model.bin)", dir);
}

}  // namespace

KeyLayout detect_layout(const TensorMap& weights, const std::string& origin) {
  if (any_key_with_prefix(weights, "bert.text_encoder.")) return KeyLayout::kMGeo;
  if (any_key_with_prefix(weights, "bert.")) return KeyLayout::kHf;
  if (any_key_with_prefix(weights, "embeddings.") || any_key_with_prefix(weights, "encoder.")) return KeyLayout::kBare;
  std::vector<std::string> first;
  for (auto it = weights.begin(); it != weights.end() && first.size() < 5; ++it) first.push_back(it->first);
  fail("{}: not a BERT checkpoint: no bert.*, bert.text_encoder.* or embeddings.* keys (first keys: {})", origin,
       fmt::join(first, ", "));
}

void load_weights(BertClassifierImpl& net, const TensorMap& weights, const std::string& origin) {
  const KeyLayout layout = detect_layout(weights, origin);
  torch::NoGradGuard no_grad;
  for (auto& item : net.named_parameters()) {
    auto& param = item.value();
    const auto keys = checkpoint_keys(item.key(), layout);
    auto expected = param.sizes().vec();
    expected[0] /= static_cast<int64_t>(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      const auto* t = find_tensor(weights, keys[i]);
      MGEO_CHECK(t, "{}: missing tensor '{}' (expected shape {})", origin, keys[i], expected);
      MGEO_CHECK(t->sizes().vec() == expected, "{}: tensor '{}' has shape {}, expected {}", origin, keys[i],
                 t->sizes().vec(), expected);
      MGEO_CHECK(t->is_floating_point(), "{}: tensor '{}' holds {}, not floating-point weights", origin, keys[i],
                 c10::toString(t->scalar_type()));
      param.narrow(0, static_cast<int64_t>(i) * expected[0], expected[0]).copy_(*t);
    }
  }
}

TensorMap state_dict(BertClassifierImpl& net, KeyLayout layout) {
  torch::NoGradGuard no_grad;
  TensorMap out;
  for (const auto& item : net.named_parameters()) {
    const auto keys = checkpoint_keys(item.key(), layout);
    const auto param = item.value().detach().to(torch::kCPU, torch::kFloat32);
    const int64_t rows = param.size(0) / static_cast<int64_t>(keys.size());
    for (size_t i = 0; i < keys.size(); ++i)
      out[keys[i]] = param.narrow(0, static_cast<int64_t>(i) * rows, rows).clone();
  }
  return out;
}

LoadedModel load_model_dir(const std::string& dir, torch::Device device, torch::ScalarType dtype) {
  MGEO_CHECK(dtype == torch::kFloat32 || dtype == torch::kFloat16 || dtype == torch::kBFloat16 ||
                 dtype == torch::kFloat64,
             "{}: a model runs in float32, float16, bfloat16 or float64, not {}", dir, c10::toString(dtype));
  MGEO_CHECK(fs::is_directory(dir), "model directory {} does not exist", dir);
  auto config = ModelConfig::from_json_file((fs::path(dir) / "config.json").string());
  BertClassifier net(BertOptions::from_config(config));
  {
    const auto [path, weights] = read_weights(dir);
    load_weights(*net, weights, path);
  }
  net->to(device, dtype);
  net->eval();
  return {std::move(config), std::move(net), dir};
}

}  // namespace mgeo::model
