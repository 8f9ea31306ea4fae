// The restricted unpickler of pytorch_model.bin's data.pkl, fed the pickle bytes directly
// (read_torch_bin runs it on the archive's data.pkl record).
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "model/unpickler.h"
#include "mgeo/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto refs = mgeo::model::detail::unpickle_state_dict(
        std::string_view(reinterpret_cast<const char*>(data), size), "data.pkl");
    for (const auto& [key, ref] : refs) {
      FUZZ_CHECK(ref.sizes.size() == ref.strides.size(), "a stride per dimension");
      FUZZ_CHECK(ref.storage_numel >= 0, "storage size >= 0");
    }
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
  }
  return 0;
}
