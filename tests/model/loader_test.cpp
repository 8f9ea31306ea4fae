#include "mgeo/model/loader.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

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

}  // namespace
}  // namespace mgeo::model
