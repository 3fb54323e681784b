// synflow: synaptic flow of the linearised network (data-free).
//
// Paper: Tanaka et al., "Pruning neural networks without any data by iteratively conserving
// synaptic flow", NeurIPS 2020; as a NAS proxy: Abdelfattah et al., ICLR 2021.
// Reference code: SamsungLabs/zero-cost-nas `foresight/pruners/measures/synflow.py`, registered
// there as `synflow` (bn=False), which this is.
// Formula: with every batch norm bypassed, every parameter and buffer replaced by its absolute
// value and the network in float64, R = sum(net(ones(1, C, H, W))); S = sum |W (.) dR/dW| over
// every Conv2d and Linear weight. Sign: higher is better.
// Raw values are huge (1e30 and more on NB201); ranks are unaffected. NAS-Bench-Suite-Zero logs
// them later, which does not change a rank correlation either.
// Deviation: the reference restores the signs afterwards; the harness builds a fresh network
// for every proxy, so that step is unnecessary here.
#include "common.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

class SynflowProxy : public Proxy {
 public:
  std::string name() const override { return "synflow"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_data = false;
    needs.needs_labels = false;
    needs.batch_norm = false;
    needs.float64 = true;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Tanaka et al., SynFlow, NeurIPS 2020; Abdelfattah et al., ICLR 2021",
            "SamsungLabs/zero-cost-nas: foresight/pruners/measures/synflow.py (bn=False)", "",
            "sum |W * dR/dW|, R = sum f_|theta|(1), float64, no batch norm"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    if (context.task == nullptr) throw Error("synflow: the harness gave no task");
    {
      torch::NoGradGuard no_grad;
      for (auto& parameter : network.parameters()) parameter.abs_();
      for (auto& buffer : network.buffers()) {
        if (buffer.is_floating_point()) buffer.abs_();
      }
    }
    network.zero_grad();
    const TaskInfo& task = *context.task;
    const torch::Tensor ones =
        torch::ones(proxies::network_input_shape(task, 1),
                    torch::TensorOptions().dtype(torch::kFloat64).device(context.device));
    network.forward(ones).sum().backward();
    return proxies::sum_over_layers(network, [](const torch::Tensor& weight) {
      const torch::Tensor& grad = weight.grad();
      return grad.defined() ? (weight * grad).abs().sum().item<double>() : 0.0;
    });
  }
};

}  // namespace

std::unique_ptr<Proxy> make_synflow_proxy() { return std::make_unique<SynflowProxy>(); }

}  // namespace zcb
