/// @file network.hpp
/// @brief Base class of every built network, with the activation taps proxies need.
///
/// LibTorch has no forward hooks, so networks route their ReLUs and batch norms through the
/// modules in spaces/ops/, which consult the NetworkHooks shared by the whole network.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <functional>
#include <memory>
#include <vector>

namespace zcb {

/// Run-time switches and taps shared by all modules of one network.
struct NetworkHooks {
  /// Called with the input of every ReLU, in forward order, when set (NASWOT and friends).
  std::function<void(const torch::Tensor&)> on_relu_input;
  /// When true every batch norm is the identity (synflow's bn=False variant).
  bool bypass_batch_norm = false;
};

/// A network built by a SearchSpace. Subclasses register their modules and implement forward.
class Network : public torch::nn::Module {
 public:
  Network() : hooks_(std::make_shared<NetworkHooks>()) {}
  /// Logits for a batch of inputs of shape (N, C, H, W).
  virtual torch::Tensor forward(torch::Tensor input) = 0;
  /// Hooks shared with every tapped module of this network.
  NetworkHooks& hooks() { return *hooks_; }
  const std::shared_ptr<NetworkHooks>& shared_hooks() const { return hooks_; }
  /// The weight of every Conv2d and Linear layer in module pre-order (PyTorch's
  /// `net.modules()` order): the "conv/linear weights" foresight-family proxies sum over.
  std::vector<torch::Tensor> layer_weights() const {
    std::vector<torch::Tensor> weights;
    for (const auto& module : modules(/*include_self=*/false)) {
      if (const auto* conv = module->as<torch::nn::Conv2dImpl>()) {
        weights.push_back(conv->weight);
      } else if (const auto* linear = module->as<torch::nn::LinearImpl>()) {
        weights.push_back(linear->weight);
      }
    }
    return weights;
  }

 private:
  std::shared_ptr<NetworkHooks> hooks_;
};

}  // namespace zcb
