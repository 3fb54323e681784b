// meco: minimum eigenvalue of the channel correlation of every layer's feature map, summed.
//
// Paper: Jiang, Wang, Bie, "MeCo: Zero-Shot NAS with One Data and Single Forward Pass via
// Minimum Eigenvalue of Correlation", NeurIPS 2023.
// Reference code: HamsterMimi/MeCo `correlation/NAS_Bench_201.py` (get_score, the script
// behind the paper's correlation tables; `foresight/pruners/measures/meco.py` is the same
// computation on a random 1x3x64x64 input).
// Formula: one forward of ONE real image (batch_size 1), default initialisation, train mode.
// For every module output o: F = o[0] (the first image) reshaped to (C, rest); R = corrcoef(F)
// (C x C Pearson over the rest), NaN and inf entries set to 0; m = min real eigenvalue of R.
// S = sum of m over the modules, after dropping NaN/inf m. Sign: higher is better.
// Deviation: the reference hooks EVERY module (containers, batch norms, pooling, the whole
// network); LibTorch has no forward hooks, so this sums over the outputs the taps expose, in
// forward order: every Conv2d/Linear output (on_layer_output), every ReLU output
// (relu(on_relu_input)) and every cell/block output (on_cell_output). Batch-norm and container
// outputs are therefore missing, so the values are not the reference's on real spaces (they
// are on a network whose only modules are tapped, as in the golden test). Outputs with one
// value per channel (Linear layers, logits) give an all-NaN R, hence m = 0, as in the
// reference. R is symmetric, so eigvalsh replaces the general eig (same values to rounding).
#include <cmath>
#include <vector>

#include "common.hpp"

namespace zcb {
namespace {

class MecoProxy : public Proxy {
 public:
  std::string name() const override { return "meco"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_labels = false;
    needs.batch_size = 1;  // NAS_Bench_201.py --batch_size
    return needs;
  }
  ProxyInfo info() const override {
    return {
        "Jiang et al., MeCo: Zero-Shot NAS with One Data and Single Forward Pass via Minimum "
        "Eigenvalue of Correlation, NeurIPS 2023",
        "HamsterMimi/MeCo: correlation/NAS_Bench_201.py (get_score)", "",
        "sum over layer/ReLU/cell outputs of lambda_min(corrcoef of the channels of image 0)"};
  }
  bool higher_is_better() const override { return true; }

  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, false, "meco");
    double total = 0.0;
    const auto add = [&total](const torch::Tensor& output) {
      const torch::Tensor first = output.detach()[0];
      const torch::Tensor features = first.reshape({first.size(0), -1});
      // One value per channel: R is all NaN, zeroed, so m = 0 and the sum is unchanged. Return
      // before corrcoef, which would log a degrees-of-freedom warning for every such output.
      if (features.size(1) < 2) return;
      torch::Tensor correlation = torch::corrcoef(features);
      correlation.masked_fill_(correlation.isnan() | correlation.isinf(), 0.0);
      const double smallest = torch::linalg_eigvalsh(correlation).min().item<double>();
      if (std::isfinite(smallest)) total += smallest;
    };
    network.hooks().on_layer_output = add;
    network.hooks().on_cell_output = add;
    network.hooks().on_relu_input = [&add](const torch::Tensor& input) { add(torch::relu(input)); };
    {
      torch::NoGradGuard no_grad;
      network.forward(context.inputs);
    }
    network.hooks().on_layer_output = nullptr;
    network.hooks().on_cell_output = nullptr;
    network.hooks().on_relu_input = nullptr;
    return total;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_meco_proxy() { return std::make_unique<MecoProxy>(); }

}  // namespace zcb
