/// @file zen_score.hpp
/// @brief The two terms of the Zen-score, shared by the `zen` and `zen_no_bn` proxies, and
/// Zen-NAS's Gaussian initialisation (also used by `naswot_gaussian`).
#pragma once

#include "zcb/network.hpp"
#include "zcb/proxy.hpp"

namespace zcb::proxies {

/// Images per Gaussian batch: the CIFAR batch of Zen-NAS's searches and the loader batch of
/// NAS-Bench-Suite-Zero.
inline constexpr int kZenBatch = 64;

/// Zen-NAS's `network_weight_gaussian_init`: every Conv2d/Linear weight N(0, 1) (in module
/// order, from torch's generator), their biases 0, batch-norm gamma 1 and beta 0.
void gaussian_init(Network& network);

/// The Zen-score's terms for one draw (repeat = 1, as NASLib and Zen-NAS's searches use).
struct ZenTerms {
  double log_difference = 0.0;  ///< log mean_n sum |f(x) - f(x + 0.01 eps)| at forward_features
  double log_bn_scaling = 0.0;  ///< sum over batch norms of log sqrt(mean running_var)
};

/// Re-initialises @p network with gaussian_init, draws x and eps ~ N(0, 1) of shape (kZenBatch,
/// task shape) from torch's generator, runs both forwards in train mode without gradients, and
/// returns the two terms. Every edge is computed (dead paths included), since every batch norm's
/// running variance counts, as in the reference networks.
ZenTerms zen_terms(Network& network, const ProxyContext& context);

}  // namespace zcb::proxies
