/// @file az_nas.hpp
/// @brief Steps the AZ-NAS component proxies share (cvlab-yonsei/AZ-NAS
/// `NB201/ZeroShotProxy/compute_az_nas_score.py`, compute_nas_score).
///
/// The reference computes expressivity, progressivity and trainability from one initialisation,
/// one Gaussian batch and one forward. So do the components here (since their version 2): their
/// seed name is "az_nas", so scored alone each makes the same draws, and scored together the
/// harness runs that forward once (SharedPass::kAzNasFeatures). Version 1 drew each component
/// from its own proxy seed, i.e. measured three different random networks.
#pragma once

#include <vector>

#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb::proxies::az_nas {

/// The reference's setting shared by the three feature-based components.
ProxyRequirements requirements();
/// Paper citation and reference code of every AZ-NAS component.
const char* paper();
const char* reference();

/// init_model(model, 'kaiming_norm_fanin') (weights ~ Kaiming normal, fan-in, ReLU gain; biases
/// 0; batch-norm gamma 1, beta 0; draws from torch's RNG), then one train-mode forward of a
/// Gaussian batch (64 x C x H x W of the task, drawn after the weights); returns the output of
/// every cell/block (on_cell_output), still attached to the autograd graph, in forward order.
/// Throws UnsupportedError when the network reports fewer than two cells.
std::vector<torch::Tensor> cell_features(Network& network, const ProxyContext& context);

/// Expressivity of each feature map: the entropy -sum p log(p + 1e-8) of the normalised
/// eigenvalues p of the channel covariance (over batch and pixels, centred, divided by B*H*W).
std::vector<double> entropies(const std::vector<torch::Tensor>& features);

}  // namespace zcb::proxies::az_nas
