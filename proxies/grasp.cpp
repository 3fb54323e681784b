// grasp: Gradient Signal Preservation, -W (.) (H g) summed over conv/linear weights.
//
// Paper: Wang et al., "Picking Winning Tickets Before Training by Preserving Gradient Flow",
// ICLR 2020; as a NAS proxy: Abdelfattah et al., "Zero-Cost Proxies for Lightweight NAS",
// ICLR 2021; NAS-Bench-Suite-Zero (NeurIPS 2022 D&B).
// Reference code: automl/NASLib (zerocost branch) `naslib/predictors/utils/pruners/measures/
// grasp.py` (= SamsungLabs/zero-cost-nas `foresight/pruners/measures/grasp.py`), summed by
// `predictive.py::find_measures` (sum_arr).
// Formula: one real batch, mean cross-entropy L with its labels, train mode with batch norm,
// T = 1, num_iters = 1, split_data = 1 (NASLib's defaults):
//   g = dL/dW from a first forward (constant), z = sum_l <g_l, dL/dW_l> from a second forward
//   with create_graph, Hg = dz/dW (a Hessian-gradient product), S = sum_l sum(-W_l (.) Hg_l).
// Signed (no absolute value). Sign: higher is better (the reference negates GraSP's original
// score because accuracy correlated negatively with it).
// Deviations: the reference divides the logits by T = 1, an exact no-op, not done here. Per-layer
// sums are accumulated in double (the reference adds float32 tensors). Weights that do not reach
// the loss get no gradient (allow_unused) and contribute 0, as in the reference.
// Tasks that are not classification: L is the task's training loss (TaskInfo::loss, as NASLib's
// TransNAS-Bench-101 runs pick it; proxies/common.cpp task_loss) on the harness's targets.
#include "common.hpp"

namespace zcb {
namespace {

class GraspProxy : public Proxy {
 public:
  std::string name() const override { return "grasp"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override { return {}; }
  ProxyInfo info() const override {
    return {"Wang et al., GraSP, ICLR 2020; Abdelfattah et al., ICLR 2021",
            "automl/NASLib (zerocost): naslib/predictors/utils/pruners/measures/grasp.py", "",
            "sum -W * (H g), g = dL/dW, Hessian-gradient product by double backward"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, true, "grasp");
    const std::vector<torch::Tensor> weights = network.layer_weights();
    network.zero_grad();
    auto loss = [&] { return proxies::task_loss(network.forward(context.inputs), context); };
    // Pass 1: the gradient g, kept as a constant.
    const std::vector<torch::Tensor> gradient =
        torch::autograd::grad({loss()}, weights, /*grad_outputs=*/{}, /*retain_graph=*/false,
                              /*create_graph=*/false, /*allow_unused=*/true);
    // Pass 2: z = <g, dL/dW> with a graph, so dz/dW = H g.
    const std::vector<torch::Tensor> differentiable =
        torch::autograd::grad({loss()}, weights, /*grad_outputs=*/{}, /*retain_graph=*/true,
                              /*create_graph=*/true, /*allow_unused=*/true);
    torch::Tensor z;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (!gradient[i].defined() || !differentiable[i].defined()) continue;
      const torch::Tensor term = (gradient[i].detach() * differentiable[i]).sum();
      z = z.defined() ? z + term : term;
    }
    if (z.defined() && z.requires_grad()) z.backward();
    return proxies::sum_over_layers(network, [](const torch::Tensor& weight) {
      const torch::Tensor& hessian_gradient = weight.grad();
      return hessian_gradient.defined() ? (-weight.detach() * hessian_gradient).sum().item<double>()
                                        : 0.0;
    });
  }
};

}  // namespace

std::unique_ptr<Proxy> make_grasp_proxy() { return std::make_unique<GraspProxy>(); }

}  // namespace zcb
