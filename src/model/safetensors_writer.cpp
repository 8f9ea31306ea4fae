#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "mgeo/model/checkpoint.h"
#include "mgeo/util/error.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors data is little-endian");

namespace mgeo::model {
namespace {

const char* dtype_name(c10::ScalarType t, const std::string& path, const std::string& key) {
  switch (t) {
    case c10::kDouble: return "F64";
    case c10::kFloat: return "F32";
    case c10::kHalf: return "F16";
    case c10::kBFloat16: return "BF16";
    case c10::kLong: return "I64";
    case c10::kInt: return "I32";
    case c10::kShort: return "I16";
    case c10::kChar: return "I8";
    case c10::kByte: return "U8";
    case c10::kBool: return "BOOL";
    default: fail("{}: tensor '{}': dtype {} cannot be written to safetensors", path, key, c10::toString(t));
  }
}

}  // namespace

void write_safetensors(const std::string& path, const TensorMap& tensors,
                       const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::vector<at::Tensor> data;
  uint64_t offset = 0;
  for (const auto& [key, t] : tensors) {  // std::map: sorted keys, as safetensors does
    auto c = t.detach().to(at::kCPU).contiguous();
    const uint64_t bytes = c.numel() * c.element_size();
    header[key] = {{"dtype", dtype_name(c.scalar_type(), path, key)},
                   {"shape", c.sizes().vec()},
                   {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(std::move(c));
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keep the data section 8-byte aligned
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  MGEO_CHECK(out, "cannot write {}", path);
  const uint64_t n = text.size();
  out.write(reinterpret_cast<const char*>(&n), sizeof n);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const auto& c : data)
    out.write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(c.numel() * c.element_size()));
  out.flush();
  MGEO_CHECK(out.good(), "failed writing {}", path);
}

}  // namespace mgeo::model
