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
///
/// Every space routes its ReLUs, batch norms, convolutions and linear layers through the tapped
/// modules of spaces/ops/, and calls on_cell_output at the end of every cell or block, so an
/// activation-based proxy works on every space without knowing it.
struct NetworkHooks {
  using Tap = std::function<void(const torch::Tensor&)>;
  /// Called with the input of every ReLU, in forward order (NASWOT, SWAP, linear regions).
  Tap on_relu_input;
  /// Called with the output of every Conv2d and Linear, in forward order, before anything else
  /// uses it: a proxy may call retain_grad() on it (fisher) or read it (MeCo).
  Tap on_layer_output;
  /// Called with the output of every cell (cell-based spaces) or block/stage unit (macro
  /// spaces), in forward order: the "layer features" of AZ-NAS and friends.
  Tap on_cell_output;
  /// When true every batch norm is the identity (synflow's bn=False variant).
  bool bypass_batch_norm = false;
  /// When true (the default) a network skips work that cannot change its output or any tap:
  /// 'none' (zero) operations, and operations whose result never reaches the output while no
  /// tap is set. Tests switch it off to prove that the scores do not change.
  bool skip_dead_paths = true;

  /// True when some proxy observes intermediate tensors, so nothing may be skipped that a tap
  /// would have seen.
  bool observes_activations() const {
    return static_cast<bool>(on_relu_input) || static_cast<bool>(on_layer_output) ||
           static_cast<bool>(on_cell_output);
  }
};

/// A network built by a SearchSpace. Subclasses register their modules and implement
/// forward_features and head; forward is their composition.
class Network : public torch::nn::Module {
 public:
  Network() : hooks_(std::make_shared<NetworkHooks>()) {}
  /// The network's output for a batch of inputs of shape (N, C, H, W): logits for
  /// classification, the decoder's output for dense tasks.
  torch::Tensor forward(torch::Tensor input) { return head(forward_features(std::move(input))); }
  /// Everything before the global pooling (classification) or the decoder (dense tasks): the
  /// encoder's last feature map (N, C, H, W), as Zen-NAS's `forward_pre_GAP`.
  virtual torch::Tensor forward_features(torch::Tensor input) = 0;
  /// The rest of the network: global pooling and classifier, or the task's decoder.
  virtual torch::Tensor head(torch::Tensor features) = 0;
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
