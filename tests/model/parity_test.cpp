// Logits of load_model_dir() models against HuggingFace transformers on the fixtures of
// tests/reference/make_model_fixtures.py (made by ctest's fixture_models step).
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "mgeo/model/loader.h"

namespace mgeo::model {
namespace {

struct Reference {
  torch::Tensor ids, types, mask, logits;
  std::vector<std::string> labels;
};

torch::Tensor matrix(const nlohmann::json& rows, torch::ScalarType dtype) {
  std::vector<double> flat;
  for (const auto& row : rows)
    for (const auto& v : row) flat.push_back(v.get<double>());
  const auto n = static_cast<int64_t>(rows.size());
  return torch::tensor(flat, torch::kFloat64).view({n, -1}).to(dtype);
}

Reference read_reference(const std::string& path) {
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in);
  return {matrix(j.at("input_ids"), torch::kLong), matrix(j.at("token_type_ids"), torch::kLong),
          matrix(j.at("attention_mask"), torch::kLong), matrix(j.at("logits"), torch::kFloat32),
          j.at("labels").get<std::vector<std::string>>()};
}

// Max |ours - ref|; entries beyond atol + rtol * |ref| fail, the first few printed as
// row, col, ours, ref.
float compare(const torch::Tensor& ours, const torch::Tensor& ref, float atol, const std::string& what,
              float rtol = 0.0f) {
  const auto a = ours.to(torch::kCPU, torch::kFloat32).contiguous();
  const auto diff = (a - ref).abs();
  const float max_diff = diff.max().item<float>();
  std::cout << what << ": max |logit diff| " << max_diff << " over " << ref.numel() << " logits\n";
  const auto bad = torch::nonzero(diff > atol + rtol * ref.abs());
  for (int64_t i = 0; i < std::min<int64_t>(bad.size(0), 5); ++i) {
    const int64_t r = bad[i][0].item<int64_t>(), c = bad[i][1].item<int64_t>();
    ADD_FAILURE() << what << ": row " << r << " col " << c << ": ours " << a[r][c].item<float>() << ", ref "
                  << ref[r][c].item<float>();
  }
  EXPECT_EQ(bad.size(0), 0) << what << ": " << bad.size(0) << " logits differ by more than " << atol << " + " << rtol << " * |ref|";
  return max_diff;
}

std::string fixture_dir(const std::string& name) { return std::string(MGEO_FIXTURE_DIR) + "/models/" + name; }

class ParityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fixture_dir(GetParam());
    if (!std::filesystem::exists(dir_)) GTEST_SKIP() << dir_ << " is missing: ctest makes it (fixture_models)";
    ref_ = read_reference(dir_ + "/reference.json");
  }

  std::string dir_;
  Reference ref_;
};

TEST_P(ParityTest, LogitsMatchTransformers) {
  auto model = load_model_dir(dir_);
  EXPECT_EQ(model.config.id2label, ref_.labels);
  torch::InferenceMode guard;
  compare(model.net->forward(ref_.ids, ref_.types, ref_.mask), ref_.logits, 1e-4, GetParam());
}

// Batches of 16 rows trimmed to their own longest row give the same logits.
TEST_P(ParityTest, SmallerBatchesWithLessPadding) {
  auto model = load_model_dir(dir_);
  torch::InferenceMode guard;
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < ref_.ids.size(0); begin += 16) {
    const int64_t rows = std::min<int64_t>(16, ref_.ids.size(0) - begin);
    const auto mask = ref_.mask.narrow(0, begin, rows);
    const int64_t len = mask.sum(1).max().item<int64_t>();
    auto cut = [&](const torch::Tensor& t) { return t.narrow(0, begin, rows).narrow(1, 0, len); };
    parts.push_back(model.net->forward(cut(ref_.ids), cut(ref_.types), cut(ref_.mask)));
  }
  compare(torch::cat(parts), ref_.logits, 1e-4, GetParam() + " (batches of 16)");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ParityTest,
                         ::testing::Values("hf-safetensors", "hf-bin", "hf-legacy-bin", "mgeo-bin", "hf-f16",
                                           "hf-bf16"),
                         [](const auto& info) {
                           auto name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Half-precision runs of the fp32 fixture, on CPU and (when there is one) on CUDA.
class PrecisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fixture_dir("hf-safetensors");
    if (!std::filesystem::exists(dir_)) GTEST_SKIP() << dir_ << " is missing: ctest makes it (fixture_models)";
    ref_ = read_reference(dir_ + "/reference.json");
  }
  void check(torch::Device device, torch::ScalarType dtype, float atol, float rtol = 0.0f) {
    auto model = load_model_dir(dir_, device, dtype);
    torch::InferenceMode guard;
    const auto logits = model.net->forward(ref_.ids.to(device), ref_.types.to(device), ref_.mask.to(device));
    EXPECT_EQ(logits.scalar_type(), dtype);
    compare(logits, ref_.logits, atol, device.str() + " " + c10::toString(dtype), rtol);
  }

  std::string dir_;
  Reference ref_;
};

TEST_F(PrecisionTest, CpuHalfPrecision) {
  // Half precision rounds every activation (11- and 8-bit mantissas) through 3 layers, and
  // the error scales with the residual stream, not with each logit: the bounds are about
  // 1% (fp16) and 7% (bf16) of the largest |logit| (~7). Wrong weights miss by whole units.
  check(torch::kCPU, torch::kFloat16, 0.06);
  check(torch::kCPU, torch::kBFloat16, 0.5);
}

TEST_F(PrecisionTest, Cuda) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  check(torch::kCUDA, torch::kFloat32, 1e-4);
  check(torch::kCUDA, torch::kFloat16, 0.06);
  check(torch::kCUDA, torch::kBFloat16, 0.5);
}

}  // namespace
}  // namespace mgeo::model
