#include "common.hpp"

#include <algorithm>
#include <vector>

#include "az_nas.hpp"
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

torch::Tensor gradient_of_sum(const torch::Tensor& outputs, const torch::Tensor& inputs) {
  if (!outputs.requires_grad()) return {};
  return torch::autograd::grad({outputs}, {inputs}, {torch::ones_like(outputs)},
                               /*retain_graph=*/false, /*create_graph=*/false,
                               /*allow_unused=*/true)
      .front();
}

double sum_over_layers(Network& network,
                       const std::function<double(const torch::Tensor& weight)>& per_layer) {
  double total = 0.0;
  for (const torch::Tensor& weight : network.layer_weights()) total += per_layer(weight);
  return total;
}

std::vector<torch::Tensor> half_batch_gradients(Network& network, const ProxyContext& context) {
  require_batch(context, true, "the half-batch gradient pass");
  const std::int64_t batch = context.inputs.size(0);
  if (batch < 2) throw Error("the half-batch gradient pass needs a batch of at least 2 images");
  const std::vector<torch::Tensor> weights = network.layer_weights();
  std::vector<torch::Tensor> gradients;
  for (std::int64_t half = 0; half < 2; ++half) {
    const std::int64_t begin = half * batch / 2;
    const std::int64_t end = (half + 1) * batch / 2;
    network.zero_grad();
    const torch::Tensor logits = network.forward(context.inputs.slice(0, begin, end));
    torch::nn::functional::cross_entropy(logits, context.labels.slice(0, begin, end)).backward();
    for (const torch::Tensor& weight : weights) {
      const torch::Tensor& grad = weight.grad();
      gradients.push_back(grad.defined() ? grad.detach().clone() : torch::Tensor());
    }
  }
  return gradients;
}

double score_with_own_pass(const Proxy& proxy, Network& network, const ProxyContext& context) {
  const std::shared_ptr<void> state = proxy.before_pass(network, context);
  ProxyContext after_pass = context;
  after_pass.pass_outputs = run_shared_pass(proxy.shared_pass(), network, context);
  // As in the harness's grouped route, the reader starts from its own proxy seed.
  torch::manual_seed(context.proxy_seed);
  return proxy.score_after_pass(network, after_pass, state);
}

void require_batch(const ProxyContext& context, bool labels, const char* proxy) {
  if (!context.inputs.defined() || (labels && !context.labels.defined())) {
    throw Error(std::string(proxy) + ": the harness gave no data batch");
  }
}

std::int64_t count_distinct_rows(const torch::Tensor& bits) {
  if (bits.dim() != 2) throw Error("count_distinct_rows: expects a 2-D matrix");
  // 0/1 bytes on the host, in the matrix's own layout: SWAP passes a transposed view, and
  // reading it through its strides saves a copy of a matrix with about a million rows.
  torch::Tensor host = bits.to(torch::kCPU);
  if (host.scalar_type() != torch::kBool) host = host.ne(0);  // bool is stored as 0/1 bytes
  static_assert(sizeof(bool) == sizeof(std::uint8_t), "bool tensors are read as bytes");
  const std::int64_t rows = host.size(0);
  const std::int64_t columns = host.size(1);
  const std::int64_t words_per_row = std::max<std::int64_t>(1, (columns + 63) / 64);
  std::vector<std::uint64_t> words(static_cast<std::size_t>(rows * words_per_row), 0);
  const auto* data = reinterpret_cast<const std::uint8_t*>(host.data_ptr<bool>());
  const std::int64_t row_stride = host.stride(0);
  const std::int64_t column_stride = host.stride(1);
  const auto pack = [&](std::int64_t row, std::int64_t column) {
    const std::uint64_t bit = data[row * row_stride + column * column_stride];
    words[static_cast<std::size_t>(row * words_per_row + column / 64)] |= bit << (column % 64);
  };
  // Walk memory in order: down the columns when the rows are the contiguous dimension.
  if (row_stride <= column_stride) {
    for (std::int64_t column = 0; column < columns; ++column) {
      for (std::int64_t row = 0; row < rows; ++row) pack(row, column);
    }
  } else {
    for (std::int64_t row = 0; row < rows; ++row) {
      for (std::int64_t column = 0; column < columns; ++column) pack(row, column);
    }
  }
  if (words_per_row == 1 && columns <= 24) {  // every pattern fits a 2^columns bitmap
    std::vector<bool> seen(std::size_t{1} << columns, false);
    std::int64_t distinct = 0;
    for (const std::uint64_t word : words) {
      if (!seen[word]) {
        seen[word] = true;
        ++distinct;
      }
    }
    return distinct;
  }
  if (words_per_row == 1) {
    std::sort(words.begin(), words.end());
    return std::unique(words.begin(), words.end()) - words.begin();
  }
  std::vector<std::int64_t> order(static_cast<std::size_t>(rows));
  for (std::int64_t row = 0; row < rows; ++row) order[static_cast<std::size_t>(row)] = row;
  const auto row_begin = [&](std::int64_t row) {
    return words.begin() + static_cast<std::ptrdiff_t>(row * words_per_row);
  };
  const auto row_less = [&](std::int64_t a, std::int64_t b) {
    return std::lexicographical_compare(row_begin(a), row_begin(a) + words_per_row, row_begin(b),
                                        row_begin(b) + words_per_row);
  };
  std::sort(order.begin(), order.end(), row_less);
  std::int64_t distinct = rows > 0 ? 1 : 0;
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (row_less(order[i - 1], order[i])) ++distinct;
  }
  return distinct;
}

}  // namespace zcb::proxies

namespace zcb {

std::vector<torch::Tensor> run_shared_pass(SharedPass pass, Network& network,
                                           const ProxyContext& context) {
  switch (pass) {
    case SharedPass::kLossBackward:
      proxies::require_batch(context, true, "the shared loss pass");
      proxies::backward_task_loss(network, context);
      return {};
    case SharedPass::kAzNasFeatures:
      return proxies::az_nas::cell_features(network, context);
    case SharedPass::kHalfBatchGradients:
      return proxies::half_batch_gradients(network, context);
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
