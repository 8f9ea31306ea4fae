#include <ATen/ops/empty.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <memory>
#include <unordered_map>

#include "checked.h"
#include "mgeo/model/checkpoint.h"
#include "mgeo/util/error.h"
#include "unpickler.h"
#include "mgeo/util/regular_file.h"

namespace mgeo::model {
namespace {

// A torch.save zip archive; storages are read once each and shared by their views.
class Archive {
  // Runs f(), turning libtorch's errors into mgeo::Error naming the file.
  template <class F>
  auto guard(const char* what, F&& f) {
    try {
      return f();
    } catch (const c10::Error& e) {
      fail("{}: {}: {}", path_, what, e.what_without_backtrace());
    }
  }

 public:
  explicit Archive(const std::string& path) : path_(path) {
    require_regular_file(path, "checkpoint");
    std::error_code ec;
    file_size_ = std::filesystem::file_size(path, ec);
    MGEO_CHECK(!ec, "cannot read checkpoint {}: {}", path, ec.message());
    guard("not a torch.save zip archive (the legacy pre-zip format is not supported)",
          [&] { reader_ = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path); });
  }

  uint64_t file_size() const { return file_size_; }

  std::string record(const std::string& name) {
    std::string bytes(record_size(name), '\0');
    guard(name.c_str(), [&] { reader_->getRecord(name, bytes.data(), bytes.size()); });
    return bytes;
  }

  bool has(const std::string& name) {
    return guard(name.c_str(), [&] { return reader_->hasRecord(name); });
  }

  // The flat storage of `ref` as a 1-D tensor of its dtype.
  at::Tensor storage(const detail::TensorRef& ref, const std::string& tensor) {
    const auto it = storages_.find(ref.storage);
    if (it != storages_.end()) {
      const auto& s = it->second;
      MGEO_CHECK(s.scalar_type() == ref.dtype && s.numel() == ref.storage_numel,
                 "{}: tensor '{}': storage data/{} is used with two dtypes or sizes", path_, tensor, ref.storage);
      return s;
    }
    const std::string name = "data/" + ref.storage;
    MGEO_CHECK(has(name), "{}: tensor '{}': storage record {} is missing", path_, tensor, name);
    const auto elem = static_cast<int64_t>(c10::elementSize(ref.dtype));
    const uint64_t size = record_size(name);
    MGEO_CHECK(ref.storage_numel <= static_cast<int64_t>(size) / elem && ref.storage_numel * elem == static_cast<int64_t>(size),
               "{}: tensor '{}': record {} holds {} bytes, its storage declares {} x {}", path_, tensor, name, size,
               ref.storage_numel, c10::toString(ref.dtype));
    auto flat = at::empty({ref.storage_numel}, at::TensorOptions().dtype(ref.dtype));
    if (size > 0) guard(name.c_str(), [&] { reader_->getRecord(name, flat.data_ptr(), size); });
    storages_.emplace(ref.storage, flat);
    return flat;
  }

 private:
  uint64_t record_size(const std::string& name) {
    const uint64_t size = guard(name.c_str(), [&] { return reader_->getRecordSize(name); });
    MGEO_CHECK(size <= file_size_, "{}: record {} claims {} bytes, more than the file's {}", path_, name, size,
               file_size_);
    return size;
  }

  std::string path_;
  uint64_t file_size_ = 0;
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader_;
  std::unordered_map<std::string, at::Tensor> storages_;
};

at::Tensor view_of(const at::Tensor& flat, const detail::TensorRef& ref, const std::string& key,
                   const std::string& path) {
  const auto numel = detail::checked_numel(ref.sizes);
  const auto last = detail::checked_last_index(ref.offset, ref.sizes, ref.strides);
  MGEO_CHECK(numel && last && (*numel == 0 ? *last <= flat.numel() : *last < flat.numel()),
             "{}: tensor '{}': size {} stride {} at offset {} lies outside its storage of {} elements", path, key,
             ref.sizes, ref.strides, ref.offset, flat.numel());
  return flat.as_strided(ref.sizes, ref.strides, ref.offset);
}

}  // namespace

TensorMap read_torch_bin(const std::string& path) {
  Archive archive(path);
  if (archive.has("byteorder"))
    MGEO_CHECK(archive.record("byteorder") == "little", "{}: big-endian archives are not supported", path);
  const auto refs = detail::unpickle_state_dict(archive.record("data.pkl"), path + ": data.pkl");
  // Strided views are made contiguous; together those copies may not outgrow the file.
  uint64_t copied = 0;
  TensorMap out;
  for (const auto& [key, ref] : refs) {
    auto t = view_of(archive.storage(ref, key), ref, key, path);
    if (!t.is_contiguous()) {
      const auto numel = static_cast<uint64_t>(t.numel()), elem = static_cast<uint64_t>(t.element_size());
      MGEO_CHECK(numel <= (archive.file_size() - copied) / elem,
                 "{}: tensor '{}': strided views expand past the file's size", path, key);
      copied += numel * elem;
      t = t.contiguous();
    }
    out.insert_or_assign(key, std::move(t));
  }
  return out;
}

}  // namespace mgeo::model
