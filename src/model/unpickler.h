// Restricted unpickler for the data.pkl of a torch.save archive (internal to mgeo_model).
//
// Contract: a pure function of its input; thread-safe. It runs the pickle opcodes that
// torch.save emits for a state dict (protocol 2, plus protocol 4's framing and memo
// opcodes) and resolves only the globals a state dict needs: collections.OrderedDict,
// torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and the typed
// torch.<T>Storage classes. Any other global or opcode throws mgeo::Error naming it;
// nothing from the file is ever executed. Every length, memo index and nesting level is
// bounded by the input. The result only describes tensors: their bytes stay in the
// archive's data/<storage> records, for the caller to read and bound-check.
#pragma once

#include <c10/core/ScalarType.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mgeo::model::detail {

// One tensor of the state dict: a strided view of a typed storage record.
struct TensorRef {
  std::string storage;    // archive record data/<storage>
  c10::ScalarType dtype;  // element type of the storage
  int64_t storage_numel;  // elements the storage declares
  int64_t offset;         // in elements
  std::vector<int64_t> sizes, strides;
};

using TensorRefs = std::vector<std::pair<std::string, TensorRef>>;

// The tensors of the dict that `pickle` builds: its tensor-valued entries, or, when it
// has none, those of its "state_dict" or "model" entry. `origin` prefixes every error.
TensorRefs unpickle_state_dict(std::string_view pickle, const std::string& origin);

}  // namespace mgeo::model::detail
