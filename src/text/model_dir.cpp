// BertTokenizer::from_model_dir: vocab.txt plus the options in tokenizer_config.json.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"
#include "mgeo/util/regular_file.h"

namespace mgeo::text {
namespace {

namespace fs = std::filesystem;

nlohmann::json read_json(const fs::path& path) {
  require_regular_file(path.string(), "JSON file", 64u << 20);
  std::ifstream in(path);
  MGEO_CHECK(in, "cannot open {}", path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: invalid JSON: {}", path.string(), e.what());
  }
}

bool bool_key(const nlohmann::json& cfg, const char* key, bool fallback, const fs::path& path) {
  const auto it = cfg.find(key);
  if (it == cfg.end()) return fallback;
  MGEO_CHECK(it->is_boolean(), "{}: \"{}\" must be true or false", path.string(), key);
  return it->get<bool>();
}

TokenizerOptions options_from(const fs::path& path) {
  const nlohmann::json cfg = read_json(path);
  MGEO_CHECK(cfg.is_object(), "{}: expected a JSON object", path.string());
  TokenizerOptions o;
  o.lowercase = bool_key(cfg, "do_lower_case", o.lowercase, path);
  o.handle_chinese_chars = bool_key(cfg, "tokenize_chinese_chars", o.handle_chinese_chars, path);
  const auto it = cfg.find("strip_accents");
  if (it != cfg.end() && !it->is_null()) o.strip_accents = bool_key(cfg, "strip_accents", false, path);
  return o;
}

}  // namespace

BertTokenizer BertTokenizer::from_model_dir(const std::string& dir) {
  const fs::path config = fs::path(dir) / "tokenizer_config.json";
  const TokenizerOptions opts = fs::exists(config) ? options_from(config) : TokenizerOptions{};
  return BertTokenizer(Vocab::load((fs::path(dir) / "vocab.txt").string()), opts);
}

}  // namespace mgeo::text
