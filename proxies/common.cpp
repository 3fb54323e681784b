#include "common.hpp"

#include "zcb/error.hpp"

namespace zcb::proxies {

void backward_cross_entropy(Network& network, const ProxyContext& context) {
  network.zero_grad();
  torch::Tensor logits = network.forward(context.inputs);
  torch::nn::functional::cross_entropy(logits, context.labels).backward();
}

double sum_over_layers(Network& network,
                       const std::function<double(const torch::Tensor& weight)>& per_layer) {
  double total = 0.0;
  for (const torch::Tensor& weight : network.layer_weights()) total += per_layer(weight);
  return total;
}

double score_with_own_pass(const Proxy& proxy, Network& network, const ProxyContext& context) {
  const std::shared_ptr<void> state = proxy.before_pass(network, context);
  run_shared_pass(proxy.shared_pass(), network, context);
  return proxy.score_after_pass(network, context, state);
}

void require_batch(const ProxyContext& context, bool labels, const char* proxy) {
  if (!context.inputs.defined() || (labels && !context.labels.defined())) {
    throw Error(std::string(proxy) + ": the harness gave no data batch");
  }
}

}  // namespace zcb::proxies

namespace zcb {

void run_shared_pass(SharedPass pass, Network& network, const ProxyContext& context) {
  switch (pass) {
    case SharedPass::kCrossEntropyBackward:
      proxies::require_batch(context, true, "the shared cross-entropy pass");
      proxies::backward_cross_entropy(network, context);
      return;
    case SharedPass::kNone:
      break;
  }
  throw Error("run_shared_pass: no shared pass requested");
}

double Proxy::score_after_pass(Network& network, const ProxyContext& context,
                               const std::shared_ptr<void>& state) const {
  throw Error("proxy '" + name() + "' declares no shared pass");
}

}  // namespace zcb
