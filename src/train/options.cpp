#include "mgeo/train/options.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>

#include "mgeo/util/error.h"

namespace mgeo::train {
namespace {

// One setter per "section.key"; each parses a YAML scalar or sequence.
using Setter = std::function<void(TrainOptions&, const YAML::Node&)>;

template <class T>
Setter field(T TrainOptions::*member) {
  return [member](TrainOptions& o, const YAML::Node& n) { o.*member = n.as<T>(); };
}

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> s = {
      {"model.init", field(&TrainOptions::init)},
      {"model.vocab", field(&TrainOptions::vocab)},
      {"model.labels", field(&TrainOptions::labels)},
      {"model.hidden_size", field(&TrainOptions::hidden_size)},
      {"model.layers", field(&TrainOptions::layers)},
      {"model.heads", field(&TrainOptions::heads)},
      {"model.intermediate_size", field(&TrainOptions::intermediate_size)},
      {"model.max_positions", field(&TrainOptions::max_positions)},
      {"model.dropout", field(&TrainOptions::dropout)},
      {"data.train", field(&TrainOptions::train_file)},
      {"data.max_length", field(&TrainOptions::max_length)},
      {"train.output", field(&TrainOptions::output)},
      {"train.epochs", field(&TrainOptions::epochs)},
      {"train.max_steps", field(&TrainOptions::max_steps)},
      {"train.batch_size", field(&TrainOptions::batch_size)},
      {"train.lr", field(&TrainOptions::lr)},
      {"train.weight_decay", field(&TrainOptions::weight_decay)},
      {"train.warmup_steps", field(&TrainOptions::warmup_steps)},
      {"train.clip_norm", field(&TrainOptions::clip_norm)},
      {"train.seed", field(&TrainOptions::seed)},
      {"train.save_every", field(&TrainOptions::save_every)},
      {"train.log_every", field(&TrainOptions::log_every)},
      {"train.check_sync_every", field(&TrainOptions::check_sync_every)},
  };
  return s;
}

void set(TrainOptions& o, const std::string& key, const YAML::Node& value, const std::string& where) {
  const auto it = setters().find(key);
  if (it == setters().end()) {
    std::string known;
    for (const auto& [k, _] : setters()) known += (known.empty() ? "" : ", ") + k;
    fail("{}: unknown key '{}' (known: {})", where, key, known);
  }
  try {
    it->second(o, value);
  } catch (const YAML::Exception& e) {
    fail("{}: key '{}': {}", where, key, e.what());
  }
}

void check(const TrainOptions& o) {
  const auto& f = o.source;
  MGEO_CHECK(!o.train_file.empty(), "{}: data.train is required", f);
  MGEO_CHECK(!o.output.empty(), "{}: train.output is required", f);
  MGEO_CHECK(!o.init.empty() || !o.vocab.empty(), "{}: a new model needs model.vocab", f);
  MGEO_CHECK(o.labels.size() >= 2, "{}: model.labels needs at least two labels", f);
  MGEO_CHECK(o.hidden_size > 0 && o.heads > 0 && o.hidden_size % o.heads == 0,
             "{}: model.hidden_size ({}) must be a positive multiple of model.heads ({})", f, o.hidden_size, o.heads);
  MGEO_CHECK(o.layers > 0 && o.intermediate_size > 0, "{}: model.layers and intermediate_size must be positive", f);
  MGEO_CHECK(o.max_length >= 3 && o.max_length <= o.max_positions,
             "{}: data.max_length ({}) must be in [3, model.max_positions = {}]", f, o.max_length, o.max_positions);
  MGEO_CHECK(o.dropout >= 0 && o.dropout < 1, "{}: model.dropout must be in [0, 1)", f);
  MGEO_CHECK(o.epochs > 0 || o.max_steps > 0, "{}: train.epochs or train.max_steps must be positive", f);
  MGEO_CHECK(o.batch_size > 0, "{}: train.batch_size must be positive", f);
  MGEO_CHECK(o.lr > 0 && o.weight_decay >= 0, "{}: train.lr must be > 0 and weight_decay >= 0", f);
  MGEO_CHECK(o.warmup_steps >= 0 && o.save_every >= 0 && o.log_every >= 0 && o.check_sync_every >= 0,
             "{}: step counts must not be negative", f);
}

}  // namespace

TrainOptions load_train_options(const std::string& path, const std::vector<std::string>& overrides) {
  TrainOptions o;
  o.source = path;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    fail("{}: cannot read the training config: {}", path, e.what());
  }
  MGEO_CHECK(root.IsMap(), "{}: a training config must be a mapping of sections", path);
  for (const auto& section : root) {
    const auto name = section.first.as<std::string>();
    MGEO_CHECK(section.second.IsMap(), "{}: section '{}' must be a mapping", path, name);
    for (const auto& kv : section.second)
      set(o, name + "." + kv.first.as<std::string>(), kv.second, fmt::format("{}:{}", path, kv.first.Mark().line + 1));
  }
  for (const auto& ov : overrides) {
    const auto eq = ov.find('=');
    MGEO_CHECK(eq != std::string::npos, "override '{}' must look like section.key=value", ov);
    set(o, ov.substr(0, eq), YAML::Load(ov.substr(eq + 1)), "override '" + ov + "'");
  }
  check(o);
  return o;
}

std::string to_yaml(const TrainOptions& o) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "init" << YAML::Value << o.init << YAML::Key << "vocab" << YAML::Value << o.vocab;
  e << YAML::Key << "labels" << YAML::Value << YAML::Flow << o.labels;
  e << YAML::Key << "hidden_size" << YAML::Value << o.hidden_size << YAML::Key << "layers" << YAML::Value << o.layers;
  e << YAML::Key << "heads" << YAML::Value << o.heads << YAML::Key << "intermediate_size" << YAML::Value
    << o.intermediate_size;
  e << YAML::Key << "max_positions" << YAML::Value << o.max_positions << YAML::Key << "dropout" << YAML::Value
    << o.dropout;
  e << YAML::EndMap;
  e << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "train" << YAML::Value << o.train_file << YAML::Key << "max_length" << YAML::Value << o.max_length;
  e << YAML::EndMap;
  e << YAML::Key << "train" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "output" << YAML::Value << o.output << YAML::Key << "epochs" << YAML::Value << o.epochs;
  e << YAML::Key << "max_steps" << YAML::Value << o.max_steps << YAML::Key << "batch_size" << YAML::Value
    << o.batch_size;
  e << YAML::Key << "lr" << YAML::Value << o.lr << YAML::Key << "weight_decay" << YAML::Value << o.weight_decay;
  e << YAML::Key << "warmup_steps" << YAML::Value << o.warmup_steps << YAML::Key << "clip_norm" << YAML::Value
    << o.clip_norm;
  e << YAML::Key << "seed" << YAML::Value << o.seed << YAML::Key << "save_every" << YAML::Value << o.save_every;
  e << YAML::Key << "log_every" << YAML::Value << o.log_every << YAML::Key << "check_sync_every" << YAML::Value
    << o.check_sync_every;
  e << YAML::EndMap << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

}  // namespace mgeo::train
