// mgeo/train/checkpoint_dir.h — writing and finding training checkpoints.
//
// Contract: save_checkpoint() writes a complete model directory that `score`, `eval` and
// transformers' BertForSequenceClassification.from_pretrained all load (config.json,
// vocab.txt, model.safetensors with bert.* / classifier.* keys) plus what resuming needs
// (optimizer.safetensors, trainer_state.json, training.yaml). It is built under a
// temporary name beside `dir` and renamed into place, so a crash never leaves a
// half-written checkpoint. Errors throw mgeo::Error naming the path.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mgeo/model/bert.h"
#include "mgeo/model/config.h"
#include "mgeo/train/optim.h"

namespace mgeo::train {

struct CheckpointContents {
  const model::ModelConfig& config;
  model::BertClassifierImpl& net;
  const AdamW& optimizer;
  std::string vocab_path;     // copied in as vocab.txt
  std::string options_yaml;   // saved as training.yaml
  nlohmann::json state;       // saved as trainer_state.json; must hold "step"
};

void save_checkpoint(const std::string& dir, const CheckpointContents& c);

// The step-numbered checkpoint under `output` with the highest step
// (output/checkpoint-<step>), if any.
std::optional<std::string> latest_checkpoint(const std::string& output);

std::string checkpoint_name(const std::string& output, int64_t step);

struct ResumeState {
  nlohmann::json state;
  std::map<std::string, torch::Tensor> optimizer;
};

// Reads trainer_state.json and optimizer.safetensors of a checkpoint directory.
ResumeState read_resume_state(const std::string& dir);

}  // namespace mgeo::train
