/// @file common.hpp
/// @brief Steps several proxies share (foresight's `get_layer_metric_array` and friends).
#pragma once

#include <functional>

#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb::proxies {

/// The task's training loss (TaskInfo::loss; cross-entropy without a task) of @p outputs, the
/// network's output for the context batch, against the context's targets (ProxyContext::labels,
/// or the inputs for "l1_input"); a mean over every element. Throws zcb::Error naming the loss
/// and the shapes when the outputs or targets do not fit it, or when the loss is unknown.
torch::Tensor task_loss(const torch::Tensor& outputs, const ProxyContext& context);

/// zero_grad, forward the context batch, the task loss (task_loss()), backward.
void backward_task_loss(Network& network, const ProxyContext& context);

/// The input Jacobian rows of jacob_cov and EPE-NAS: d(sum of @p outputs)/d(@p inputs), the
/// gradient a backward of ones leaves in inputs.grad(), computed with torch::autograd::grad so
/// that no weight gradient is computed (the reference's backward() computes them all and never
/// reads them: the same values at about two thirds of the cost). Undefined when the outputs
/// do not depend on the inputs (a network with no path from its input to its output).
torch::Tensor gradient_of_sum(const torch::Tensor& outputs, const torch::Tensor& inputs);

/// Shape of a synthetic input batch of @p batch images for @p task's network: (batch, C, H, W),
/// except jigsaw, whose siamese network takes the 9 tiles stacked along channels (9 C).
std::vector<std::int64_t> network_input_shape(const TaskInfo& task, std::int64_t batch);

/// Sum over the conv/linear layer weights W of `per_layer(W)` (a scalar per layer),
/// accumulated in double in layer order.
double sum_over_layers(Network& network,
                       const std::function<double(const torch::Tensor& weight)>& per_layer);

/// A shared-pass proxy scored alone: before_pass, its shared pass, torch seeded with
/// context.proxy_seed, score_after_pass (with the pass's outputs in the context). The harness's
/// grouped route does the same steps, the pass once for several proxies.
double score_with_own_pass(const Proxy& proxy, Network& network, const ProxyContext& context);

/// SharedPass::kHalfBatchGradients: the weight gradients of the two halves of the batch, each
/// from zeroed gradients (first half's layers, then second half's). Throws zcb::Error for a
/// batch of fewer than 2 images or without labels.
std::vector<torch::Tensor> half_batch_gradients(Network& network, const ProxyContext& context);

/// Number of distinct rows of a 2-D 0/1 matrix (SWAP's distinct neuron patterns, TE-NAS's
/// distinct activation regions); any nonzero entry counts as 1. Each row is packed into
/// 64-bit words, read through the matrix's strides (a transposed view costs no copy); up to
/// 24 columns are counted with a bitmap, more by sorting the packed rows. Distinct rows map
/// to distinct words, so the count is torch.unique(dim=0)'s, exactly.
std::int64_t count_distinct_rows(const torch::Tensor& bits);

/// Throws zcb::Error when the proxy needs data the harness did not provide.
void require_batch(const ProxyContext& context, bool labels, const char* proxy);

}  // namespace zcb::proxies
