// grad_norm: sum over layers of the L2 norm of the loss gradient of each layer's weight.
//
// Paper: Abdelfattah et al., "Zero-Cost Proxies for Lightweight NAS", ICLR 2021.
// Reference code: SamsungLabs/zero-cost-nas `foresight/pruners/measures/grad_norm.py`
// (identical in NASLib's zerocost branch).
// Formula: S = sum_l || dL/dW_l ||_2 over every Conv2d and Linear weight W_l, L = mean
// cross-entropy of one real batch with its labels, network in train mode, default init.
// Sign: higher is better.
// Deviation: per-layer norms are summed in double (the reference sums float32 tensors); this
// changes the last bits only. Not the Zen/ZiCo "gradnorm" (global norm, Gaussian inputs).
// Tasks that are not classification: L is the task's training loss (TaskInfo::loss, as NASLib's
// TransNAS-Bench-101 runs pick it; proxies/common.cpp task_loss) on the harness's targets.
#include "common.hpp"

namespace zcb {
namespace {

class GradNormProxy : public Proxy {
 public:
  std::string name() const override { return "grad_norm"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override { return {}; }
  ProxyInfo info() const override {
    return {"Abdelfattah et al., Zero-Cost Proxies for Lightweight NAS, ICLR 2021",
            "SamsungLabs/zero-cost-nas: foresight/pruners/measures/grad_norm.py", "",
            "sum_l ||dL/dW_l||_2"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::score_with_own_pass(*this, network, context);
  }
  SharedPass shared_pass() const override { return SharedPass::kLossBackward; }
  double score_after_pass(Network& network, const ProxyContext& context,
                          const std::shared_ptr<void>& state) const override {
    return proxies::sum_over_layers(network, [](const torch::Tensor& weight) {
      const torch::Tensor& grad = weight.grad();
      return grad.defined() ? grad.norm().item<double>() : 0.0;
    });
  }
};

}  // namespace

std::unique_ptr<Proxy> make_grad_norm_proxy() { return std::make_unique<GradNormProxy>(); }

}  // namespace zcb
