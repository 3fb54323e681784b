// snip: connection sensitivity, sum of |dL/dW * W| over conv/linear weights.
//
// Paper: Lee et al., "SNIP: Single-shot Network Pruning based on Connection Sensitivity",
// ICLR 2019; as a NAS proxy: Abdelfattah et al., ICLR 2021.
// Reference code: SamsungLabs/zero-cost-nas `foresight/pruners/measures/snip.py`.
// Formula: S = sum |dL/dW (.) W| over every Conv2d and Linear weight; L = mean cross-entropy on
// one real batch. Sign: higher is better.
// Deviation: the reference multiplies a ones-mask into each weight and reads the mask's
// gradient; at mask = 1 that gradient is exactly dL/dW (.) W, which is computed directly here.
// Per-layer sums are accumulated in double.
// Tasks that are not classification: L is the task's training loss (TaskInfo::loss, as NASLib's
// TransNAS-Bench-101 runs pick it; proxies/common.cpp task_loss) on the harness's targets.
#include "common.hpp"

namespace zcb {
namespace {

class SnipProxy : public Proxy {
 public:
  std::string name() const override { return "snip"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override { return {}; }
  ProxyInfo info() const override {
    return {"Lee et al., SNIP, ICLR 2019; Abdelfattah et al., ICLR 2021",
            "SamsungLabs/zero-cost-nas: foresight/pruners/measures/snip.py", "", "sum |dL/dW * W|"};
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
      return grad.defined() ? (grad * weight).abs().sum().item<double>() : 0.0;
    });
  }
};

}  // namespace

std::unique_ptr<Proxy> make_snip_proxy() { return std::make_unique<SnipProxy>(); }

}  // namespace zcb
