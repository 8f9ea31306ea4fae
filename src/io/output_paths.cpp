#include "mgeo/io/output_paths.h"

#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "mgeo/util/error.h"

namespace mgeo::io {
namespace {

namespace fs = std::filesystem;

struct Resolved {
  std::string flag, path;
  fs::path canonical;
  std::optional<std::pair<dev_t, ino_t>> inode;  // when the file exists
};

Resolved resolve(const NamedPath& p) {
  Resolved r{p.first, p.second, {}, std::nullopt};
  std::error_code ec;
  r.canonical = fs::weakly_canonical(fs::absolute(p.second, ec), ec);
  if (ec) r.canonical = fs::absolute(p.second);
  struct stat st {};
  if (::stat(p.second.c_str(), &st) == 0) r.inode = std::make_pair(st.st_dev, st.st_ino);
  return r;
}

bool same_file(const Resolved& a, const Resolved& b) {
  return a.canonical == b.canonical || (a.inode && b.inode && *a.inode == *b.inode);
}

}  // namespace

void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
  std::vector<Resolved> ins, outs;
  for (const auto& p : inputs)
    if (!p.second.empty()) ins.push_back(resolve(p));
  for (const auto& p : outputs) {
    if (p.second.empty()) continue;
    Resolved o = resolve(p);
    std::error_code ec;
    MGEO_CHECK(!fs::is_directory(p.second, ec), "{} {} is a directory; it must name a file", o.flag, o.path);
    const fs::path dir = o.canonical.parent_path();
    MGEO_CHECK(fs::is_directory(dir, ec), "{} {}: directory {} does not exist", o.flag, o.path, dir.string());
    for (const auto& i : ins)
      MGEO_CHECK(!same_file(o, i), "{} {} and {} {} name the same file: the output would destroy the input", o.flag,
                 o.path, i.flag, i.path);
    for (const auto& other : outs)
      MGEO_CHECK(!same_file(o, other), "{} {} and {} {} name the same file", other.flag, other.path, o.flag, o.path);
    outs.push_back(std::move(o));
  }
}

}  // namespace mgeo::io
