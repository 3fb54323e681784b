// grad_norm_global: the global L2 norm of the loss gradient of all parameters.
//
// Paper: Lin et al., "Zen-NAS", ICCV 2021, and Li et al., "ZiCo", ICLR 2023, compute their
// "gradnorm" baseline this way, unlike Abdelfattah et al. (ICLR 2021), whose grad_norm sums
// per-layer norms (our `grad_norm`).
// Reference code: idstcv/ZenNAS `ZeroShotProxy/compute_gradnorm_score.py` (norm2_sum over
// `model.parameters()`, then sqrt); SLDGroup/ZiCo copies it.
// Formula: S = sqrt(sum over every parameter p with a gradient of ||dL/dp||_2^2): conv and
// linear weights, biases and batch-norm gamma/beta alike. L = mean cross-entropy of one real
// batch with its labels, train mode, default initialisation, exactly as `grad_norm`.
// Sign: higher is better.
// Deviations from Zen-NAS: only the aggregation is taken from it. Zen-NAS also re-initialises
// the weights N(0, 1) and uses Gaussian inputs with random labels; here the data and weights are
// those of `grad_norm`, so the two proxies differ in the aggregation alone. Squared norms are
// accumulated in double (the reference adds float32 tensors).
// Tasks that are not classification: L is the task's training loss (TaskInfo::loss, as NASLib's
// TransNAS-Bench-101 runs pick it; proxies/common.cpp task_loss) on the harness's targets.
#include <cmath>

#include "common.hpp"

namespace zcb {
namespace {

class GradNormGlobalProxy : public Proxy {
 public:
  std::string name() const override { return "grad_norm_global"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override { return {}; }
  ProxyInfo info() const override {
    return {"Lin et al., Zen-NAS, ICCV 2021; Li et al., ZiCo, ICLR 2023",
            "idstcv/ZenNAS: ZeroShotProxy/compute_gradnorm_score.py", "grad_norm",
            "sqrt(sum over all parameters of ||dL/dp||^2) instead of sum_l ||dL/dW_l|| over "
            "conv/linear weights"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::score_with_own_pass(*this, network, context);
  }
  SharedPass shared_pass() const override { return SharedPass::kLossBackward; }
  double score_after_pass(Network& network, const ProxyContext& context,
                          const std::shared_ptr<void>& state) const override {
    double squared = 0.0;
    for (const torch::Tensor& parameter : network.parameters()) {
      const torch::Tensor& grad = parameter.grad();
      if (!grad.defined()) continue;
      const double norm = grad.norm().item<double>();
      squared += norm * norm;
    }
    return std::sqrt(squared);
  }
};

}  // namespace

std::unique_ptr<Proxy> make_grad_norm_global_proxy() {
  return std::make_unique<GradNormGlobalProxy>();
}

}  // namespace zcb
