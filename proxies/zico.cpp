// zico and zico_paper: inverse coefficient of variation of the loss gradients across batches.
//
// Paper: Li, Dong, Yang, Hu, Lu, Marculescu, "ZiCo: Zero-shot NAS via Inverse Coefficient of
// Variation on Gradients", ICLR 2023.
// Reference code: SLDGroup/ZiCo `ZeroShotProxy/compute_zico.py` (getgrad, caculate_zico,
// getzico), as NASLib's zerocost `zico.py` runs it on one batch split in two (split_data=2).
// Formula (zico, the code): the batch is split into two halves B1, B2 (first N/2, rest); the
// network (train mode, default init) runs forward + mean cross-entropy + backward on B1, the
// weight gradient G1 of every Conv2d/Linear is recorded, then the same on B2 WITHOUT zeroing
// the gradients in between (getzico in SLDGroup/ZiCo at bbabe28 and NASLib's copy call no
// zero_grad between batches), so the second record is
// G2' = G1 + G(B2). Per weight element: mean|g| and std(g) over the two records, numpy's
// np.std (population, ddof = 0, i.e. |G1 - G2'| / 2). Per layer: s_l = sum over the elements
// with nonzero std of mean|g| / std(g); S = sum over layers with s_l != 0 of log(s_l).
// Sign: higher is better.
// zico_paper (variant): the paper's Eq. (ZiCo = sum_l log sum_theta E[|g|] / sqrt(Var(|g|)))
// with independent per-batch gradients: the gradients are zeroed before the second half, and
// the standard deviation is taken of |g| (population), not of the signed gradient. Elements
// whose |g| is the same in both halves have zero deviation and are left out, as the code does.
// Deviations: ratios are computed and summed in float64 (the reference sums float32 numpy
// arrays); this changes the last float32 bits only. A layer whose weight received no
// gradient at all (skipped dead path) has all-zero gradients in the reference, hence zero std
// everywhere and no term: it is skipped the same way here. Batch 128, i.e. two halves of 64
// (the paper's ablation finds batch 64 sufficient; its scripts use two loader batches of 128).
// Computation: both proxies read one shared pass (SharedPass::kHalfBatchGradients: each
// half's gradients from zero); zico forms G2' = G1 + G(B2) itself, with the float32 addition
// autograd's accumulation performs, so its bits equal the accumulate-in-place code's.
#include <cmath>
#include <vector>

#include "common.hpp"

namespace zcb {
namespace {

class ZicoProxy : public Proxy {
 public:
  explicit ZicoProxy(bool paper_form) : paper_form_(paper_form) {}
  std::string name() const override { return paper_form_ ? "zico_paper" : "zico"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.batch_size = 128;  // two halves of 64
    return needs;
  }
  ProxyInfo info() const override {
    const std::string paper =
        "Li et al., ZiCo: Zero-shot NAS via Inverse Coefficient of Variation on Gradients, "
        "ICLR 2023";
    const std::string reference = "SLDGroup/ZiCo: ZeroShotProxy/compute_zico.py";
    if (paper_form_) {
      return {paper, reference, "zico",
              "independent gradients of the two half-batches (zeroed in between) and "
              "std of |g| (the paper's Var(|g|)) instead of the accumulated second gradient "
              "and std of g"};
    }
    return {paper, reference, "",
            "sum_l log sum_theta mean|g| / std(g) over two half-batch gradients"};
  }
  bool higher_is_better() const override { return true; }

  SharedPass shared_pass() const override { return SharedPass::kHalfBatchGradients; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::score_with_own_pass(*this, network, context);
  }
  double score_after_pass(Network& network, const ProxyContext& context,
                          const std::shared_ptr<void>& state) const override {
    // The pass gives each half's gradients from zero: G1, then G(B2).
    const std::size_t layers = context.pass_outputs.size() / 2;
    double total = 0.0;
    for (std::size_t layer = 0; layer < layers; ++layer) {
      torch::Tensor first_half = context.pass_outputs[layer];
      torch::Tensor second_half = context.pass_outputs[layers + layer];
      if (!first_half.defined() && !second_half.defined()) continue;  // no gradient: no term
      if (!first_half.defined()) first_half = torch::zeros_like(second_half);
      if (!second_half.defined()) second_half = torch::zeros_like(first_half);
      const torch::Tensor first = first_half.to(torch::kFloat64);
      // zico's second record is the code's G2' = G1 + G(B2): the float32 addition autograd's
      // accumulation performs when the gradients are not zeroed in between, bit for bit.
      const torch::Tensor second =
          (paper_form_ ? second_half : first_half + second_half).to(torch::kFloat64);
      const torch::Tensor mean_abs = (first.abs() + second.abs()) / 2.0;
      // Population std of two values a, b is |a - b| / 2.
      const torch::Tensor deviation =
          paper_form_ ? (first.abs() - second.abs()).abs() / 2.0 : (first - second).abs() / 2.0;
      const torch::Tensor nonzero = deviation != 0;
      const double layer_sum =
          (mean_abs.masked_select(nonzero) / deviation.masked_select(nonzero)).sum().item<double>();
      if (layer_sum != 0.0) total += std::log(layer_sum);
    }
    return total;
  }

 private:
  bool paper_form_;
};

}  // namespace

std::unique_ptr<Proxy> make_zico_proxy() { return std::make_unique<ZicoProxy>(false); }
std::unique_ptr<Proxy> make_zico_paper_proxy() { return std::make_unique<ZicoProxy>(true); }

}  // namespace zcb
