// mgeo/model/int8.h — dynamic int8 linear layers for CPU inference (--precision int8).
//
// Contract: an Int8Linear copies one fp32 nn::Linear: its weight quantized per output
// channel to int8 (symmetric, scale max|w|/127) and prepacked once for ATen's
// quantized::linear_dynamic, which quantizes each call's activations per tensor, runs the
// int8 GEMM and adds the fp32 bias; forward() only reads it, so concurrent calls are safe.
// Inputs and outputs are fp32 CPU tensors of any leading shape. select_int8_engine()
// picks the quantized engine once per process (oneDNN where the CPU has it: AMX or VNNI
// kernels; else x86/fbgemm) and throws mgeo::Error when libtorch has none.
#pragma once

#include <ATen/core/ivalue.h>
#include <torch/nn/modules/linear.h>

#include <string>

namespace mgeo::model {

// The engine in use after this call ("onednn", "x86" or "fbgemm").
std::string select_int8_engine();

class Int8Linear {
 public:
  explicit Int8Linear(const torch::nn::Linear& layer);
  torch::Tensor forward(const torch::Tensor& x) const;

 private:
  c10::IValue packed_;  // __torch__.torch.classes.quantized.LinearPackedParamsBase
  int64_t out_features_ = 0;
};

}  // namespace mgeo::model
