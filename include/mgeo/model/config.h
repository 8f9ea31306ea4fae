// mgeo/model/config.h — hyper-parameters of a BERT pair classifier, read from config.json.
//
// Contract: plain value type with no torch dependency; safe to share read-only between
// threads. from_json_file() reads a HuggingFace BertConfig-style file (MGeo's adds
// `fusion_layer`), checks every field the network needs and throws mgeo::Error naming the
// file and the key. Each size has a ceiling far above real BERT models (hidden_size
// 65536, num_hidden_layers 1024, vocab_size 4M, 65536 labels, ...), so a hostile file
// fails while it is read. Whether the sizes match the weights is the loader's check.
// Defaults are bert-base-chinese's and apply to absent optional keys.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mgeo::model {

struct ModelConfig {
  int64_t vocab_size = 21128;
  int64_t hidden_size = 768;
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 12;  // must divide hidden_size
  int64_t intermediate_size = 3072;
  int64_t max_position_embeddings = 512;
  int64_t type_vocab_size = 2;
  double layer_norm_eps = 1e-12;
  double hidden_dropout_prob = 0.1;  // training only
  double attention_probs_dropout_prob = 0.1;
  std::string hidden_act = "gelu";   // "gelu" (exact erf), "gelu_new" (tanh form) or "relu"
  std::vector<std::string> id2label = {"LABEL_0", "LABEL_1"};  // index = label id
  int64_t pad_token_id = 0;
  int64_t fusion_layer = -1;  // MGeo: first text/GIS cross-attention layer; -1 if absent

  int64_t num_labels() const { return static_cast<int64_t>(id2label.size()); }

  // Layers the text classifier runs: those below fusion_layer when it cuts the stack.
  int64_t effective_layers() const;

  // Index of label `name`; throws mgeo::Error listing the labels if there is none.
  int label_index(const std::string& name) const;

  // Required keys: vocab_size, hidden_size, num_hidden_layers, num_attention_heads,
  // intermediate_size. Labels come from id2label (ids "0".."n-1"), else num_labels
  // (named LABEL_i), else two labels.
  static ModelConfig from_json_file(const std::string& path);

  // A HuggingFace BertConfig-style JSON text (model_type "bert", architectures,
  // id2label/label2id, fusion_layer when set) that from_json_file() and transformers'
  // AutoConfig both read back to the same values.
  std::string to_json_text() const;
};

}  // namespace mgeo::model
