// fisher: channel saliency from the Fisher information of the activations (Theis et al.).
//
// Paper: Theis et al., "Faster gaze prediction with dense networks and Fisher pruning", 2018;
// Turner et al., "BlockSwap", ICLR 2020; as a NAS proxy: Abdelfattah et al., "Zero-Cost
// Proxies for Lightweight NAS", ICLR 2021; NAS-Bench-Suite-Zero (NeurIPS 2022 D&B).
// Reference code: automl/NASLib (zerocost branch) `naslib/predictors/utils/pruners/measures/
// fisher.py` (= SamsungLabs/zero-cost-nas `foresight/pruners/measures/fisher.py`), summed by
// `predictive.py::find_measures` (sum_arr) after `p_utils.py::reshape_elements`.
// Formula: one real batch, mean cross-entropy with its labels, train mode with batch norm. For
// every Conv2d/Linear layer l with output a (N, C[, H, W]) and g = dL/da:
//   F_lk = 0.5 * mean_n (sum_{h,w} a_nkhw g_nkhw)^2        (per output channel k)
// The reference broadcasts F_lk to every weight of channel k (shape weight[1:]) before summing,
// so S = sum_l fan_in_l * sum_k |F_lk|, fan_in_l = weight_l.numel() / C_l. Sign: higher is
// better.
// How the activations are reached: the reference replaces each layer's forward so its output
// passes through an nn.Identity whose (old-style) backward hook reads the output gradient.
// Here the output comes from NetworkHooks::on_layer_output with retain_grad(); the layer that
// produced it is found from the autograd graph (its weight's gradient accumulator is within two
// steps of the output's grad_fn), since the tap gives no layer and the fan-in needs one.
// Deviations: sums are accumulated in double (the reference adds float32 tensors). A layer whose
// output gets no gradient contributes 0, as the reference's `fisher is None` branch does.
// Outputs of tapped layers outside Network::layer_weights() (the TransNAS decoders'
// ConvTranspose2d, which the reference's nn.Conv2d/nn.Linear hooks do not match either) are
// skipped. Tasks that are not classification: L is the task's training loss (TaskInfo::loss, as
// NASLib's TransNAS-Bench-101 runs pick it; proxies/common.cpp task_loss) on the harness's targets.
#include <torch/csrc/autograd/function.h>

#include <unordered_map>
#include <vector>

#include "common.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

using torch::autograd::Node;

struct FisherState {
  /// The weights' gradient accumulators, held so the forward pass reuses these very nodes.
  std::vector<std::shared_ptr<Node>> accumulators;
  std::unordered_map<const Node*, std::int64_t> fan_in_of;
  /// Accumulators of the other parameters (e.g. ConvTranspose2d weights): kept alive so their
  /// nodes stay valid while the pass runs.
  std::vector<std::shared_ptr<Node>> other_accumulators;
  /// Every layer output seen in the pass (gradient retained) with its layer's fan-in.
  std::vector<std::pair<torch::Tensor, std::int64_t>> outputs;
};

/// Fan-in of the layer that produced @p output: breadth-first over at most two autograd steps
/// (Conv2d: convolution -> weight; Linear: addmm/mm -> t -> weight). The nearest accumulator
/// wins, so a layer fed directly by another layer is not mistaken for it.
std::int64_t producing_fan_in(const torch::Tensor& output, const FisherState& state) {
  std::vector<std::shared_ptr<Node>> frontier = {output.grad_fn()};
  for (int depth = 0; depth < 2; ++depth) {
    std::vector<std::shared_ptr<Node>> next;
    for (const auto& node : frontier) {
      if (!node) continue;
      for (const auto& edge : node->next_edges()) {
        if (!edge.function) continue;
        const auto found = state.fan_in_of.find(edge.function.get());
        if (found != state.fan_in_of.end()) return found->second;
        for (const auto& other : state.other_accumulators) {
          if (other.get() == edge.function.get()) return 0;  // not a reference layer: skipped
        }
        next.push_back(edge.function);
      }
    }
    frontier = std::move(next);
  }
  throw Error(
      "fisher: a tapped Conv2d/Linear output is not produced by any weight of "
      "Network::layer_weights(); the space must tap only those layers (spaces/ops)");
}

class FisherProxy : public Proxy {
 public:
  std::string name() const override { return "fisher"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override { return {}; }
  ProxyInfo info() const override {
    return {"Theis et al. 2018; Turner et al., BlockSwap, ICLR 2020; Abdelfattah et al., ICLR 2021",
            "automl/NASLib (zerocost): naslib/predictors/utils/pruners/measures/fisher.py", "",
            "sum_l fan_in_l * sum_k 0.5 * mean_n (sum_hw a * dL/da)^2"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    return proxies::score_with_own_pass(*this, network, context);
  }
  SharedPass shared_pass() const override { return SharedPass::kLossBackward; }

  std::shared_ptr<void> before_pass(Network& network, const ProxyContext& context) const override {
    auto state = std::make_shared<FisherState>();
    for (const torch::Tensor& weight : network.layer_weights()) {
      state->accumulators.push_back(torch::autograd::impl::grad_accumulator(weight));
      state->fan_in_of[state->accumulators.back().get()] = weight.numel() / weight.size(0);
    }
    // Tapped layers outside layer_weights() (the TransNAS decoders' ConvTranspose2d: not
    // nn.Conv2d, so the reference's hooks skip them too) are recognised by their weight.
    for (const torch::Tensor& parameter : network.parameters()) {
      if (parameter.dim() < 2) continue;
      const auto accumulator = torch::autograd::impl::grad_accumulator(parameter);
      if (state->fan_in_of.count(accumulator.get()) == 0) {
        state->other_accumulators.push_back(accumulator);
      }
    }
    FisherState* raw = state.get();
    network.hooks().on_layer_output = [raw](const torch::Tensor& output) {
      const std::int64_t fan_in = producing_fan_in(output, *raw);
      if (fan_in == 0) return;
      output.retain_grad();
      raw->outputs.emplace_back(output, fan_in);
    };
    return state;
  }

  double score_after_pass(Network& network, const ProxyContext& context,
                          const std::shared_ptr<void>& state) const override {
    network.hooks().on_layer_output = nullptr;
    const auto& fisher = *static_cast<const FisherState*>(state.get());
    double total = 0.0;
    for (const auto& [activation, fan_in] : fisher.outputs) {
      const torch::Tensor grad = activation.grad();
      if (!grad.defined()) continue;
      torch::Tensor per_sample = activation.detach() * grad;  // (N, C[, H, W])
      if (per_sample.dim() > 2) {
        std::vector<std::int64_t> spatial;
        for (std::int64_t d = 2; d < per_sample.dim(); ++d) spatial.push_back(d);
        per_sample = per_sample.sum(spatial);
      }
      const torch::Tensor per_channel = per_sample.pow(2).mean(0).mul(0.5);
      total +=
          per_channel.abs().to(torch::kFloat64).sum().item<double>() * static_cast<double>(fan_in);
    }
    return total;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_fisher_proxy() { return std::make_unique<FisherProxy>(); }

}  // namespace zcb
