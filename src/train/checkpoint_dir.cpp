#include "mgeo/train/checkpoint_dir.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "mgeo/model/checkpoint.h"
#include "mgeo/model/loader.h"
#include "mgeo/util/error.h"

namespace mgeo::train {
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  MGEO_CHECK(out.good(), "cannot write {}", path.string());
}

}  // namespace

void save_checkpoint(const std::string& dir, const CheckpointContents& c) {
  MGEO_CHECK(c.state.contains("step"), "checkpoint state for {} has no step", dir);
  const fs::path final_dir(dir);
  if (final_dir.has_parent_path()) fs::create_directories(final_dir.parent_path());
  const fs::path tmp = final_dir.string() + ".tmp." + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp);
  write_text(tmp / "config.json", c.config.to_json_text());
  fs::copy_file(c.vocab_path, tmp / "vocab.txt", ec);
  MGEO_CHECK(!ec, "cannot copy vocab {} into {}: {}", c.vocab_path, tmp.string(), ec.message());
  model::write_safetensors((tmp / "model.safetensors").string(), model::state_dict(c.net),
                           {{"format", "pt"}});
  model::write_safetensors((tmp / "optimizer.safetensors").string(), c.optimizer.state(),
                           {{"steps", std::to_string(c.optimizer.steps())}});
  write_text(tmp / "trainer_state.json", c.state.dump(2) + "\n");
  write_text(tmp / "training.yaml", c.options_yaml);
  // Swap in: an existing checkpoint of the same name is replaced only once the new one is whole.
  const fs::path old = final_dir.string() + ".old." + std::to_string(::getpid());
  if (fs::exists(final_dir)) fs::rename(final_dir, old);
  fs::rename(tmp, final_dir);
  fs::remove_all(old, ec);
}

std::string checkpoint_name(const std::string& output, int64_t step) {
  return (fs::path(output) / ("checkpoint-" + std::to_string(step))).string();
}

std::optional<std::string> latest_checkpoint(const std::string& output) {
  if (!fs::is_directory(output)) return std::nullopt;
  int64_t best = -1;
  std::string found;
  for (const auto& e : fs::directory_iterator(output)) {
    const auto name = e.path().filename().string();
    const std::string prefix = "checkpoint-";
    if (!e.is_directory() || name.rfind(prefix, 0) != 0) continue;
    const auto digits = name.substr(prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!fs::exists(e.path() / "trainer_state.json")) continue;
    const int64_t step = std::stoll(digits);
    if (step > best) best = step, found = e.path().string();
  }
  if (best < 0) return std::nullopt;
  return found;
}

ResumeState read_resume_state(const std::string& dir) {
  ResumeState r;
  const auto state_path = (fs::path(dir) / "trainer_state.json").string();
  std::ifstream in(state_path);
  MGEO_CHECK(in, "cannot open {}", state_path);
  try {
    r.state = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: invalid JSON: {}", state_path, e.what());
  }
  MGEO_CHECK(r.state.contains("step") && r.state["step"].is_number_integer(), "{}: no integer 'step'", state_path);
  const auto tensors = model::read_safetensors((fs::path(dir) / "optimizer.safetensors").string());
  r.optimizer.insert(tensors.begin(), tensors.end());
  return r;
}

}  // namespace mgeo::train
