#include "mgeo/train/grad_sync.h"

#include <fmt/ranges.h>

#include "mgeo/dist/nccl.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace mgeo::train {

struct GradSync::Nccl {
  explicit Nccl(const dist::Communicator& comm) : comm(comm) {}
  dist::NcclComm comm;
};

GradSync::GradSync(std::vector<torch::Tensor> params, const dist::Communicator& comm, size_t bucket_bytes)
    : params_(std::move(params)), comm_(comm) {
  MGEO_CHECK(!params_.empty(), "GradSync: no parameters");
  const auto device = params_.front().device();
  Bucket cur;
  size_t bytes = 0;
  int64_t numel = 0;
  auto close = [&] {
    if (cur.members.empty()) return;
    cur.flat = torch::zeros({numel}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
    buckets_.push_back(std::move(cur));
    cur = Bucket{};
    bytes = 0, numel = 0;
  };
  for (size_t i = 0; i < params_.size(); ++i) {
    MGEO_CHECK(params_[i].scalar_type() == torch::kFloat32, "GradSync: parameters must be float32");
    MGEO_CHECK(params_[i].device() == device, "GradSync: parameters must share one device");
    cur.members.push_back(i);
    numel += params_[i].numel();
    bytes += params_[i].numel() * sizeof(float);
    if (bytes >= bucket_bytes) close();
  }
  close();
  if (device.is_cuda() && comm.size() > 1 && dist::kWithNccl) nccl_ = std::make_unique<Nccl>(comm);
}

GradSync::~GradSync() = default;

void GradSync::sum() {
  if (comm_.size() == 1) return;
  Stopwatch sw;
  torch::NoGradGuard no_grad;
  for (auto& b : buckets_) {
    int64_t at = 0;
    for (size_t i : b.members) {  // pack
      auto& p = params_[i];
      auto dst = b.flat.narrow(0, at, p.numel());
      if (p.grad().defined())
        dst.copy_(p.grad().reshape({-1}));
      else
        dst.zero_();
      at += p.numel();
    }
    if (nccl_) {
      nccl_->comm.allreduce_sum_device(b.flat.data_ptr<float>(), static_cast<size_t>(b.flat.numel()), nullptr);
    } else {
      MGEO_CHECK(b.flat.is_cpu(), "GradSync: CUDA parameters need a build with NCCL to average over ranks");
      comm_.allreduce_sum_inplace(b.flat.data_ptr<float>(), static_cast<size_t>(b.flat.numel()));
    }
    at = 0;
    for (size_t i : b.members) {  // unpack
      auto& p = params_[i];
      if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
      p.mutable_grad().copy_(b.flat.narrow(0, at, p.numel()).view_as(p));
      at += p.numel();
    }
  }
  seconds_ += sw.seconds();
}

void GradSync::check_identical(int64_t step) const {
  // A bit-exact digest: the float32 words as integers, summed with wrap-around and mixed by position.
  uint64_t digest = 1469598103934665603ull;
  for (const auto& p : params_) {
    const auto words = p.detach().to(torch::kCPU).contiguous().view(torch::kInt32).to(torch::kInt64);
    const auto pos = torch::arange(words.numel(), torch::kInt64).mul_(2654435761LL).add_(1);
    digest = digest * 1099511628211ull + static_cast<uint64_t>((words.reshape({-1}) * pos).sum().item<int64_t>());
  }
  const auto all = comm_.allgather(digest);
  std::vector<int> differ;
  for (size_t r = 0; r < all.size(); ++r)
    if (all[r] != all[0]) differ.push_back(static_cast<int>(r));
  MGEO_CHECK(differ.empty(), "step {}: the weights of rank(s) {} differ from rank 0's", step, fmt::join(differ, ", "));
}

}  // namespace mgeo::train
