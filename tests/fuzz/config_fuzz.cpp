// ModelConfig::from_json_file on the input as config.json; a config it accepts must read
// back the same from its own to_json_text().
#include <cstdint>

#include "fuzz_util.h"
#include "mgeo/model/config.h"
#include "mgeo/util/error.h"

namespace {

bool same(const mgeo::model::ModelConfig& a, const mgeo::model::ModelConfig& b) {
  return a.vocab_size == b.vocab_size && a.hidden_size == b.hidden_size &&
         a.num_hidden_layers == b.num_hidden_layers && a.num_attention_heads == b.num_attention_heads &&
         a.intermediate_size == b.intermediate_size && a.max_position_embeddings == b.max_position_embeddings &&
         a.type_vocab_size == b.type_vocab_size && a.layer_norm_eps == b.layer_norm_eps &&
         a.hidden_dropout_prob == b.hidden_dropout_prob &&
         a.attention_probs_dropout_prob == b.attention_probs_dropout_prob && a.hidden_act == b.hidden_act &&
         a.id2label == b.id2label && a.pad_token_id == b.pad_token_id && a.fusion_layer == b.fusion_layer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile file("config.json"), again("again.json");
  mgeo::model::ModelConfig config;
  try {
    config = mgeo::model::ModelConfig::from_json_file(file.write(data, size));
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
    return 0;
  }
  config.effective_layers();
  try {
    config.label_index("LABEL_1");
  } catch (const mgeo::Error&) {  // labels may have other names
  }
  mgeo::model::ModelConfig back;
  try {
    back = mgeo::model::ModelConfig::from_json_file(again.write(config.to_json_text()));
  } catch (const mgeo::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    FUZZ_CHECK(false, "an accepted config reads back from to_json_text()");
  }
  FUZZ_CHECK(same(config, back), "to_json_text() reads back to the same values");
  return 0;
}
