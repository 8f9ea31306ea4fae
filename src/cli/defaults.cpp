#include "mgeo/cli/defaults.h"

#include <cstdlib>
#include <filesystem>

namespace mgeo::cli {

std::string default_model_dir() {
  if (const char* env = std::getenv("MGEO_DEFAULT_MODEL")) return env;
  const std::filesystem::path root = MGEO_SOURCE_DIR;
  const auto trained = root / "data" / "models" / "default";
  if (std::filesystem::is_directory(trained)) return trained.string();
  return (root / "data" / "models" / "tiny-random").string();
}

}  // namespace mgeo::cli
