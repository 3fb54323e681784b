// az_expressivity: AZ-NAS's expressivity component.
//
// Paper: Lee and Ham, "AZ-NAS: Assembling Zero-Cost Proxies for Network Architecture Search",
// CVPR 2024.
// Reference code: cvlab-yonsei/AZ-NAS `NB201/ZeroShotProxy/compute_az_nas_score.py`
// (compute_nas_score, the expressivity block), features from the model's
// `extract_cell_features`; inputs as `NB201/tss_general.ipynb` runs it.
// Formula: Kaiming-normal fan-in re-initialisation, one train-mode forward of a Gaussian batch
// (64 x 3 x H x W, drawn from torch's RNG after the weights: az_nas is not among the
// notebook's real-input metrics). For every cell feature map f_l (B, C, H, W): X = f_l as
// (B*H*W, C), centred per channel; Sigma = X^T X / (B*H*W); s = eigvalsh(Sigma);
// p = s / sum(s); E_l = -sum p log(p + 1e-8). S = sum_l E_l. Sign: higher is better.
// Deviations: the features are the outputs of every cell/block (on_cell_output); the
// reference's list also starts with the stem's output, which no tap exposes, so one term is
// missing. A rank-deficient covariance (e.g. cells of pools and skips) can give float32
// eigenvalues slightly below 0 and then the log of a negative number: NaN, as in the
// reference, whose info dict turns NaN into -inf; here it is returned as is (the harness
// records non_finite; the AZ-NAS aggregate has to rank it last).
// Version 2: one initialisation, batch and forward shared with the other components, as in
// the reference (proxies/az_nas.hpp).
#include "az_nas.hpp"
#include "common.hpp"

namespace zcb {
namespace {

class AzExpressivityProxy : public Proxy {
 public:
  std::string name() const override { return "az_expressivity"; }
  int version() const override { return 2; }  // 2: one draw shared with the other components
  ProxyRequirements requirements() const override { return proxies::az_nas::requirements(); }
  ProxyInfo info() const override {
    return {proxies::az_nas::paper(), proxies::az_nas::reference(), "",
            "sum over cell outputs of the entropy of the channel-covariance eigenvalue spectrum"};
  }
  bool higher_is_better() const override { return true; }
  SharedPass shared_pass() const override { return SharedPass::kAzNasFeatures; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::score_with_own_pass(*this, network, context);
  }
  double score_after_pass(Network& network, const ProxyContext& context,
                          const std::shared_ptr<void>& state) const override {
    double total = 0.0;
    for (double entropy : proxies::az_nas::entropies(context.pass_outputs)) {
      total += entropy;
    }
    return total;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_az_expressivity_proxy() {
  return std::make_unique<AzExpressivityProxy>();
}

}  // namespace zcb
