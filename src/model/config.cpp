#include "mgeo/model/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>

#include "mgeo/util/error.h"
#include "mgeo/util/json_brief.h"
#include "mgeo/util/regular_file.h"

namespace mgeo::model {
namespace {

constexpr uint64_t kMaxConfigBytes = 16u << 20;  // a config.json is a few KB

// Upper bounds on the sizes a config may declare: far above any BERT-style checkpoint
// (bert-large: 1024 hidden, 24 layers; multilingual vocabularies: 250k), low enough that
// a hostile config.json fails here, not when the network is built.
constexpr int64_t kMaxLabels = int64_t{1} << 16;
struct SizeBound {
  const char* key;
  int64_t ModelConfig::*field;
  int64_t max;
};
constexpr SizeBound kSizeBounds[] = {
    {"vocab_size", &ModelConfig::vocab_size, int64_t{1} << 22},
    {"hidden_size", &ModelConfig::hidden_size, int64_t{1} << 16},
    {"num_hidden_layers", &ModelConfig::num_hidden_layers, int64_t{1} << 10},
    {"num_attention_heads", &ModelConfig::num_attention_heads, int64_t{1} << 10},
    {"intermediate_size", &ModelConfig::intermediate_size, int64_t{1} << 18},
    {"max_position_embeddings", &ModelConfig::max_position_embeddings, int64_t{1} << 20},
    {"type_vocab_size", &ModelConfig::type_vocab_size, int64_t{1} << 10},
};

using nlohmann::json;

// Typed access to the keys of one config file; every error names the file and key.
class Keys {
 public:
  Keys(const json& j, const std::string& path) : j_(j), path_(path) {}

  bool has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }

  int64_t integer(const char* key) const {
    require(key);
    const auto& v = j_.at(key);
    MGEO_CHECK(v.is_number_integer(), "{}: key '{}' must be an integer (got {})", path_, key, json_brief(v));
    return v.get<int64_t>();
  }
  int64_t integer(const char* key, int64_t def) const { return has(key) ? integer(key) : def; }

  double number(const char* key, double def) const {
    if (!has(key)) return def;
    const auto& v = j_.at(key);
    MGEO_CHECK(v.is_number(), "{}: key '{}' must be a number (got {})", path_, key, json_brief(v));
    return v.get<double>();
  }

  std::string string(const char* key, const std::string& def) const {
    if (!has(key)) return def;
    const auto& v = j_.at(key);
    MGEO_CHECK(v.is_string(), "{}: key '{}' must be a string (got {})", path_, key, json_brief(v));
    return v.get<std::string>();
  }

  const json& at(const char* key) const { return j_.at(key); }
  const std::string& path() const { return path_; }

  void require(const char* key) const { MGEO_CHECK(has(key), "{}: missing key '{}'", path_, key); }

 private:
  const json& j_;
  const std::string& path_;
};

json parse_file(const std::string& path) {
  require_regular_file(path, "model config", kMaxConfigBytes);
  std::ifstream in(path, std::ios::binary);
  MGEO_CHECK(in, "cannot open model config {}", path);
  try {
    auto j = json::parse(in);
    MGEO_CHECK(j.is_object(), "{}: a model config must be a JSON object", path);
    return j;
  } catch (const json::exception& e) {
    fail("{}: invalid JSON: {}", path, e.what());
  }
}

int64_t parse_label_id(const std::string& s, const std::string& path) {
  int64_t id = -1;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  MGEO_CHECK(ec == std::errc() && end == s.data() + s.size(), "{}: key 'id2label': '{}' is not an integer id",
             path, s);
  return id;
}

std::vector<std::string> read_id2label(const Keys& k) {
  const auto& m = k.at("id2label");
  MGEO_CHECK(m.is_object() && !m.empty(), "{}: key 'id2label' must be a non-empty object", k.path());
  MGEO_CHECK(m.size() <= static_cast<size_t>(kMaxLabels), "{}: key 'id2label' holds {} labels, above the limit of {}",
             k.path(), m.size(), kMaxLabels);
  std::vector<std::string> labels(m.size());
  std::vector<bool> seen(m.size(), false);
  for (const auto& [key, value] : m.items()) {
    const int64_t id = parse_label_id(key, k.path());
    MGEO_CHECK(id >= 0 && id < static_cast<int64_t>(m.size()) && !seen[id],
               "{}: key 'id2label': ids must be 0..{} each once (got '{}')", k.path(), m.size() - 1, key);
    MGEO_CHECK(value.is_string(), "{}: key 'id2label': label {} must be a string", k.path(), key);
    seen[id] = true;
    labels[id] = value.get<std::string>();
  }
  return labels;
}

std::vector<std::string> read_labels(const Keys& k) {
  if (k.has("id2label")) {
    auto labels = read_id2label(k);
    if (k.has("num_labels"))
      MGEO_CHECK(k.integer("num_labels") == static_cast<int64_t>(labels.size()),
                 "{}: key 'num_labels' ({}) disagrees with id2label ({} labels)", k.path(),
                 k.integer("num_labels"), labels.size());
    return labels;
  }
  const int64_t n = k.integer("num_labels", 2);
  MGEO_CHECK(n > 0, "{}: key 'num_labels' must be positive (got {})", k.path(), n);
  MGEO_CHECK(n <= kMaxLabels, "{}: key 'num_labels' ({}) is above the limit of {}", k.path(), n, kMaxLabels);
  std::vector<std::string> labels;
  for (int64_t i = 0; i < n; ++i) labels.push_back(fmt::format("LABEL_{}", i));
  return labels;
}

void validate(const ModelConfig& c, const std::string& path) {
  for (const auto& [key, field, max] : kSizeBounds) {
    const int64_t v = c.*field;
    MGEO_CHECK(v > 0, "{}: key '{}' must be positive (got {})", path, key, v);
    MGEO_CHECK(v <= max, "{}: key '{}' ({}) is above the limit of {}", path, key, v, max);
  }
  MGEO_CHECK(c.hidden_size % c.num_attention_heads == 0,
             "{}: key 'hidden_size' ({}) is not divisible by 'num_attention_heads' ({})", path,
             c.hidden_size, c.num_attention_heads);
  MGEO_CHECK(c.layer_norm_eps > 0, "{}: key 'layer_norm_eps' must be positive", path);
  MGEO_CHECK(c.hidden_dropout_prob >= 0 && c.hidden_dropout_prob < 1,
             "{}: key 'hidden_dropout_prob' must be in [0, 1)", path);
  MGEO_CHECK(c.attention_probs_dropout_prob >= 0 && c.attention_probs_dropout_prob < 1,
             "{}: key 'attention_probs_dropout_prob' must be in [0, 1)", path);
  MGEO_CHECK(c.hidden_act == "gelu" || c.hidden_act == "gelu_new" || c.hidden_act == "relu",
             "{}: key 'hidden_act': '{}' is not supported (gelu, gelu_new, relu)", path, c.hidden_act);
  MGEO_CHECK(c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size,
             "{}: key 'pad_token_id' ({}) is outside the vocabulary", path, c.pad_token_id);
  MGEO_CHECK(c.fusion_layer >= -1, "{}: key 'fusion_layer' must be >= 0 (got {})", path, c.fusion_layer);
  MGEO_CHECK(c.effective_layers() > 0, "{}: key 'fusion_layer' is 0: no text layers to run", path);
}

}  // namespace

int64_t ModelConfig::effective_layers() const {
  return fusion_layer >= 0 && fusion_layer < num_hidden_layers ? fusion_layer : num_hidden_layers;
}

int ModelConfig::label_index(const std::string& name) const {
  for (size_t i = 0; i < id2label.size(); ++i)
    if (id2label[i] == name) return static_cast<int>(i);
  fail("label '{}' is not one of the model's labels ({})", name, fmt::join(id2label, ", "));
}

ModelConfig ModelConfig::from_json_file(const std::string& path) {
  const json j = parse_file(path);
  const Keys k(j, path);
  const auto position_type = k.string("position_embedding_type", "absolute");
  MGEO_CHECK(position_type == "absolute",
             "{}: key 'position_embedding_type': '{}' is not supported (absolute only)", path, position_type);
  ModelConfig c;
  c.vocab_size = k.integer("vocab_size");
  c.hidden_size = k.integer("hidden_size");
  c.num_hidden_layers = k.integer("num_hidden_layers");
  c.num_attention_heads = k.integer("num_attention_heads");
  c.intermediate_size = k.integer("intermediate_size");
  c.max_position_embeddings = k.integer("max_position_embeddings", c.max_position_embeddings);
  c.type_vocab_size = k.integer("type_vocab_size", c.type_vocab_size);
  c.layer_norm_eps = k.number("layer_norm_eps", c.layer_norm_eps);
  c.hidden_dropout_prob = k.number("hidden_dropout_prob", c.hidden_dropout_prob);
  c.attention_probs_dropout_prob = k.number("attention_probs_dropout_prob", c.attention_probs_dropout_prob);
  c.hidden_act = k.string("hidden_act", c.hidden_act);
  c.id2label = read_labels(k);
  c.pad_token_id = k.integer("pad_token_id", c.pad_token_id);
  c.fusion_layer = k.integer("fusion_layer", c.fusion_layer);
  validate(c, path);
  return c;
}

std::string ModelConfig::to_json_text() const {
  json j;
  j["architectures"] = {"BertForSequenceClassification"};
  j["model_type"] = "bert";
  j["vocab_size"] = vocab_size;
  j["hidden_size"] = hidden_size;
  j["num_hidden_layers"] = num_hidden_layers;
  j["num_attention_heads"] = num_attention_heads;
  j["intermediate_size"] = intermediate_size;
  j["max_position_embeddings"] = max_position_embeddings;
  j["type_vocab_size"] = type_vocab_size;
  j["layer_norm_eps"] = layer_norm_eps;
  j["hidden_dropout_prob"] = hidden_dropout_prob;
  j["attention_probs_dropout_prob"] = attention_probs_dropout_prob;
  j["hidden_act"] = hidden_act;
  j["pad_token_id"] = pad_token_id;
  j["initializer_range"] = 0.02;
  json id2label = json::object(), label2id = json::object();
  for (size_t i = 0; i < this->id2label.size(); ++i) {
    id2label[std::to_string(i)] = this->id2label[i];
    label2id[this->id2label[i]] = i;
  }
  j["id2label"] = id2label;
  j["label2id"] = label2id;
  if (fusion_layer >= 0) j["fusion_layer"] = fusion_layer;
  return j.dump(2) + "\n";
}

}  // namespace mgeo::model
