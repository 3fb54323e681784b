// az_progressivity: AZ-NAS's progressivity component.
//
// Paper: Lee and Ham, "AZ-NAS: Assembling Zero-Cost Proxies for Network Architecture Search",
// CVPR 2024.
// Reference code: cvlab-yonsei/AZ-NAS `NB201/ZeroShotProxy/compute_az_nas_score.py`
// (compute_nas_score: `np.min(expressivity_scores[1:] - expressivity_scores[:-1])`).
// Formula: with E_l the per-cell entropies of az_expressivity (same initialisation, batch and
// forward), S = min over l of (E_{l+1} - E_l). Sign: higher is better.
// Deviation: as az_expressivity, the stem's output is not among the features, so the
// difference between the first cell and the stem is missing.
// Version 2: one initialisation, batch and forward shared with the other components, as in
// the reference (proxies/az_nas.hpp).
#include <algorithm>
#include <limits>

#include "az_nas.hpp"
#include "common.hpp"

namespace zcb {
namespace {

class AzProgressivityProxy : public Proxy {
 public:
  std::string name() const override { return "az_progressivity"; }
  int version() const override { return 2; }  // 2: one draw shared with the other components
  ProxyRequirements requirements() const override { return proxies::az_nas::requirements(); }
  ProxyInfo info() const override {
    return {proxies::az_nas::paper(), proxies::az_nas::reference(), "",
            "min over consecutive cells of the increase in expressivity entropy"};
  }
  bool higher_is_better() const override { return true; }
  SharedPass shared_pass() const override { return SharedPass::kAzNasFeatures; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::score_with_own_pass(*this, network, context);
  }
  double score_after_pass(Network& network, const ProxyContext& context,
                          const std::shared_ptr<void>& state) const override {
    const std::vector<double> entropy = proxies::az_nas::entropies(context.pass_outputs);
    double smallest = std::numeric_limits<double>::infinity();
    for (std::size_t l = 1; l < entropy.size(); ++l) {
      smallest = std::min(smallest, entropy[l] - entropy[l - 1]);
    }
    return smallest;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_az_progressivity_proxy() {
  return std::make_unique<AzProgressivityProxy>();
}

}  // namespace zcb
