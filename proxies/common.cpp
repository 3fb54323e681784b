#include "common.hpp"

#include <algorithm>
#include <vector>

#include "zcb/error.hpp"

namespace zcb::proxies {

namespace {

std::string shape_of(const torch::Tensor& tensor) {
  if (!tensor.defined()) return "none";
  std::string text = "(";
  for (std::int64_t i = 0; i < tensor.dim(); ++i) {
    text += (i ? ", " : "") + std::to_string(tensor.size(i));
  }
  return text + ")";
}

}  // namespace

torch::Tensor task_loss(const torch::Tensor& outputs, const ProxyContext& context) {
  const std::string loss = context.task != nullptr ? context.task->loss : "cross_entropy";
  const torch::Tensor& targets = loss == "l1_input" ? context.inputs : context.labels;
  const auto mismatch = [&](const char* expected) {
    return Error("task loss '" + loss + "' expects " + expected + " but the network gave " +
                 shape_of(outputs) + " and the harness " + shape_of(targets));
  };
  namespace F = torch::nn::functional;
  if (loss == "cross_entropy") {
    if (!targets.defined() || outputs.dim() != 2 || targets.dim() != 1 ||
        targets.size(0) != outputs.size(0)) {
      throw mismatch("(N, classes) logits and (N) labels");
    }
    return F::cross_entropy(outputs, targets);
  }
  if (loss == "pixel_cross_entropy") {
    if (!targets.defined() || outputs.dim() != 4 || targets.dim() != 3 ||
        targets.size(0) != outputs.size(0) || targets.size(1) != outputs.size(2) ||
        targets.size(2) != outputs.size(3)) {
      throw mismatch("(N, classes, H, W) logits and (N, H, W) labels");
    }
    return F::cross_entropy(outputs, targets);
  }
  if (loss == "mse" || loss == "l1" || loss == "l1_input") {
    if (!targets.defined() || outputs.sizes() != targets.sizes()) {
      throw mismatch("outputs and targets of one shape");
    }
    return loss == "mse" ? F::mse_loss(outputs, targets) : F::l1_loss(outputs, targets);
  }
  throw Error("unknown task loss '" + loss +
              "' (known: cross_entropy, pixel_cross_entropy, mse, l1, l1_input); the benchmark "
              "table names it: re-convert it with this zcbench");
}

std::vector<std::int64_t> network_input_shape(const TaskInfo& task, std::int64_t batch) {
  // TaskInfo describes one jigsaw tile; the harness stacks 9 of them (data/README.md, Images).
  const std::int64_t channels = task.name == "jigsaw" ? 9 * task.channels : task.channels;
  return {batch, channels, task.height, task.width};
}

void backward_task_loss(Network& network, const ProxyContext& context) {
  network.zero_grad();
  const torch::Tensor outputs = network.forward(context.inputs);
  task_loss(outputs, context).backward();
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

std::int64_t count_distinct_rows(const torch::Tensor& bits) {
  if (bits.dim() != 2) throw Error("count_distinct_rows: expects a 2-D matrix");
  constexpr std::int64_t kBitsPerWord = 62;
  const std::int64_t columns = bits.size(1);
  std::vector<torch::Tensor> words;
  for (std::int64_t begin = 0; begin < columns; begin += kBitsPerWord) {
    const std::int64_t end = std::min(columns, begin + kBitsPerWord);
    const torch::Tensor weights = torch::pow(
        2, torch::arange(end - begin,
                         torch::TensorOptions().dtype(torch::kInt64).device(bits.device())));
    words.push_back((bits.slice(1, begin, end).to(torch::kInt64) * weights).sum(1));
  }
  if (words.size() == 1) return std::get<0>(torch::_unique(words[0], /*sorted=*/false)).size(0);
  return std::get<0>(torch::unique_dim(torch::stack(words, 1), 0, /*sorted=*/false)).size(0);
}

}  // namespace zcb::proxies

namespace zcb {

void run_shared_pass(SharedPass pass, Network& network, const ProxyContext& context) {
  switch (pass) {
    case SharedPass::kLossBackward:
      proxies::require_batch(context, true, "the shared loss pass");
      proxies::backward_task_loss(network, context);
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
