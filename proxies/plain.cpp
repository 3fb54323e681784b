// plain: sum of the loss gradient times the weight, signed, over conv/linear weights.
//
// Paper: Abdelfattah et al., "Zero-Cost Proxies for Lightweight NAS", ICLR 2021 (a baseline
// saliency there); NAS-Bench-Suite-Zero (Krishnakumar et al., NeurIPS 2022 Datasets and
// Benchmarks).
// Reference code: automl/NASLib (zerocost branch)
// `naslib/predictors/pruners/measures/plain.py` (= SamsungLabs/zero-cost-nas
// `foresight/pruners/measures/plain.py`), summed by `predictive.py::find_measures` (sum_arr).
// Formula: S = sum over every Conv2d/Linear weight W of sum(dL/dW (.) W), L = mean
// cross-entropy of one real batch with its labels, network in train mode with batch norm,
// default initialisation. No absolute value: S can be negative.
// Sign: higher is better (the reference ranks by S as is).
// Deviation: per-layer sums are accumulated in double (the reference adds float32 tensors);
// this changes the last bits only.
// Tasks that are not classification: L is the task's training loss (TaskInfo::loss, as NASLib's
// TransNAS-Bench-101 runs pick it; proxies/common.cpp task_loss) on the harness's targets.
#include "common.hpp"

namespace zcb {
namespace {

class PlainProxy : public Proxy {
 public:
  std::string name() const override { return "plain"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override { return {}; }
  ProxyInfo info() const override {
    return {"Abdelfattah et al., Zero-Cost Proxies for Lightweight NAS, ICLR 2021",
            "automl/NASLib (zerocost): naslib/predictors/pruners/measures/plain.py", "",
            "sum dL/dW * W (signed)"};
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
      return grad.defined() ? (grad * weight).sum().item<double>() : 0.0;
    });
  }
};

}  // namespace

std::unique_ptr<Proxy> make_plain_proxy() { return std::make_unique<PlainProxy>(); }

}  // namespace zcb
