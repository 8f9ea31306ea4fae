// read_torch_bin on the input as a pytorch_model.bin (torch.save zip archive).
#include <cstdint>

#include "fuzz_util.h"
#include "mgeo/model/checkpoint.h"
#include "mgeo/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile file("pytorch_model.bin");
  try {
    for (const auto& [key, t] : mgeo::model::read_torch_bin(file.write(data, size)))
      FUZZ_CHECK(t.is_contiguous() && t.device().is_cpu(), "contiguous CPU tensors");
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
  }
  return 0;
}
