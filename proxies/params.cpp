// params: number of trainable parameters.
//
// Reference: NAS-Bench-Suite-Zero (Krishnakumar et al., NeurIPS 2022 D&B), automl/NASLib
// `naslib/predictors/pruners/predictive.py` (tensorwatch ModelStats.parameters / 1e6).
// Formula: sum over all parameters of numel (batch-norm affine and biases included), as the
// NB201 table counts them. Sign: higher is better.
// Deviation: reported as a count, not in millions (a constant factor; ranks are identical).
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"

namespace zcb {
namespace {

class ParamsProxy : public Proxy {
 public:
  std::string name() const override { return "params"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_data = false;
    needs.needs_labels = false;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Krishnakumar et al., NAS-Bench-Suite-Zero, NeurIPS 2022 D&B",
            "automl/NASLib (zerocost): naslib/predictors/pruners/predictive.py", "",
            "number of trainable parameters"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext&) const override {
    std::int64_t count = 0;
    for (const auto& parameter : network.parameters()) count += parameter.numel();
    return static_cast<double>(count);
  }
};

}  // namespace

std::unique_ptr<Proxy> make_params_proxy() { return std::make_unique<ParamsProxy>(); }

}  // namespace zcb
