#include "mgeo/model/int8.h"

#include <ATen/Context.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <torch/torch.h>

#include <mutex>

#include "mgeo/util/error.h"

namespace mgeo::model {
namespace {

c10::OperatorHandle op(const char* name) {
  return c10::Dispatcher::singleton().findSchemaOrThrow(name, "");
}

std::string engine_name(at::QEngine e) {
  switch (e) {
    case at::QEngine::ONEDNN: return "onednn";
    case at::QEngine::X86: return "x86";
    case at::QEngine::FBGEMM: return "fbgemm";
    case at::QEngine::QNNPACK: return "qnnpack";
    default: return "none";
  }
}

}  // namespace

std::string select_int8_engine() {
  static std::once_flag once;
  static std::string chosen;
  std::call_once(once, [] {
    const auto supported = at::globalContext().supportedQEngines();
    for (const auto e : {at::QEngine::ONEDNN, at::QEngine::X86, at::QEngine::FBGEMM})
      if (std::find(supported.begin(), supported.end(), e) != supported.end()) {
        at::globalContext().setQEngine(e);
        chosen = engine_name(e);
        return;
      }
  });
  MGEO_CHECK(!chosen.empty(), "--precision int8: this libtorch has no quantized CPU engine (oneDNN, x86 or fbgemm)");
  return chosen;
}

Int8Linear::Int8Linear(const torch::nn::Linear& layer) {
  select_int8_engine();
  torch::NoGradGuard no_grad;
  const auto w = layer->weight.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  MGEO_CHECK(w.dim() == 2, "--precision int8: a linear weight of {} dimensions", w.dim());
  out_features_ = w.size(0);
  const auto scales = (w.abs().amax(1).to(torch::kDouble) / 127.0).clamp_min(1e-12);
  const auto zeros = torch::zeros({out_features_}, torch::kLong);
  const auto qw = at::quantize_per_channel(w, scales, zeros, 0, at::kQInt8);
  std::optional<at::Tensor> bias;
  if (layer->bias.defined()) bias = layer->bias.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  torch::jit::Stack stack{qw, bias};
  op("quantized::linear_prepack").callBoxed(stack);
  MGEO_CHECK(stack.size() == 1, "--precision int8: quantized::linear_prepack returned {} values", stack.size());
  packed_ = std::move(stack[0]);
}

torch::Tensor Int8Linear::forward(const torch::Tensor& x) const {
  torch::jit::Stack stack{x.contiguous(), packed_, false};
  op("quantized::linear_dynamic").callBoxed(stack);
  return stack[0].toTensor();
}

}  // namespace mgeo::model
