// mgeo/model/checkpoint.h — readers for weight files: safetensors and torch.save archives.
//
// Contract: each call reads one whole file into CPU tensors that it returns (contiguous,
// in the file's dtype) and keeps no state, so calls on different files may run on
// different threads. Every size a file declares is checked against the file before it is
// used; a malformed or hostile file throws mgeo::Error naming the file and, where there
// is one, the tensor key. Requires a little-endian host.
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <string>

namespace mgeo::model {

using TensorMap = std::map<std::string, at::Tensor>;

// A .safetensors file: dtypes F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL. As
// the safetensors library requires, the tensors' data_offsets must tile the data section
// (from byte 0, each tensor where the previous one ends, the last at the end of the file):
// overlapping, repeated or uncovered bytes are refused. A header that repeats a key (a
// tensor name, or a field of one entry) is refused too; the library keeps the last
// tensor of a repeated name, which this reader does not guess at.
TensorMap read_safetensors(const std::string& path);

// A torch.save zip archive of a state dict (pytorch_model.bin). The pickle is run by a
// restricted unpickler that resolves only state-dict globals and executes nothing; a dict
// with no tensors at the top level is searched under "state_dict" and "model". The
// legacy (pre-zip) torch.save format is not supported.
TensorMap read_torch_bin(const std::string& path);

// Writes `tensors` (moved to CPU, made contiguous; dtypes as read_safetensors accepts)
// and string `metadata` as a .safetensors file at `path`, replacing it. The caller
// chooses the path; this writes it directly (publish through a temp name for atomicity).
void write_safetensors(const std::string& path, const TensorMap& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace mgeo::model
