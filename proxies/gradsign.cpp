// gradsign: agreement of the per-sample gradient signs at initialisation.
//
// Paper: Zhang and Jia, "GradSign: Model Performance Inference with Theoretical Insights",
// ICLR 2022.
// Reference code: cmu-catalyst/GradSign
// `zero-cost-nas-code/foresight/pruners/measures/grad_conflict.py` (get_grad_conflict, the
// measure behind the paper's Spearman tables); batch 128 as in `naswot-code/gradsign.py`.
// Formula: for every image i of one real batch: zero_grad, forward of that single image (train
// mode, default initialisation), cross-entropy with its label, backward; g_i = the flattened
// weight gradients of every Conv2d and Linear (zeros where a weight got no gradient).
// S = sum over weight entries theta of |sum_i sign(g_i,theta)| (np.nansum: NaN entries are
// skipped). Sign: higher is better.
// Deviations: the per-image sign vectors are summed as they are produced instead of being
// stacked first (the same integers). `naswot-code/gradsign.py` and AZ-NAS's copy take the mean
// over theta instead (the sum divided by the number of conv/linear weights, which varies with
// the architecture, so it ranks differently); that variant is not registered here.
#include <vector>

#include "common.hpp"

namespace zcb {
namespace {

class GradsignProxy : public Proxy {
 public:
  std::string name() const override { return "gradsign"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.batch_size = 128;  // naswot-code/gradsign.py --batch_size
    return needs;
  }
  ProxyInfo info() const override {
    return {
        "Zhang and Jia, GradSign: Model Performance Inference with Theoretical Insights, "
        "ICLR 2022",
        "cmu-catalyst/GradSign: zero-cost-nas-code/foresight/pruners/measures/"
        "grad_conflict.py",
        "", "sum over weights of |sum over images of sign(per-image gradient)|"};
  }
  bool higher_is_better() const override { return true; }

  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, true, "gradsign");
    const std::vector<torch::Tensor> weights = network.layer_weights();
    std::vector<torch::Tensor> sign_sums(weights.size());
    const std::int64_t batch = context.inputs.size(0);
    for (std::int64_t i = 0; i < batch; ++i) {
      network.zero_grad();
      const torch::Tensor logits = network.forward(context.inputs.slice(0, i, i + 1));
      torch::nn::functional::cross_entropy(logits, context.labels.slice(0, i, i + 1)).backward();
      for (std::size_t w = 0; w < weights.size(); ++w) {
        const torch::Tensor& grad = weights[w].grad();
        if (!grad.defined()) continue;  // zeros in the reference: sign 0 adds nothing
        const torch::Tensor signs = grad.detach().sign().to(torch::kFloat64);
        sign_sums[w] = sign_sums[w].defined() ? sign_sums[w] + signs : signs;
      }
    }
    double total = 0.0;
    for (const torch::Tensor& sums : sign_sums) {
      if (sums.defined()) total += torch::nansum(sums.abs()).item<double>();
    }
    return total;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_gradsign_proxy() { return std::make_unique<GradsignProxy>(); }

}  // namespace zcb
