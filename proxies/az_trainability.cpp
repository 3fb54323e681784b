// az_trainability: AZ-NAS's trainability component.
//
// Paper: Lee and Ham, "AZ-NAS: Assembling Zero-Cost Proxies for Network Architecture Search",
// CVPR 2024.
// Reference code: cvlab-yonsei/AZ-NAS `NB201/ZeroShotProxy/compute_az_nas_score.py`
// (compute_nas_score, the trainability block).
// Formula: same initialisation, batch and forward as az_expressivity. For consecutive cell
// features (f_in, f_out), from the last pair to the first: g_out = Rademacher noise of f_out's
// shape (torch.bernoulli(0.5) mapped to +-1, drawn from torch's RNG); g_in = (d f_out / d
// f_in)^T g_out. If g_in equals g_out (an identity cell) the pair scores -inf. Otherwise, when
// the resolutions differ, g_in is pixel-unshuffled by the stride; M = g_in^T g_out / (B*H*W)
// over (B*H*W, C) matrices; sigma = largest singular value of M; the pair scores
// -sigma - 1 / (sigma + 1e-6) + 2. S = mean over pairs. Sign: higher is better.
// Deviations: the stem -> first-cell pair is missing (no tap exposes the stem's output). When
// f_out does not depend on f_in (a cell whose output node has only 'none' inputs, skipped
// here), g_in is taken as zeros, which is what the reference's x * 0 gives (-999998 for the
// pair). torch::pixel_unshuffle is nn.PixelUnshuffle's function.
// Noise: torch is seeded with the az_nas proxy seed again before the probes are drawn (the
// harness starts every reader of a shared pass from its seed; the reference continues the
// stream after the batch).
// Version 2: one initialisation, batch and forward shared with the other components, as in
// the reference (proxies/az_nas.hpp).
#include <limits>

#include "az_nas.hpp"
#include "common.hpp"

namespace zcb {
namespace {

class AzTrainabilityProxy : public Proxy {
 public:
  std::string name() const override { return "az_trainability"; }
  int version() const override { return 2; }  // 2: one draw shared with the other components
  ProxyRequirements requirements() const override { return proxies::az_nas::requirements(); }
  ProxyInfo info() const override {
    return {proxies::az_nas::paper(), proxies::az_nas::reference(), "",
            "mean over consecutive cells of -s - 1/s + 2, s = top singular value of the "
            "Rademacher-probed cell Jacobian"};
  }
  bool higher_is_better() const override { return true; }
  SharedPass shared_pass() const override { return SharedPass::kAzNasFeatures; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::score_with_own_pass(*this, network, context);
  }
  double score_after_pass(Network& network, const ProxyContext& context,
                          const std::shared_ptr<void>& state) const override {
    const std::vector<torch::Tensor>& features = context.pass_outputs;
    double total = 0.0;
    std::size_t pairs = 0;
    for (std::size_t l = features.size() - 1; l >= 1; --l) {
      const torch::Tensor& f_out = features[l];
      const torch::Tensor& f_in = features[l - 1];
      const torch::Tensor g_out = (torch::bernoulli(torch::ones_like(f_out) * 0.5) - 0.5) * 2;
      torch::Tensor g_in;
      if (f_out.requires_grad() && f_in.requires_grad()) {
        g_in = torch::autograd::grad({f_out}, {f_in}, {g_out}, /*retain_graph=*/false,
                                     /*create_graph=*/false, /*allow_unused=*/true)[0];
      }
      if (!g_in.defined()) g_in = torch::zeros_like(f_in);
      ++pairs;
      if (g_out.sizes() == g_in.sizes() && torch::equal(g_in, g_out)) {
        total += -std::numeric_limits<double>::infinity();
        continue;
      }
      if (g_out.size(2) != g_in.size(2) || g_out.size(3) != g_in.size(3)) {
        g_in = torch::pixel_unshuffle(g_in, g_in.size(2) / g_out.size(2));
      }
      const torch::Tensor out_rows = g_out.permute({0, 2, 3, 1}).reshape({-1, g_out.size(1)});
      const torch::Tensor in_rows = g_in.permute({0, 2, 3, 1}).reshape({-1, g_in.size(1)});
      torch::Tensor product = in_rows.t().mm(out_rows) / static_cast<double>(out_rows.size(0));
      if (product.size(0) < product.size(1)) product = product.t();
      const double sigma = torch::linalg_svdvals(product).max().item<double>();
      total += -sigma - 1.0 / (sigma + 1e-6) + 2.0;
    }
    return total / static_cast<double>(pairs);
  }
};

}  // namespace

std::unique_ptr<Proxy> make_az_trainability_proxy() {
  return std::make_unique<AzTrainabilityProxy>();
}

}  // namespace zcb
