// jacob_cov: correlation of input Jacobians across a batch (NASWOT v1 score).
//
// Paper: Mellor et al., "Neural Architecture Search without Training", arXiv v1 (2020);
// as a NAS proxy: Abdelfattah et al., ICLR 2021 (NAS-Bench-Suite-Zero calls it `jacov`).
// Reference code: SamsungLabs/zero-cost-nas `foresight/pruners/measures/jacob_cov.py`.
// Formula: J_n = d(sum_k y_nk)/dx_n for each image n of one real batch (logits y, backward of
// ones), flattened; C = corrcoef(J) (N x N); S = -sum_i [log(l_i + k) + 1/(l_i + k)] over the
// eigenvalues l_i of C, k = 1e-5. Sign: higher is better.
// Deviations: numpy's `eig` is replaced by the symmetric solver `eigvalsh` (same eigenvalues up
// to rounding: C is symmetric); C is computed in float64 as np.corrcoef does; the Jacobian comes
// from autograd::grad on the input alone (proxies::gradient_of_sum: same values, no weight
// gradients). Where the reference catches a failure and returns NaN (a constant Jacobian
// row), this returns NaN too, which the harness records as non_finite.
#include <cmath>
#include <limits>

#include "common.hpp"

namespace zcb {
namespace {

constexpr double kShift = 1e-5;

class JacobCovProxy : public Proxy {
 public:
  std::string name() const override { return "jacob_cov"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_labels = false;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Mellor et al., NASWOT arXiv v1 (2020); Abdelfattah et al., ICLR 2021",
            "SamsungLabs/zero-cost-nas: foresight/pruners/measures/jacob_cov.py", "",
            "-sum_i log(l_i + k) + 1/(l_i + k), l = eig(corrcoef(dy/dx))"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, false, "jacob_cov");
    torch::Tensor inputs = context.inputs.detach().clone().requires_grad_(true);
    // No path from the input to the output (e.g. a TransNAS cell whose every input edge is
    // 'none'; zcbench skips those edges where the reference multiplies by 0): the Jacobian is
    // zero, its correlation undefined, and the reference's NaN is the answer.
    const torch::Tensor input_gradient = proxies::gradient_of_sum(network.forward(inputs), inputs);
    if (!input_gradient.defined()) return std::numeric_limits<double>::quiet_NaN();
    const torch::Tensor jacobians =
        input_gradient.detach().reshape({inputs.size(0), -1}).to(torch::kFloat64);
    const torch::Tensor centred = jacobians - jacobians.mean(1, /*keepdim=*/true);
    const torch::Tensor covariance = centred.matmul(centred.t()) / (jacobians.size(1) - 1);
    const torch::Tensor scale = covariance.diagonal().sqrt();
    torch::Tensor correlation = covariance / scale.unsqueeze(1) / scale.unsqueeze(0);
    if (!torch::isfinite(correlation).all().item<bool>()) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    correlation = correlation.clamp(-1.0, 1.0);  // as np.corrcoef does
    const torch::Tensor eigenvalues = torch::linalg_eigvalsh(correlation) + kShift;
    return -(eigenvalues.log() + eigenvalues.reciprocal()).sum().item<double>();
  }
};

}  // namespace

std::unique_ptr<Proxy> make_jacob_cov_proxy() { return std::make_unique<JacobCovProxy>(); }

}  // namespace zcb
