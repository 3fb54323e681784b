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

void require_batch(const ProxyContext& context, bool labels, const char* proxy) {
  if (!context.inputs.defined() || (labels && !context.labels.defined())) {
    throw Error(std::string(proxy) + ": the harness gave no data batch");
  }
}

}  // namespace zcb::proxies
