#include "mgeo/model/loader.h"

#include <ATen/ops/isfinite.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <fmt/ranges.h>

#include <cstdint>
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

// NaN and infinite values in `t`. A contiguous float32 CPU tensor (every weight at load) is
// counted in one pass over its bits, an exponent of all ones being NaN or infinity; that is
// several times cheaper than at::isfinite's temporaries on a 400 MB checkpoint. Any other
// tensor is counted only after one all-finite test fails.
int64_t non_finite(const at::Tensor& t) {
  if (t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous()) {
    const auto* bits = static_cast<const uint32_t*>(t.const_data_ptr());
    int64_t bad = 0;
    for (int64_t i = 0, n = t.numel(); i < n; ++i) bad += (bits[i] & 0x7f800000u) == 0x7f800000u;
    return bad;
  }
  if (at::isfinite(t).all().item<bool>()) return 0;
  return t.numel() - at::isfinite(t).sum().item<int64_t>();
}

// A size the config declares for one dimension of a tensor, with the key that declares it.
struct Dim {
  const char* key;
  int64_t size;
};

// Compares the shapes of a checkpoint's tensors with the sizes its config declares.
class ShapeCheck {
 public:
  ShapeCheck(const std::string& config_path, const TensorMap& weights, const std::string& weights_path)
      : config_path_(config_path), weights_(weights), weights_path_(weights_path) {}

  void expect(const std::string& tensor_key, const std::vector<Dim>& dims) const {
    std::vector<int64_t> expected;
    std::vector<std::string> keys;
    for (const auto& d : dims) expected.push_back(d.size), keys.push_back(d.key);
    const auto* t = find_tensor(weights_, tensor_key);
    MGEO_CHECK(t, "{}: missing tensor '{}' (expected shape {} from {}: keys {})", weights_path_, tensor_key, expected,
               config_path_, fmt::join(keys, ", "));
    const auto shape = t->sizes().vec();
    if (shape == expected) return;
    for (size_t i = 0; i < dims.size() && i < shape.size(); ++i)
      MGEO_CHECK(shape[i] == dims[i].size, "{}: key '{}' is {}, but {}: tensor '{}' has shape {} (expected {})",
                 config_path_, dims[i].key, dims[i].size, weights_path_, tensor_key, shape, expected);
    fail("{}: tensor '{}' has shape {}, not the {} that {} declares (keys {})", weights_path_, tensor_key, shape,
         expected, config_path_, fmt::join(keys, ", "));
  }

  bool has(const std::string& tensor_key) const { return find_tensor(weights_, tensor_key) != nullptr; }

 private:
  const std::string& config_path_;
  const TensorMap& weights_;
  const std::string& weights_path_;
};

std::string query_key(const std::string& root, int64_t layer) {
  return fmt::format("{}encoder.layer.{}.attention.self.query.weight", root, layer);
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
      auto slice = param.narrow(0, static_cast<int64_t>(i) * expected[0], expected[0]);
      slice.copy_(*t);
      if (const int64_t bad = non_finite(slice))
        fail("{}: tensor '{}' holds {} NaN or infinite value(s) as {} (shape {})", origin, keys[i], bad,
             c10::toString(slice.scalar_type()), expected);
    }
  }
}

void check_config_fits_weights(const ModelConfig& c, const std::string& config_path, const TensorMap& weights,
                               const std::string& weights_path) {
  const std::string root = encoder_root(detect_layout(weights, weights_path));
  const ShapeCheck check(config_path, weights, weights_path);
  const Dim hidden{"hidden_size", c.hidden_size};
  check.expect(root + "embeddings.word_embeddings.weight", {{"vocab_size", c.vocab_size}, hidden});
  check.expect(root + "embeddings.position_embeddings.weight",
               {{"max_position_embeddings", c.max_position_embeddings}, hidden});
  check.expect(root + "embeddings.token_type_embeddings.weight", {{"type_vocab_size", c.type_vocab_size}, hidden});
  const int64_t layers = c.effective_layers();
  for (int64_t i = 0; i < layers; ++i) {
    if (!check.has(query_key(root, i))) {
      int64_t present = 0;
      while (present < layers && check.has(query_key(root, present))) ++present;
      fail("{}: key '{}' asks for {} layers, but {} holds {} (no tensor '{}')", config_path,
           layers < c.num_hidden_layers ? "fusion_layer" : "num_hidden_layers", layers, weights_path, present,
           query_key(root, i));
    }
    check.expect(query_key(root, i), {hidden, hidden});
    check.expect(fmt::format("{}encoder.layer.{}.intermediate.dense.weight", root, i),
                 {{"intermediate_size", c.intermediate_size}, hidden});
  }
  check.expect("classifier.weight", {{"num_labels", c.num_labels()}, hidden});
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
  const auto config_path = (fs::path(dir) / "config.json").string();
  auto config = ModelConfig::from_json_file(config_path);
  auto [path, weights] = read_weights(dir);
  check_config_fits_weights(config, config_path, weights, path);
  const KeyLayout layout = detect_layout(weights, path);
  BertClassifier net(BertOptions::from_config(config));
  load_weights(*net, weights, path);
  weights.clear();
  net->to(device, dtype);
  // load_weights checked every value in float32; only a narrower type can overflow.
  const bool narrower = dtype == torch::kFloat16 || dtype == torch::kBFloat16;
  for (const auto& item : net->named_parameters())
    if (const int64_t bad = narrower ? non_finite(item.value()) : 0)
      fail("{}: tensor '{}' overflows {} in {} value(s); run the model in float32", path,
           fmt::join(checkpoint_keys(item.key(), layout), "' + '"), c10::toString(dtype), bad);
  net->eval();
  return {std::move(config), std::move(net), dir};
}

void check_inputs_fit(const LoadedModel& model, const ModelInputs& in) {
  const auto& c = model.config;
  const auto config_path = (fs::path(model.dir) / "config.json").string();
  MGEO_CHECK(in.vocab_entries <= c.vocab_size,
             "{}: {} tokens, but {}: key 'vocab_size' is {} (word embedding rows): ids {}..{} have no embedding; "
             "use the vocab.txt the model was trained with",
             in.vocab_path, in.vocab_entries, config_path, c.vocab_size, c.vocab_size, in.vocab_entries - 1);
  MGEO_CHECK(in.max_length >= 3, "{} {} leaves no room for [CLS] and two [SEP] (at least 3)", in.length_option,
             in.max_length);
  MGEO_CHECK(in.max_length <= c.max_position_embeddings,
             "{} {} is above the model's {} positions ({}: key 'max_position_embeddings')", in.length_option,
             in.max_length, c.max_position_embeddings, config_path);
  MGEO_CHECK(c.type_vocab_size >= 2, "{}: key 'type_vocab_size' is {}: address pairs need token types 0 and 1",
             config_path, c.type_vocab_size);
}

}  // namespace mgeo::model
