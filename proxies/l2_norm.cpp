// l2_norm: sum over layers of the L2 (Frobenius) norm of each conv/linear weight (data-free).
//
// Paper: Abdelfattah et al., "Zero-Cost Proxies for Lightweight NAS", ICLR 2021 (baseline);
// NAS-Bench-Suite-Zero (Krishnakumar et al., NeurIPS 2022 Datasets and Benchmarks).
// Reference code: automl/NASLib (zerocost branch)
// `naslib/predictors/pruners/measures/l2_norm.py` (`get_layer_metric_array(net, l.weight.norm())`,
// on the network as given: copy_net=False), summed by `predictive.py::find_measures`.
// Formula: S = sum_l ||W_l||_2 over every Conv2d and Linear weight at initialisation; no data,
// no forward pass. Sign: higher is better (the reference ranks by S as is).
// Deviation: per-layer norms are accumulated in double (the reference adds float32 tensors).
#include "common.hpp"

namespace zcb {
namespace {

class L2NormProxy : public Proxy {
 public:
  std::string name() const override { return "l2_norm"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_data = false;
    needs.needs_labels = false;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Abdelfattah et al., Zero-Cost Proxies for Lightweight NAS, ICLR 2021",
            "automl/NASLib (zerocost): naslib/predictors/pruners/measures/l2_norm.py", "",
            "sum_l ||W_l||_2 at initialisation (no data)"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    torch::NoGradGuard no_grad;
    return proxies::sum_over_layers(
        network, [](const torch::Tensor& weight) { return weight.norm().item<double>(); });
  }
};

}  // namespace

std::unique_ptr<Proxy> make_l2_norm_proxy() { return std::make_unique<L2NormProxy>(); }

}  // namespace zcb
