// swap: number of distinct sample-wise activation patterns (SWAP-Score).
//
// Paper: Peng, Song, Fayek, Ciesielski, Chang, "SWAP-NAS: Sample-Wise Activation Patterns for
// Ultra-fast NAS", ICLR 2024.
// Reference code: pym1024/SWAP `src/metrics/swap.py` (SWAP, SampleWiseActivationPatterns) and
// `correlation.py` (16 real training images, 32 repeats, `network_weight_gaussian_init` from
// `src/utils/utilities.py`).
// Formula: re-initialise Conv2d/Linear weights ~ N(0, 1), their biases 0, batch-norm gamma 1
// and beta 0; forward one batch (train mode, no grad); the outputs of every ReLU with a 4-D
// input are flattened per image and concatenated into A (N x M); sign(A) is in {0, 1}; SWAP =
// number of distinct rows of sign(A)^T (the M neurons' patterns over the N images). The score
// is the mean over 32 such re-initialisations of the same network on the same batch.
// Sign: higher is better.
// Deviations: sign(relu(x)) = [x > 0] is read from the ReLU input tap; each neuron's pattern is
// packed into a 64-bit word and the distinct words are counted with a bitmap (same count as
// torch.unique(dim=0), 1.5-3x faster per architecture on NB201); the re-initialisations draw
// from torch's global RNG, which the harness seeds with the proxy seed (the reference
// seeds once per run). The regularised form (x exp(-(P/1e3 - mu)^2 / sigma)) is the composite
// `swap_reg` (results/src/composite.cpp), computed from this score and `params` with the run
// config's mu and sigma: SWAP's code takes them as arguments and sets none.
#include <algorithm>
#include <vector>

#include "common.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

constexpr int kRepeats = 32;  // correlation.py --repeats

/// network_weight_gaussian_init: the draws follow module pre-order, as net.modules() does.
void gaussian_init(Network& network) {
  torch::NoGradGuard no_grad;
  for (const auto& module : network.modules(/*include_self=*/false)) {
    if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      conv->weight.normal_();
      if (conv->bias.defined()) conv->bias.zero_();
    } else if (auto* norm = module->as<torch::nn::BatchNorm2dImpl>()) {
      if (norm->weight.defined()) norm->weight.fill_(1.0);
      if (norm->bias.defined()) norm->bias.zero_();
    } else if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      linear->weight.normal_();
      if (linear->bias.defined()) linear->bias.zero_();
    }
  }
}

class SwapProxy : public Proxy {
 public:
  std::string name() const override { return "swap"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_labels = false;
    needs.batch_size = 16;  // correlation.py --input_samples
    return needs;
  }
  ProxyInfo info() const override {
    return {"Peng et al., SWAP-NAS: Sample-Wise Activation Patterns for Ultra-fast NAS, ICLR 2024",
            "pym1024/SWAP: src/metrics/swap.py, correlation.py", "",
            "#distinct per-neuron ReLU sign patterns over the batch, mean of 32 N(0,1) inits"};
  }
  bool higher_is_better() const override { return true; }

  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, false, "swap");
    const std::int64_t batch = context.inputs.size(0);
    std::vector<torch::Tensor> patterns;
    network.hooks().on_relu_input = [&patterns, batch](const torch::Tensor& pre_activation) {
      if (pre_activation.dim() == 4) {
        patterns.push_back(pre_activation.detach().reshape({batch, -1}) > 0);
      }
    };
    double total = 0.0;
    for (int repeat = 0; repeat < kRepeats; ++repeat) {
      gaussian_init(network);
      patterns.clear();
      {
        torch::NoGradGuard no_grad;
        network.forward(context.inputs);
      }
      if (patterns.empty()) {
        network.hooks().on_relu_input = nullptr;
        throw Error("swap: the network has no ReLU on a 4-D feature map");
      }
      total += static_cast<double>(proxies::count_distinct_rows(torch::cat(patterns, 1).t()));
    }
    network.hooks().on_relu_input = nullptr;
    return total / kRepeats;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_swap_proxy() { return std::make_unique<SwapProxy>(); }

}  // namespace zcb
