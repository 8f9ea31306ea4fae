// read_safetensors on the input as a model.safetensors file.
#include <cstdint>

#include "fuzz_util.h"
#include "mgeo/model/checkpoint.h"
#include "mgeo/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile file("model.safetensors");
  try {
    for (const auto& [key, t] : mgeo::model::read_safetensors(file.write(data, size)))
      FUZZ_CHECK(t.is_contiguous() && t.nbytes() < size, "tensors hold bytes of the file");
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
  }
  return 0;
}
