/// @file common.hpp
/// @brief Steps several proxies share (foresight's `get_layer_metric_array` and friends).
#pragma once

#include <functional>

#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb::proxies {

/// zero_grad, forward the context batch, cross-entropy (mean) on its labels, backward.
void backward_cross_entropy(Network& network, const ProxyContext& context);

/// Sum over the conv/linear layer weights W of `per_layer(W)` (a scalar per layer),
/// accumulated in double in layer order.
double sum_over_layers(Network& network,
                       const std::function<double(const torch::Tensor& weight)>& per_layer);

/// A shared-pass proxy scored alone: before_pass, the kCrossEntropyBackward pass,
/// score_after_pass. The harness's grouped route does the same steps once for several proxies.
double score_with_own_pass(const Proxy& proxy, Network& network, const ProxyContext& context);

/// Throws zcb::Error when the proxy needs data the harness did not provide.
void require_batch(const ProxyContext& context, bool labels, const char* proxy);

}  // namespace zcb::proxies
