#include "mgeo/model/loader.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>

#include "test_util.h"

namespace mgeo::model {
namespace {

using test::error_of;
using test::expect_contains;

constexpr int64_t kVocab = 10, kHidden = 8, kInter = 16, kPositions = 12, kLabels = 3;

BertOptions tiny_options() {
  BertOptions o;
  o.vocab_size = kVocab;
  o.hidden_size = kHidden;
  o.num_layers = 1;
  o.num_heads = 2;
  o.intermediate_size = kInter;
  o.max_positions = kPositions;
  o.num_labels = kLabels;
  return o;
}

// A one-layer HF BertForSequenceClassification state dict, written out key by key.
TensorMap hf_state(const std::string& root = "bert.") {
  TensorMap m;
  int seed = 0;
  auto add = [&](const std::string& key, std::vector<int64_t> shape) {
    m[key] = torch::full(shape, static_cast<float>(++seed));
  };
  auto linear = [&](const std::string& name, int64_t out, int64_t in) {
    add(name + ".weight", {out, in});
    add(name + ".bias", {out});
  };
  auto norm = [&](const std::string& name) {
    add(name + ".weight", {kHidden});
    add(name + ".bias", {kHidden});
  };
  add(root + "embeddings.word_embeddings.weight", {kVocab, kHidden});
  add(root + "embeddings.position_embeddings.weight", {kPositions, kHidden});
  add(root + "embeddings.token_type_embeddings.weight", {2, kHidden});
  norm(root + "embeddings.LayerNorm");
  const std::string layer = root + "encoder.layer.0.";
  linear(layer + "attention.self.query", kHidden, kHidden);
  linear(layer + "attention.self.key", kHidden, kHidden);
  linear(layer + "attention.self.value", kHidden, kHidden);
  linear(layer + "attention.output.dense", kHidden, kHidden);
  norm(layer + "attention.output.LayerNorm");
  linear(layer + "intermediate.dense", kInter, kHidden);
  linear(layer + "output.dense", kHidden, kInter);
  norm(layer + "output.LayerNorm");
  linear(root + "pooler.dense", kHidden, kHidden);
  linear("classifier", kLabels, kHidden);
  return m;
}

float first(const torch::Tensor& t) { return t.flatten()[0].item<float>(); }

TEST(LoaderTest, DetectsLayouts) {
  EXPECT_EQ(detect_layout(hf_state(), "f"), KeyLayout::kHf);
  EXPECT_EQ(detect_layout(hf_state(""), "f"), KeyLayout::kBare);
  EXPECT_EQ(detect_layout(hf_state("bert.text_encoder."), "f"), KeyLayout::kMGeo);
  TensorMap other{{"model.layers.0.weight", torch::zeros({1})}};
  expect_contains(error_of([&] { detect_layout(other, "ckpt.bin"); }), {"ckpt.bin", "model.layers.0.weight"});
}

TEST(LoaderTest, MapsEveryHfTensor) {
  for (const std::string root : {"bert.", "", "bert.text_encoder."}) {
    const auto state = hf_state(root);
    BertClassifier net(tiny_options());
    load_weights(*net, state, "f");
    const auto& layer = *net->layers->ptr<BertLayerImpl>(0);
    const std::string l = root + "encoder.layer.0.";
    const auto qkv = layer.qkv->weight;
    EXPECT_EQ(first(qkv.narrow(0, 0, kHidden)), first(state.at(l + "attention.self.query.weight"))) << root;
    EXPECT_EQ(first(qkv.narrow(0, kHidden, kHidden)), first(state.at(l + "attention.self.key.weight")));
    EXPECT_EQ(first(qkv.narrow(0, 2 * kHidden, kHidden)), first(state.at(l + "attention.self.value.weight")));
    EXPECT_EQ(first(layer.qkv->bias.narrow(0, kHidden, kHidden)), first(state.at(l + "attention.self.key.bias")));
    EXPECT_EQ(first(layer.attn_out->weight), first(state.at(l + "attention.output.dense.weight")));
    EXPECT_EQ(first(layer.attn_norm->bias), first(state.at(l + "attention.output.LayerNorm.bias")));
    EXPECT_EQ(first(layer.ffn_in->weight), first(state.at(l + "intermediate.dense.weight")));
    EXPECT_EQ(first(layer.ffn_out->bias), first(state.at(l + "output.dense.bias")));
    EXPECT_EQ(first(layer.ffn_norm->weight), first(state.at(l + "output.LayerNorm.weight")));
    EXPECT_EQ(first(net->embeddings->norm->weight), first(state.at(root + "embeddings.LayerNorm.weight")));
    EXPECT_EQ(first(net->pooler->weight), first(state.at(root + "pooler.dense.weight")));
    EXPECT_EQ(first(net->classifier->bias), first(state.at("classifier.bias")));
  }
}

TEST(LoaderTest, OldLayerNormNamesAndUnusedKeys) {
  TensorMap state;
  for (auto& [key, t] : hf_state("bert.text_encoder.")) {
    auto k = key;
    if (auto p = k.find("LayerNorm.weight"); p != std::string::npos) k.replace(p, 16, "LayerNorm.gamma");
    if (auto p = k.find("LayerNorm.bias"); p != std::string::npos) k.replace(p, 14, "LayerNorm.beta");
    state[k] = t;
  }
  state["bert.text_encoder.encoder.layer.1.crossattention.self.query.weight"] = torch::zeros({3});
  state["bert.gis_embeddings.weight"] = torch::zeros({5, 5});
  state["bert.text_encoder.embeddings.position_ids"] = torch::arange(kPositions).unsqueeze(0);
  BertClassifier net(tiny_options());
  load_weights(*net, state, "f");
  EXPECT_EQ(first(net->embeddings->norm->weight), first(state.at("bert.text_encoder.embeddings.LayerNorm.gamma")));
}

TEST(LoaderTest, MissingTensorNamesKeyAndShape) {
  auto state = hf_state();
  state.erase("bert.encoder.layer.0.attention.self.value.weight");
  BertClassifier net(tiny_options());
  expect_contains(error_of([&] { load_weights(*net, state, "model.safetensors"); }),
                  {"model.safetensors", "missing tensor 'bert.encoder.layer.0.attention.self.value.weight'", "[8, 8]"});
}

TEST(LoaderTest, WrongShapeNamesKeyAndBothShapes) {
  auto state = hf_state();
  state["bert.encoder.layer.0.intermediate.dense.weight"] = torch::zeros({kInter, kHidden + 1});
  BertClassifier net(tiny_options());
  expect_contains(error_of([&] { load_weights(*net, state, "m.bin"); }),
                  {"m.bin", "'bert.encoder.layer.0.intermediate.dense.weight'", "shape [16, 9]", "expected [16, 8]"});
}

TEST(LoaderTest, IntegerWeightsAreRejected) {
  auto state = hf_state();
  state["classifier.bias"] = torch::zeros({kLabels}, torch::kLong);
  BertClassifier net(tiny_options());
  expect_contains(error_of([&] { load_weights(*net, state, "m.bin"); }), {"'classifier.bias'", "Long"});
}

TEST(LoaderTest, ModelDirErrors) {
  test::TempDir dir;
  expect_contains(error_of([&] { load_model_dir(dir.file("absent")); }), {"absent", "does not exist"});
  test::write_file(dir.file("config.json"), R"({"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1,
      "num_attention_heads": 2, "intermediate_size": 16})");
  expect_contains(error_of([&] { load_model_dir(dir.path()); }), {"model.safetensors", "pytorch_model.bin"});
  expect_contains(error_of([&] { load_model_dir(dir.path(), torch::kCPU, torch::kInt32); }), {"Int"});
}

// The config.json of hf_state()'s model, with `extra` keys appended (a later key wins).
std::string tiny_config(const std::string& extra = "") {
  return R"({"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
      "intermediate_size": 16, "max_position_embeddings": 12, "num_labels": 3)" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

// A model directory: config.json and model.safetensors.
struct ModelDir {
  test::TempDir dir;
  std::string config = dir.file("config.json"), weights = dir.file("model.safetensors");
  explicit ModelDir(const std::string& config_text, const TensorMap& state = hf_state()) {
    test::write_file(config, config_text);
    write_safetensors(weights, state);
  }
  std::string error(torch::ScalarType dtype = torch::kFloat32) const {
    return error_of([&] { load_model_dir(dir.path(), torch::kCPU, dtype); });
  }
};

TEST(LoaderTest, TinyModelDirLoads) {
  ModelDir m(tiny_config());
  const auto loaded = load_model_dir(m.dir.path());
  EXPECT_EQ(loaded.config.vocab_size, kVocab);
  EXPECT_EQ(first(loaded.net->classifier->bias), first(hf_state().at("classifier.bias")));
}

// Each size of config.json is compared with the tensor that holds it before the network
// is built; the message names the config file and key, the weights file, tensor and shape.
TEST(LoaderTest, ConfigSizesMustMatchTheWeights) {
  const std::string e = "bert.embeddings.";
  const struct {
    std::string extra;
    std::vector<std::string> parts;
  } cases[] = {
      {R"("vocab_size": 11)", {"'vocab_size' is 11", e + "word_embeddings.weight' has shape [10, 8]"}},
      {R"("hidden_size": 16)", {"'hidden_size' is 16", e + "word_embeddings.weight' has shape [10, 8]"}},
      {R"("max_position_embeddings": 64)",
       {"'max_position_embeddings' is 64", e + "position_embeddings.weight' has shape [12, 8]"}},
      {R"("type_vocab_size": 3)", {"'type_vocab_size' is 3", e + "token_type_embeddings.weight' has shape [2, 8]"}},
      {R"("intermediate_size": 32)",
       {"'intermediate_size' is 32", "'bert.encoder.layer.0.intermediate.dense.weight' has shape [16, 8]"}},
      {R"("num_labels": 5)", {"'num_labels' is 5", "'classifier.weight' has shape [3, 8]"}},
      {R"("num_hidden_layers": 3)",
       {"'num_hidden_layers' asks for 3 layers", "holds 1", "'bert.encoder.layer.1.attention.self.query.weight'"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.extra);
    ModelDir m(tiny_config(c.extra));
    const auto message = m.error();
    expect_contains(message, {m.config, m.weights});
    for (const auto& part : c.parts) expect_contains(message, {part});
  }
}

TEST(LoaderTest, FusionLayerCountsTheLayersThatRun) {
  ModelDir m(tiny_config(R"("num_hidden_layers": 5, "fusion_layer": 3)"), hf_state("bert.text_encoder."));
  expect_contains(m.error(), {m.config, "'fusion_layer' asks for 3 layers", "holds 1",
                              "'bert.text_encoder.encoder.layer.1.attention.self.query.weight'"});
  ModelDir cut(tiny_config(R"("num_hidden_layers": 5, "fusion_layer": 1)"), hf_state("bert.text_encoder."));
  EXPECT_EQ(load_model_dir(cut.dir.path()).net->options().num_layers, 1);
}

// Sizes within the parse-time limits but far beyond the checkpoint (a network of
// hundreds of terabytes) are refused from the tensors' shapes, before anything is built.
TEST(LoaderTest, ConfigDeclaringAHugeModelIsRefusedBeforeBuildingIt) {
  ModelDir m(tiny_config(R"("vocab_size": 4000000, "hidden_size": 65536, "num_hidden_layers": 1000,
      "intermediate_size": 262144, "max_position_embeddings": 1000000)"));
  expect_contains(m.error(), {m.config, "'vocab_size' is 4000000", "[10, 8]"});
}

TEST(LoaderTest, NonFiniteWeightsNameFileAndKey) {
  const std::string key = "bert.encoder.layer.0.output.dense.weight";
  for (const float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    auto state = hf_state();
    state[key][3][5] = bad;
    ModelDir m(tiny_config(), state);
    expect_contains(m.error(), {m.weights, "'" + key + "'", "holds 1 NaN or infinite value"});
  }
  auto state = hf_state();
  state["classifier.bias"] = torch::tensor({1.0, 1e300, -1e300}, torch::kFloat64);  // beyond float32
  BertClassifier net(tiny_options());
  expect_contains(error_of([&] { load_weights(*net, state, "m.bin"); }),
                  {"m.bin", "'classifier.bias'", "holds 2 NaN or infinite value(s) as Float"});
}

TEST(LoaderTest, WeightsBeyondFloat16AreRefusedInFloat16Only) {
  auto state = hf_state();
  state["bert.pooler.dense.weight"][0][0] = 1e6f;
  ModelDir m(tiny_config(), state);
  EXPECT_NO_THROW(load_model_dir(m.dir.path(), torch::kCPU, torch::kFloat32));
  EXPECT_NO_THROW(load_model_dir(m.dir.path(), torch::kCPU, torch::kBFloat16));
  expect_contains(m.error(torch::kFloat16), {m.weights, "'bert.pooler.dense.weight'", "overflows Half"});
}

TEST(LoaderTest, InputsMustFitTheModel) {
  ModelDir m(tiny_config());
  const auto loaded = load_model_dir(m.dir.path());
  const std::string vocab = "/models/x/vocab.txt";
  EXPECT_NO_THROW(check_inputs_fit(loaded, {kVocab, vocab, kPositions, "--max-length"}));
  EXPECT_NO_THROW(check_inputs_fit(loaded, {kVocab - 3, vocab, 3, "--max-length"}));
  expect_contains(error_of([&] { check_inputs_fit(loaded, {kVocab + 1, vocab, 8, "--max-length"}); }),
                  {vocab, "11 tokens", m.config, "'vocab_size' is 10", "ids 10..10"});
  expect_contains(error_of([&] { check_inputs_fit(loaded, {kVocab, vocab, kPositions + 1, "--max-length"}); }),
                  {"--max-length 13", "12 positions", m.config, "'max_position_embeddings'"});
  expect_contains(error_of([&] { check_inputs_fit(loaded, {kVocab, vocab, 2, "t.yaml: data.max_length"}); }),
                  {"t.yaml: data.max_length 2", "at least 3"});
  auto one_type = hf_state();
  one_type["bert.embeddings.token_type_embeddings.weight"] = torch::ones({1, kHidden});
  ModelDir single(tiny_config(R"("type_vocab_size": 1)"), one_type);
  const auto single_loaded = load_model_dir(single.dir.path());
  expect_contains(error_of([&] { check_inputs_fit(single_loaded, {kVocab, vocab, 8, "--max-length"}); }),
                  {single.config, "'type_vocab_size' is 1"});
}

}  // namespace
}  // namespace mgeo::model
