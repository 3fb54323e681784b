// zen_no_bn: the Zen-score without its batch-norm scaling term.
//
// Paper: Lin et al., "Zen-NAS", ICCV 2021 (the term the paper adds to compensate for batch
// norm's rescaling, left out here to show what it contributes).
// Reference code: as `zen` (automl/NASLib `naslib/predictors/pruners/measures/zen.py`, from
// idstcv/ZenNAS `ZeroShotProxy/compute_zen_score.py`).
// Formula: S = log(mean_n sum_chw |f(x) - f(x + 0.01 eps)|), with the same Gaussian
// re-initialisation, inputs, batch (64) and train-mode forwards as `zen` (batch norm stays in
// the network); only sum_BN log sqrt(mean running_var) is dropped. Sign: higher is better.
// Deviations: those of `zen`.
#include "common.hpp"
#include "zen_score.hpp"

namespace zcb {
namespace {

class ZenNoBnProxy : public Proxy {
 public:
  std::string name() const override { return "zen_no_bn"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_data = false;
    needs.needs_labels = false;
    needs.batch_size = proxies::kZenBatch;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Lin et al., Zen-NAS, ICCV 2021",
            "automl/NASLib (zerocost): naslib/predictors/pruners/measures/zen.py", "zen",
            "zen without the batch-norm scaling term sum_BN log sqrt(mean running_var)"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::zen_terms(network, context).log_difference;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_zen_no_bn_proxy() { return std::make_unique<ZenNoBnProxy>(); }

}  // namespace zcb
