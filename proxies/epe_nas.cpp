// epe_nas: per-class correlation of input Jacobians (EPE-NAS).
//
// Paper: Lopes et al., "EPE-NAS: Efficient Performance Estimation Without Training for Neural
// Architecture Search", ICANN 2021; NAS-Bench-Suite-Zero (NeurIPS 2022 D&B).
// Reference code: automl/NASLib (zerocost branch) `naslib/predictors/pruners/measures/
// epe_nas.py`, itself taken from VascoLopes/EPE-NAS `search.py` (eval_score_perclass).
// Formula: J_n = d(sum_k y_nk)/dx_n for each image n of one real batch (logits y, backward of
// ones; train mode with batch norm), flattened. Rows are grouped by label; for each class c
// with rows J_c: s_c = sum_ij log(|corrcoef(J_c)_ij| + 1e-5). With K = number of logits:
//   K <= 100: S = sum_c |s_c|;
//   K >  100: s_c is first divided by the number of rows of J_c, and
//             S = sum_c sum_c' |s_c - s_c'| / (number of classes scored).
// A class with a single image: np.corrcoef of one row is the scalar 1 (or NaN for a constant
// row), giving s_c = log(1 + 1e-5) when K <= 100; when K > 100 the reference's len() of that
// scalar raises and the class is skipped (`except: continue`). Both are reproduced. When every
// class is skipped (e.g. ImageNet's 1000 classes in a batch of 16), the reference divides by
// zero and NASLib records NaN; so does this (status non_finite): a larger batch is needed.
// NASLib groups by the labels of the batch it is given (one loader batch, 64 images in
// NAS-Bench-Suite-Zero); the batch size is the run's default here. Classes are visited in order
// of first appearance, as the reference's dict is. The Jacobian comes from autograd::grad on
// the input alone (proxies::gradient_of_sum: the reference's values without its unused weight
// gradients); a network whose output does not depend on its input, where the reference's
// backward() raises, scores NaN (non_finite), as jacob_cov does.
// Sign: higher is better. Undefined for outputs that are not (N, classes) logits of a
// cross-entropy task (TaskInfo::loss; room_layout's (N, 9) regression is not): throws
// UnsupportedError there (NAS-Bench-Suite-Zero leaves it out for non-classification tasks).
// Deviations: correlations are computed in float64 as np.corrcoef does and clamped to [-1, 1]
// as it does; a NaN (constant Jacobian row) propagates to the score as in the reference.
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "common.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

constexpr double kShift = 1e-5;
constexpr std::int64_t kManyClasses = 100;

/// sum_ij log(|corrcoef(rows)_ij| + k) for a (n >= 2, D) float64 matrix.
double log_abs_correlation_sum(const torch::Tensor& rows) {
  const torch::Tensor centred = rows - rows.mean(1, /*keepdim=*/true);
  const torch::Tensor covariance = centred.matmul(centred.t()) / (rows.size(1) - 1);
  const torch::Tensor scale = covariance.diagonal().sqrt();
  const torch::Tensor correlation =
      (covariance / scale.unsqueeze(1) / scale.unsqueeze(0)).clamp(-1.0, 1.0);
  return (correlation.abs() + kShift).log().sum().item<double>();
}

class EpeNasProxy : public Proxy {
 public:
  std::string name() const override { return "epe_nas"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override { return {}; }
  ProxyInfo info() const override {
    return {"Lopes et al., EPE-NAS, ICANN 2021",
            "automl/NASLib (zerocost): naslib/predictors/pruners/measures/epe_nas.py "
            "(from VascoLopes/EPE-NAS search.py)",
            "", "sum_c |sum_ij log(|corrcoef(J_c)| + 1e-5)|, J_c = input Jacobians of class c"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, true, "epe_nas");
    torch::Tensor inputs = context.inputs.detach().clone().requires_grad_(true);
    torch::Tensor logits = network.forward(inputs);
    // Regression outputs (N, K) are 2-D too: the task's loss says whether they are logits.
    const bool classification = context.task == nullptr || context.task->loss == "cross_entropy";
    if (logits.dim() != 2 || !classification) {
      throw UnsupportedError("epe_nas: defined for classification logits (N, classes) only");
    }
    const std::int64_t num_logits = logits.size(1);
    const torch::Tensor input_gradient = proxies::gradient_of_sum(logits, inputs);
    if (!input_gradient.defined()) return std::numeric_limits<double>::quiet_NaN();
    const torch::Tensor jacobians =
        input_gradient.detach().reshape({inputs.size(0), -1}).to(torch::kFloat64).cpu();
    const torch::Tensor labels = context.labels.to(torch::kCPU);

    // Rows of each class, classes in order of first appearance.
    std::vector<std::int64_t> class_order;
    std::map<std::int64_t, std::vector<std::int64_t>> rows_of;
    for (std::int64_t i = 0; i < labels.size(0); ++i) {
      const std::int64_t label = labels[i].item<std::int64_t>();
      auto& rows = rows_of[label];
      if (rows.empty()) class_order.push_back(label);
      rows.push_back(i);
    }
    const bool many_classes = num_logits > kManyClasses;
    std::vector<double> class_scores;
    for (const std::int64_t label : class_order) {
      const auto& rows = rows_of[label];
      double s = 0.0;
      if (rows.size() == 1) {
        if (many_classes) continue;  // the reference's len() of a scalar raises: skipped
        const double variance = jacobians[rows[0]].var().item<double>();
        // np.corrcoef of one row: c / c, 1 unless the row is constant (0 / 0 = NaN).
        s = variance == 0.0 ? std::nan("") : std::log(1.0 + kShift);
      } else {
        const torch::Tensor index = torch::tensor(rows, torch::kInt64);
        s = log_abs_correlation_sum(jacobians.index_select(0, index));
        if (many_classes) s /= static_cast<double>(rows.size());
      }
      class_scores.push_back(s);
    }
    double score = 0.0;
    if (!many_classes) {
      for (const double s : class_scores) score += std::abs(s);
      return score;
    }
    // Every class skipped (e.g. ImageNet's 1000 classes in a batch of 16): 0 / 0 = NaN, where
    // the reference's division by len() raises and NASLib records NaN.
    for (const double a : class_scores) {
      for (const double b : class_scores) score += std::abs(a - b);
    }
    return score / static_cast<double>(class_scores.size());
  }
};

}  // namespace

std::unique_ptr<Proxy> make_epe_nas_proxy() { return std::make_unique<EpeNasProxy>(); }

}  // namespace zcb
