// NAS-Bench-101 search space.
//
// Paper: C. Ying, A. Klein, E. Real, E. Christiansen, K. Murphy, F. Hutter, "NAS-Bench-101:
// Towards Reproducible Neural Architecture Search", ICML 2019.
// Reference code (TensorFlow, transcribed): google-research/nasbench
// `nasbench/lib/model_builder.py` (build_model_fn, build_module, projection, truncate,
// compute_vertex_channels), `nasbench/lib/base_ops.py` (conv_bn_relu, Conv3x3BnRelu,
// Conv1x1BnRelu, MaxPool3x3, BN epsilon 1e-5), `nasbench/lib/model_spec.py` (_prune),
// `nasbench/api.py` (_check_spec: at most 7 vertices and 9 edges after pruning),
// `nasbench/lib/config.py` (stem 128, 3 stacks x 3 modules, 10 labels).
//
// Architecture string (the same as data/ writes, see data/README.md "NB101 table"):
//   <V*V adjacency digits, row-major, digit i*V+j = edge i -> j>|<V op names joined by ','>
//   e.g. 0111010000000100000010000100000000100000010000000|input,conv1x1-bn-relu,
//        conv3x3-bn-relu,conv3x3-bn-relu,conv3x3-bn-relu,maxpool3x3,output
// 2 <= V <= 7, strictly upper-triangular, first op "input", last "output", inner ops
// conv3x3-bn-relu / conv1x1-bn-relu / maxpool3x3. canonical() prunes the graph as
// model_spec.py does (vertices not on an input -> output path are removed, vertex order kept)
// and then requires at most 9 edges; the canonical string is the pruned graph. Vertex order is
// not canonicalised: NB101 splits channels by vertex order, so relabellings differ in size.
//
// Network: stem conv3x3(128)-BN-ReLU; 3 stacks of 3 modules; before stacks 2 and 3 a 2x2
// max-pool (stride 2) and the channel count doubles; global average pool; dense (with bias).
// Module (build_module): vertex_channels from compute_vertex_channels (the output channels
// are split over the vertices feeding the output, interior vertices take the max of their
// successors); a vertex sums its interior inputs (truncated to its channel count) and, if
// the input feeds it, a 1x1 conv-BN-ReLU projection of the module input, then applies its
// op; the output concatenates the vertices feeding it and adds a projection of the input
// when the input -> output edge exists (only that projection if no vertex feeds the output).
// Ops are post-activation conv-BN-ReLU ('same' padding, no conv bias); maxpool3x3 is
// stride 1, padding 1 (TF 'same' max-pool ignores the padding, like PyTorch's -inf padding).
// Every module reports its output to on_cell_output (9 per network). There are no zero ops
// and pruning removes every vertex that cannot reach the output, so skip_dead_paths has
// nothing to skip in this space.
//
// Initialisation follows the TF reference's initialisers (not PyTorch's defaults), drawn from
// the torch RNG after construction, over modules in registration (pre-)order: conv kernels
// `tf.variance_scaling_initializer()` = truncated normal (cut at 2 std) with std =
// sqrt(1 / fan_in) / 0.87962566103423978, fan_in = k*k*C_in; dense kernel glorot uniform
// (limit sqrt(6 / (fan_in + fan_out))), dense bias 0; BN gamma 1, beta 0. Modules are
// registered in the order TF creates the variables: stem; per module and vertex t the input
// projection (if any) then the op; then the output projection; finally the dense layer.
//
// Deviations: the TF random streams cannot be reproduced, only the distributions; BN running
// statistics use PyTorch's momentum 0.1 instead of TF's 0.997 (0.003 in PyTorch's
// convention), which changes nothing in a train-mode forward (proxies) and only the running
// averages otherwise; epsilon is 1e-5 as in the reference.
//
// complexity(): params = trainable parameters as NB101's `trainable_parameters` counts them
// (conv kernels, BN gamma and beta, dense kernel and bias). FLOPs (NB101 publishes none) =
// multiply-accumulates of every conv and the dense layer plus the dense bias, batch 1, the
// convention of the NB201 table (xautodl get_model_infos); pools, BN, ReLU, additions and
// concatenations are not counted. Params verified against the README's Inception-like module
// (2,694,282, published) and all 500 NAS-Bench-Suite-Zero modules (NASLib's PyTorch counts).
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "ops/ops.hpp"
#include "zcb/error.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

constexpr int kMaxVertices = 7;
constexpr int kMaxEdges = 9;
constexpr int kStemChannels = 128;
constexpr int kStacks = 3;
constexpr int kModulesPerStack = 3;

enum class Nb101Op { kInput, kOutput, kConv3x3, kConv1x1, kMaxPool3x3 };
constexpr std::array<const char*, 5> kOpNames = {"input", "output", "conv3x3-bn-relu",
                                                 "conv1x1-bn-relu", "maxpool3x3"};

/// A module graph: V vertices, adjacency[i][j] = edge i -> j, one op per vertex.
struct Spec {
  int vertices = 0;
  std::array<std::array<bool, kMaxVertices>, kMaxVertices> adjacency{};
  std::vector<Nb101Op> ops;

  bool edge(int from, int to) const { return adjacency[from][to]; }
  int edges() const {
    int count = 0;
    for (int i = 0; i < vertices; ++i) {
      for (int j = 0; j < vertices; ++j) count += adjacency[i][j] ? 1 : 0;
    }
    return count;
  }
  int output() const { return vertices - 1; }
};

std::string format_spec(const Spec& spec) {
  std::string out;
  for (int i = 0; i < spec.vertices; ++i) {
    for (int j = 0; j < spec.vertices; ++j) out += spec.edge(i, j) ? '1' : '0';
  }
  out += '|';
  for (int v = 0; v < spec.vertices; ++v) {
    if (v > 0) out += ',';
    out += kOpNames[static_cast<int>(spec.ops[v])];
  }
  return out;
}

/// model_spec.py _prune: keeps the vertices reachable from the input and reaching the output,
/// in their order. Throws when the input does not reach the output.
Spec prune(const Spec& spec, const std::string& arch) {
  const int n = spec.vertices;
  std::array<bool, kMaxVertices> from_input{}, to_output{};
  from_input[0] = true;
  for (int v = 1; v < n; ++v) {
    for (int u = 0; u < v; ++u) from_input[v] = from_input[v] || (from_input[u] && spec.edge(u, v));
  }
  to_output[n - 1] = true;
  for (int v = n - 2; v >= 0; --v) {
    for (int w = v + 1; w < n; ++w)
      to_output[v] = to_output[v] || (to_output[w] && spec.edge(v, w));
  }
  if (!to_output[0]) {
    throw Error("nb101: '" + arch +
                "' is not a valid module: no path from the input to the output vertex");
  }
  std::vector<int> kept;
  for (int v = 0; v < n; ++v) {
    if (from_input[v] && to_output[v]) kept.push_back(v);
  }
  Spec pruned;
  pruned.vertices = static_cast<int>(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    pruned.ops.push_back(spec.ops[kept[i]]);
    for (std::size_t j = 0; j < kept.size(); ++j) {
      pruned.adjacency[i][j] = spec.edge(kept[i], kept[j]);
    }
  }
  return pruned;
}

/// Parses "<V*V bits>|<V ops>", checks it, and returns the pruned spec.
Spec parse_spec(const std::string& arch) {
  const std::string form =
      " (expected '<V*V adjacency digits 0/1, row-major>|input,<ops>,output' with 2 <= V <= 7, "
      "e.g. '0100|input,output')";
  const auto bar = arch.find('|');
  if (bar == std::string::npos || arch.find('|', bar + 1) != std::string::npos) {
    throw Error("nb101: '" + arch + "' has no single '|' between adjacency and ops" + form);
  }
  const std::string bits = arch.substr(0, bar);
  const std::string op_list = arch.substr(bar + 1);
  if (std::count(op_list.begin(), op_list.end(), ',') >= kMaxVertices) {
    throw Error("nb101: '" + arch + "' has more than 7 ops" + form);
  }
  std::vector<std::string> names;
  {
    std::stringstream list(op_list);
    std::string name;
    while (std::getline(list, name, ',')) names.push_back(name);
    if (!arch.empty() && arch.back() == ',') names.emplace_back();
  }
  const int n = static_cast<int>(names.size());
  if (n < 2 || n > kMaxVertices) {
    throw Error("nb101: '" + arch + "' has " + std::to_string(n) + " ops" + form);
  }
  Spec spec;
  spec.vertices = n;
  for (int v = 0; v < n; ++v) {
    int found = -1;
    for (std::size_t k = 0; k < kOpNames.size(); ++k) {
      if (names[v] == kOpNames[k]) found = static_cast<int>(k);
    }
    if (found < 0) {
      throw Error("nb101: unknown operation '" + names[v] + "' in '" + arch +
                  "' (known: conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3)");
    }
    const auto op = static_cast<Nb101Op>(found);
    const bool first = v == 0, last = v == n - 1;
    if ((op == Nb101Op::kInput) != first || (op == Nb101Op::kOutput) != last) {
      throw Error("nb101: '" + arch + "' must have 'input' as first and 'output' as last op, " +
                  "and only there");
    }
    spec.ops.push_back(op);
  }
  if (bits.size() != static_cast<std::size_t>(n * n)) {
    throw Error("nb101: '" + arch + "' has " + std::to_string(bits.size()) +
                " adjacency digits for " + std::to_string(n) + " ops (needs " +
                std::to_string(n * n) + ")" + form);
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const char digit = bits[static_cast<std::size_t>(i * n + j)];
      if (digit != '0' && digit != '1') {
        throw Error("nb101: adjacency digit " + std::to_string(i * n + j) + " of '" + arch +
                    "' is not 0 or 1");
      }
      if (digit == '1' && j <= i) {
        throw Error("nb101: '" + arch + "' has an edge " + std::to_string(i) + " -> " +
                    std::to_string(j) + "; the matrix must be strictly upper-triangular");
      }
      spec.adjacency[i][j] = digit == '1';
    }
  }
  Spec pruned = prune(spec, arch);
  if (pruned.edges() > kMaxEdges) {
    throw Error("nb101: '" + arch + "' has " + std::to_string(pruned.edges()) +
                " edges after pruning; NB101 allows at most 9");
  }
  return pruned;
}

/// model_builder.py compute_vertex_channels.
std::vector<int> vertex_channels(int in_channels, int out_channels, const Spec& spec) {
  const int n = spec.vertices, out = spec.output();
  std::vector<int> channels(static_cast<std::size_t>(n), 0);
  channels[0] = in_channels;
  channels[out] = out_channels;
  if (n == 2) return channels;
  int fan_in = 0;  // in-degree of the output, not counting the input vertex
  for (int v = 1; v < out; ++v) fan_in += spec.edge(v, out) ? 1 : 0;
  // A pruned graph with interior vertices has at least one of them feeding the output.
  int correction = out_channels % fan_in;
  for (int v = 1; v < out; ++v) {
    if (spec.edge(v, out)) {
      channels[v] = out_channels / fan_in + (correction > 0 ? 1 : 0);
      if (correction > 0) --correction;
    }
  }
  for (int v = n - 3; v > 0; --v) {
    if (spec.edge(v, out)) continue;
    for (int dst = v + 1; dst < out; ++dst) {
      if (spec.edge(v, dst)) channels[v] = std::max(channels[v], channels[dst]);
    }
  }
  return channels;
}

/// base_ops.conv_bn_relu: Conv2d ('same' padding, no bias) -> BatchNorm2d -> ReLU.
class ConvBnReluImpl : public torch::nn::Module {
 public:
  ConvBnReluImpl(int in_channels, int out_channels, int kernel,
                 const std::shared_ptr<NetworkHooks>& hooks)
      : conv_(register_module("conv", ops::TappedConv2d(ops::conv_options(in_channels, out_channels,
                                                                          kernel, 1, kernel / 2),
                                                        hooks))),
        norm_(register_module("bn", ops::TappedBatchNorm2d(out_channels, hooks))),
        relu_(register_module("relu", ops::TappedReLU(hooks))) {}
  torch::Tensor forward(const torch::Tensor& input) {
    return relu_->forward(norm_->forward(conv_->forward(input)));
  }

 private:
  ops::TappedConv2d conv_;
  ops::TappedBatchNorm2d norm_;
  ops::TappedReLU relu_;
};
TORCH_MODULE(ConvBnRelu);

/// model_builder.py build_module.
class CellImpl : public torch::nn::Module {
 public:
  CellImpl(const Spec& spec, int in_channels, int out_channels,
           const std::shared_ptr<NetworkHooks>& hooks)
      : spec_(spec), channels_(vertex_channels(in_channels, out_channels, spec)) {
    const int out = spec.output();
    projections_.resize(static_cast<std::size_t>(spec.vertices), nullptr);
    convs_.resize(static_cast<std::size_t>(spec.vertices), nullptr);
    pools_.resize(static_cast<std::size_t>(spec.vertices), nullptr);
    for (int t = 1; t < out; ++t) {
      const std::string vertex = std::to_string(t);
      if (spec.edge(0, t)) {
        projections_[t] =
            register_module("projection" + vertex, ConvBnRelu(in_channels, channels_[t], 1, hooks));
      }
      if (spec.ops[t] == Nb101Op::kMaxPool3x3) {
        pools_[t] = register_module(
            "vertex" + vertex,
            torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(1).padding(1)));
      } else {
        const int kernel = spec.ops[t] == Nb101Op::kConv3x3 ? 3 : 1;
        convs_[t] = register_module("vertex" + vertex,
                                    ConvBnRelu(channels_[t], channels_[t], kernel, hooks));
      }
    }
    if (spec.edge(0, out)) {
      projections_[out] =
          register_module("projection_output", ConvBnRelu(in_channels, out_channels, 1, hooks));
    }
  }

  torch::Tensor forward(const torch::Tensor& input) {
    const int out = spec_.output();
    std::vector<torch::Tensor> values(static_cast<std::size_t>(spec_.vertices));
    values[0] = input;
    std::vector<torch::Tensor> concat;
    for (int t = 1; t < out; ++t) {
      torch::Tensor sum;
      for (int src = 1; src < t; ++src) {
        if (!spec_.edge(src, t)) continue;
        // truncate(): a vertex may carry one channel more than its successor needs.
        torch::Tensor part = values[src].narrow(1, 0, channels_[t]);
        sum = sum.defined() ? sum + part : part;
      }
      if (spec_.edge(0, t)) {
        torch::Tensor part = projections_[t]->forward(input);
        sum = sum.defined() ? sum + part : part;
      }
      values[t] = pools_[t] ? pools_[t]->forward(sum) : convs_[t]->forward(sum);
      if (spec_.edge(t, out)) concat.push_back(values[t]);
    }
    if (concat.empty()) return projections_[out]->forward(input);
    torch::Tensor output = concat.size() == 1 ? concat.front() : torch::cat(concat, 1);
    if (spec_.edge(0, out)) output = output + projections_[out]->forward(input);
    return output;
  }

 private:
  Spec spec_;
  std::vector<int> channels_;
  std::vector<ConvBnRelu> projections_;
  std::vector<ConvBnRelu> convs_;
  std::vector<torch::nn::MaxPool2d> pools_;
};
TORCH_MODULE(Cell);

/// TF's initialisers, drawn with the torch RNG (see the header comment).
void tf_initialise(torch::nn::Module& network) {
  torch::NoGradGuard no_grad;
  const double truncation = 2.0;
  const double cdf_low = (1.0 + std::erf(-truncation / std::sqrt(2.0))) / 2.0;
  const double cdf_high = (1.0 + std::erf(truncation / std::sqrt(2.0))) / 2.0;
  for (const auto& module : network.modules(/*include_self=*/false)) {
    if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      const auto& w = conv->weight;
      const double fan_in = static_cast<double>(w.size(1) * w.size(2) * w.size(3));
      const double std_dev = std::sqrt(1.0 / fan_in) / 0.87962566103423978;
      // Inverse-CDF sampling of N(0, std) cut at +-2 std, as torch.nn.init.trunc_normal_.
      w.uniform_(2 * cdf_low - 1, 2 * cdf_high - 1);
      w.erfinv_();
      w.mul_(std_dev * std::sqrt(2.0));
      w.clamp_(-truncation * std_dev, truncation * std_dev);
    } else if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      const double limit =
          std::sqrt(6.0 / static_cast<double>(linear->weight.size(0) + linear->weight.size(1)));
      linear->weight.uniform_(-limit, limit);
      linear->bias.zero_();
    }
  }
}

class Nb101Network : public Network {
 public:
  Nb101Network(const Spec& spec, int num_classes, int in_channels) {
    const auto& hooks = shared_hooks();
    stem_ = register_module("stem", ConvBnRelu(in_channels, kStemChannels, 3, hooks));
    int channels = kStemChannels;
    for (int stack = 0; stack < kStacks; ++stack) {
      const int in = channels;
      if (stack > 0) channels *= 2;
      for (int m = 0; m < kModulesPerStack; ++m) {
        cells_.push_back(
            register_module("stack" + std::to_string(stack) + "_module" + std::to_string(m),
                            Cell(spec, m == 0 ? in : channels, channels, hooks)));
      }
    }
    classifier_ = register_module(
        "classifier", ops::TappedLinear(torch::nn::LinearOptions(channels, num_classes), hooks));
    tf_initialise(*this);
  }

  // model_fn up to the global average pool; head() is the pool and the dense layer.
  torch::Tensor forward_features(torch::Tensor input) override {
    torch::Tensor x = stem_->forward(input);
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      if (i > 0 && i % kModulesPerStack == 0) x = torch::max_pool2d(x, {2, 2}, {2, 2});
      x = cells_[i]->forward(x);
      if (hooks().on_cell_output) hooks().on_cell_output(x);
    }
    return x;
  }
  torch::Tensor head(torch::Tensor features) override {
    return classifier_->forward(features.mean({2, 3}));
  }

 private:
  ConvBnRelu stem_{nullptr};
  std::vector<Cell> cells_;
  ops::TappedLinear classifier_{nullptr};
};

void check_task(const TaskInfo& task) {
  ops::check_task_shape(task, "nb101", 4, "two 2x2 max-pools");
}

class Nb101Space : public SearchSpace {
 public:
  std::string name() const override { return "nb101"; }
  std::string benchmark() const override { return "nb101"; }
  std::string canonical(const std::string& arch) const override {
    return format_spec(parse_spec(arch));
  }
  std::shared_ptr<Network> build(const std::string& arch, const TaskInfo& task) const override {
    check_task(task);
    return std::make_shared<Nb101Network>(parse_spec(arch), task.num_classes, task.channels);
  }
  Complexity complexity(const std::string& arch, const TaskInfo& task) const override {
    check_task(task);
    const Spec spec = parse_spec(arch);
    Complexity total;
    int h = task.height, w = task.width;
    auto add_conv_bn = [&](int cin, int cout, int kernel) {
      total.params += static_cast<std::int64_t>(cin) * cout * kernel * kernel + 2 * cout;
      total.flops += ops::conv_flops(cin, cout, kernel, h, w);
    };
    add_conv_bn(task.channels, kStemChannels, 3);
    int channels = kStemChannels;
    for (int stack = 0; stack < kStacks; ++stack) {
      int in = channels;
      if (stack > 0) {
        channels *= 2;
        h /= 2;
        w /= 2;
      }
      for (int m = 0; m < kModulesPerStack; ++m) {
        const std::vector<int> vc = vertex_channels(in, channels, spec);
        const int out = spec.output();
        for (int t = 1; t < out; ++t) {
          if (spec.edge(0, t)) add_conv_bn(in, vc[t], 1);
          if (spec.ops[t] == Nb101Op::kConv3x3) add_conv_bn(vc[t], vc[t], 3);
          if (spec.ops[t] == Nb101Op::kConv1x1) add_conv_bn(vc[t], vc[t], 1);
        }
        if (spec.edge(0, out)) add_conv_bn(in, channels, 1);
        in = channels;
      }
    }
    total.params += static_cast<std::int64_t>(channels) * task.num_classes + task.num_classes;
    total.flops += static_cast<std::int64_t>(channels) * task.num_classes + task.num_classes;
    return total;
  }
};

}  // namespace

std::unique_ptr<SearchSpace> make_nb101_space() { return std::make_unique<Nb101Space>(); }

}  // namespace zcb
