#include "mgeo/model/config.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace mgeo::model {
namespace {

using test::error_of;
using test::expect_contains;

const std::string kBase = R"("vocab_size": 100, "hidden_size": 64, "num_hidden_layers": 3,
    "num_attention_heads": 4, "intermediate_size": 128)";

class ConfigTest : public ::testing::Test {
 protected:
  ModelConfig parse(const std::string& body) {
    test::write_file(path_, body);
    return ModelConfig::from_json_file(path_);
  }
  std::string parse_error(const std::string& body) {
    return error_of([&] { parse(body); });
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("config.json");
};

TEST_F(ConfigTest, ReadsSizesLabelsInIdOrderAndDefaults) {
  const auto c = parse("{" + kBase + R"(, "id2label": {"2": "not_match", "0": "partial_match", "1": "exact_match"},
      "layer_norm_eps": 1e-5, "max_position_embeddings": 160, "label2id": null})");
  EXPECT_EQ(c.vocab_size, 100);
  EXPECT_EQ(c.hidden_size, 64);
  EXPECT_EQ(c.max_position_embeddings, 160);
  EXPECT_EQ(c.type_vocab_size, 2);
  EXPECT_DOUBLE_EQ(c.layer_norm_eps, 1e-5);
  EXPECT_EQ(c.hidden_act, "gelu");
  EXPECT_EQ(c.id2label, (std::vector<std::string>{"partial_match", "exact_match", "not_match"}));
  EXPECT_EQ(c.num_labels(), 3);
  EXPECT_EQ(c.label_index("not_match"), 2);
  EXPECT_EQ(c.fusion_layer, -1);
  EXPECT_EQ(c.effective_layers(), 3);
}

TEST_F(ConfigTest, FusionLayerCutsTheStack) {
  EXPECT_EQ(parse("{" + kBase + R"(, "fusion_layer": 2})").effective_layers(), 2);
  EXPECT_EQ(parse("{" + kBase + R"(, "fusion_layer": 3})").effective_layers(), 3);
  EXPECT_EQ(parse("{" + kBase + R"(, "fusion_layer": 9})").effective_layers(), 3);
}

TEST_F(ConfigTest, LabelsFromNumLabelsOrDefault) {
  EXPECT_EQ(parse("{" + kBase + R"(, "num_labels": 3})").id2label,
            (std::vector<std::string>{"LABEL_0", "LABEL_1", "LABEL_2"}));
  EXPECT_EQ(parse("{" + kBase + "}").id2label, (std::vector<std::string>{"LABEL_0", "LABEL_1"}));
}

TEST_F(ConfigTest, MissingKeyNamesFileAndKey) {
  expect_contains(parse_error(R"({"vocab_size": 100, "hidden_size": 64})"), {path_, "'num_hidden_layers'"});
}

TEST_F(ConfigTest, WrongTypeNamesKey) {
  expect_contains(parse_error(R"({"vocab_size": 100, "hidden_size": "64"})"), {path_, "'hidden_size'", "integer"});
  expect_contains(parse_error("{" + kBase + R"(, "layer_norm_eps": "small"})"), {"'layer_norm_eps'"});
  expect_contains(parse_error("{" + kBase + R"(, "hidden_act": 3})"), {"'hidden_act'"});
}

// A value nested 200,000 deep where a size belongs: a short error, not a stack overflow
// (the message once printed the whole value, recursively).
TEST_F(ConfigTest, DeeplyNestedValueGivesAShortError) {
  const int depth = 200000;
  const std::string nested = std::string(depth, '[') + std::string(depth, ']');
  const auto what = parse_error(R"({"vocab_size": )" + nested + R"(, "hidden_size": 64, "num_hidden_layers": 3,
    "num_attention_heads": 4, "intermediate_size": 128})");
  expect_contains(what, {path_, "'vocab_size'", "array"});
  EXPECT_LT(what.size(), 400u) << what.substr(0, 400);
}

TEST_F(ConfigTest, HiddenNotDivisibleByHeads) {
  expect_contains(parse_error(R"({"vocab_size": 100, "hidden_size": 66, "num_hidden_layers": 3,
      "num_attention_heads": 4, "intermediate_size": 128})"),
                  {path_, "'hidden_size' (66)", "'num_attention_heads' (4)"});
}

TEST_F(ConfigTest, Id2LabelIdsMustBeZeroToNMinusOne) {
  expect_contains(parse_error("{" + kBase + R"(, "id2label": {"0": "a", "2": "b"}})"), {"'id2label'", "'2'"});
  expect_contains(parse_error("{" + kBase + R"(, "id2label": {"x": "a"}})"), {"'id2label'", "'x'"});
  expect_contains(parse_error("{" + kBase + R"(, "id2label": {"0": 1}})"), {"'id2label'", "string"});
  expect_contains(parse_error("{" + kBase + R"(, "id2label": {"0": "a"}, "num_labels": 2})"), {"'num_labels'"});
}

TEST_F(ConfigTest, ActivationsAndPositionTypes) {
  EXPECT_EQ(parse("{" + kBase + R"(, "hidden_act": "gelu_new"})").hidden_act, "gelu_new");
  EXPECT_EQ(parse("{" + kBase + R"(, "hidden_act": "relu"})").hidden_act, "relu");
  expect_contains(parse_error("{" + kBase + R"(, "hidden_act": "swish"})"), {"'hidden_act'", "swish"});
  expect_contains(parse_error("{" + kBase + R"(, "position_embedding_type": "relative_key"})"),
                  {"'position_embedding_type'"});
}

// Every size has a ceiling, checked while the file is read: a hostile config.json fails
// with the file and key instead of allocating (num_labels alone used to make that many
// label names).
TEST_F(ConfigTest, HugeSizesAreRefusedWhileParsing) {
  const std::pair<const char*, const char*> cases[] = {
      {"hidden_size", "1000000000"},      {"num_hidden_layers", "1000000"}, {"intermediate_size", "1000000000"},
      {"vocab_size", "1000000000"},       {"max_position_embeddings", "1000000000"},
      {"num_attention_heads", "1048576"}, {"type_vocab_size", "1000000"},  {"num_labels", "100000"},
  };
  for (const auto& [key, value] : cases) {
    SCOPED_TRACE(key);
    const std::string body = "{" + kBase + ", \"" + key + "\": " + value + "}";  // the later key wins
    expect_contains(parse_error(body), {path_, std::string("'") + key + "' (" + value + ") is above the limit"});
  }
  std::string labels;
  for (int i = 0; i < 70000; ++i) labels += (i ? ", \"" : "\"") + std::to_string(i) + "\": \"l\"";
  expect_contains(parse_error("{" + kBase + ", \"id2label\": {" + labels + "}}"),
                  {path_, "'id2label' holds 70000 labels, above the limit of 65536"});
}

TEST_F(ConfigTest, SizesAtTheLimitsParse) {
  const auto c = parse(R"({"vocab_size": 4194304, "hidden_size": 65536, "num_hidden_layers": 1024,
      "num_attention_heads": 1024, "intermediate_size": 262144, "max_position_embeddings": 1048576,
      "type_vocab_size": 1024, "num_labels": 65536})");
  EXPECT_EQ(c.hidden_size, 65536);
  EXPECT_EQ(c.num_labels(), 65536);
}

TEST_F(ConfigTest, BadFiles) {
  expect_contains(parse_error("{not json"), {path_, "invalid JSON"});
  expect_contains(parse_error("[1, 2]"), {path_, "object"});
  expect_contains(error_of([&] { ModelConfig::from_json_file(dir_.file("absent.json")); }), {"absent.json"});
}

TEST_F(ConfigTest, UnknownLabelListsLabels) {
  const auto c = parse("{" + kBase + R"(, "id2label": {"0": "no", "1": "yes"}})");
  expect_contains(error_of([&] { c.label_index("maybe"); }), {"'maybe'", "no, yes"});
}

}  // namespace
}  // namespace mgeo::model
