// NAS-Bench-201 / NATS-Bench topology search space (TSS).
//
// Paper: X. Dong and Y. Yang, "NAS-Bench-201: Extending the Scope of Reproducible Neural
// Architecture Search", ICLR 2020; NATS-Bench, TPAMI 2021 (same 15,625 architectures).
// Reference code: D-X-Y/AutoDL-Projects (xautodl) `models/cell_infers/tiny_network.py`
// (TinyNetwork), `cells.py` (InferCell), `cell_operations.py` (OPS, ReLUConvBN, ResNetBasicblock,
// POOLING, Zero), `utils/flop_benchmark.py` (get_model_infos, for FLOPs).
//
// Network: stem Conv3x3(3->16, no bias) + BN; three stages of N=5 cells at C = 16, 32, 64; a
// ResNet basic block (stride 2: ReLUConvBN 3x3 s2, ReLUConvBN 3x3, shortcut AvgPool2x2 +
// Conv1x1) between stages; BN + ReLU, global average pooling, Linear(64 -> classes).
// Cell: nodes 1..3, node j = sum over i<j of op_ij(node i); output node 3. Ops: none (x*0,
// kept in the graph as xautodl does), skip_connect, nor_conv_1x1/3x3 (ReLU-Conv-BN),
// avg_pool_3x3 (stride 1, pad 1, count_include_pad=false).
// Modules are constructed in xautodl's order, so the default initialisation consumes the
// torch RNG in the same order as the reference.
// FLOPs follow the official table's `flop` (xautodl get_model_infos as NB201 used it):
// multiply-accumulates of every Conv2d and Linear (plus the linear bias), batch 1; pools,
// batch norms, ReLUs and the 'none' multiplications are not counted. Verified exactly
// against the official values of NATS-Bench archs 0, 11 and 284 on all three datasets.
#include <array>
#include <sstream>

#include "ops/ops.hpp"
#include "zcb/error.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

constexpr int kStemChannels = 16;
constexpr int kCellsPerStage = 5;
constexpr int kStages = 3;

enum class Nb201Op { kNone, kSkip, kConv1x1, kConv3x3, kAvgPool3x3 };
constexpr std::array<const char*, 5> kOpNames = {"none", "skip_connect", "nor_conv_1x1",
                                                 "nor_conv_3x3", "avg_pool_3x3"};

/// ops[k] is the op of edge k in string order: (0->1), (0->2), (1->2), (0->3), (1->3), (2->3).
using Genotype = std::array<Nb201Op, 6>;
constexpr std::array<std::pair<int, int>, 6> kEdges = {
    {{0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}}};

Nb201Op parse_op(const std::string& name, const std::string& arch) {
  for (std::size_t i = 0; i < kOpNames.size(); ++i) {
    if (name == kOpNames[i]) return static_cast<Nb201Op>(i);
  }
  throw Error("nb201: unknown operation '" + name + "' in '" + arch +
              "' (known: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3)");
}

Genotype parse_genotype(const std::string& arch) {
  // Format: |op~0|+|op~0|op~1|+|op~0|op~1|op~2|
  const std::string bad = "nb201: '" + arch + "' is not an architecture string of the form " +
                          "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|";
  Genotype genotype{};
  std::size_t edge = 0;
  std::stringstream nodes(arch);
  std::string node;
  int node_index = 0;
  while (std::getline(nodes, node, '+')) {
    ++node_index;
    if (node_index > 3 || node.size() < 2 || node.front() != '|' || node.back() != '|') {
      throw Error(bad);
    }
    std::stringstream edges(node.substr(1, node.size() - 2));
    std::string token;
    int input = 0;
    while (std::getline(edges, token, '|')) {
      const auto tilde = token.find('~');
      if (tilde == std::string::npos || edge >= kEdges.size()) throw Error(bad);
      if (token.substr(tilde + 1) != std::to_string(input)) {
        throw Error(bad + " (edge '" + token + "' of node " + std::to_string(node_index) +
                    " must read from node " + std::to_string(input) + ")");
      }
      genotype[edge++] = parse_op(token.substr(0, tilde), arch);
      ++input;
    }
    if (input != node_index) throw Error(bad);
  }
  if (node_index != 3 || edge != kEdges.size()) throw Error(bad);
  return genotype;
}

std::string format_genotype(const Genotype& genotype) {
  std::string out;
  for (std::size_t edge = 0; edge < kEdges.size(); ++edge) {
    const auto [from, to] = kEdges[edge];
    if (from == 0) out += to == 1 ? "|" : "+|";
    out +=
        std::string(kOpNames[static_cast<int>(genotype[edge])]) + "~" + std::to_string(from) + "|";
  }
  return out;
}

/// One edge of a cell.
class EdgeImpl : public torch::nn::Module {
 public:
  EdgeImpl(Nb201Op op, int channels, const std::shared_ptr<NetworkHooks>& hooks) : op_(op) {
    if (op == Nb201Op::kConv3x3) {
      conv_ = register_module("op", ops::ReluConvBn(channels, channels, 3, 1, 1, hooks));
    } else if (op == Nb201Op::kConv1x1) {
      conv_ = register_module("op", ops::ReluConvBn(channels, channels, 1, 1, 0, hooks));
    } else if (op == Nb201Op::kAvgPool3x3) {
      pool_ = register_module(
          "op", torch::nn::AvgPool2d(
                    torch::nn::AvgPool2dOptions(3).stride(1).padding(1).count_include_pad(false)));
    }
  }
  bool is_zero() const { return op_ == Nb201Op::kNone; }
  torch::Tensor forward(const torch::Tensor& input) {
    switch (op_) {
      case Nb201Op::kConv1x1:
      case Nb201Op::kConv3x3:
        return conv_->forward(input);
      case Nb201Op::kAvgPool3x3:
        return pool_->forward(input);
      case Nb201Op::kSkip:
        return input;
      case Nb201Op::kNone:
        break;
    }
    return input.mul(0.);  // xautodl Zero: keeps the graph (and its cost) as the reference
  }

 private:
  Nb201Op op_;
  ops::ReluConvBn conv_{nullptr};
  torch::nn::AvgPool2d pool_{nullptr};
};
TORCH_MODULE(Edge);

class CellImpl : public torch::nn::Module {
 public:
  CellImpl(const Genotype& genotype, int channels, const std::shared_ptr<NetworkHooks>& hooks)
      : hooks_(hooks) {
    for (std::size_t i = 0; i < kEdges.size(); ++i) {
      edges_.push_back(
          register_module("edge" + std::to_string(i), Edge(genotype[i], channels, hooks)));
    }
    // A node is live when a chain of non-'none' edges leads from it to the output node 3.
    live_[3] = true;
    for (int node = 2; node >= 1; --node) {
      for (std::size_t i = 0; i < kEdges.size(); ++i) {
        const auto [from, to] = kEdges[i];
        if (from == node && genotype[i] != Nb201Op::kNone && live_[to]) live_[node] = true;
      }
    }
  }

  // With skip_dead_paths, 'none' edges are not computed (x * 0 adds exact zeros, so sums are
  // unchanged while activations are finite), and, when no tap watches, neither are edges into a
  // node whose value never reaches the output. A node that receives nothing is x * 0 as in the
  // reference. Edges are in topological order, so every input is complete before it is read.
  torch::Tensor forward(torch::Tensor input) {
    const bool skip = hooks_->skip_dead_paths;
    const bool keep_unused = hooks_->observes_activations();
    std::array<torch::Tensor, 4> nodes{input};
    for (std::size_t i = 0; i < kEdges.size(); ++i) {
      const auto [from, to] = kEdges[i];
      if (skip && (edges_[i]->is_zero() || (!keep_unused && !live_[to]))) continue;
      if (!nodes[from].defined()) nodes[from] = input.mul(0.);
      torch::Tensor out = edges_[i]->forward(nodes[from]);
      nodes[to] = nodes[to].defined() ? nodes[to] + out : out;
    }
    if (!nodes[3].defined()) nodes[3] = input.mul(0.);
    return nodes[3];
  }

 private:
  std::shared_ptr<NetworkHooks> hooks_;
  std::vector<Edge> edges_;
  std::array<bool, 4> live_{};
};
TORCH_MODULE(Cell);

/// xautodl ResNetBasicblock with stride 2 (the reduction between stages).
class ReductionBlockImpl : public torch::nn::Module {
 public:
  ReductionBlockImpl(int in_channels, int out_channels, const std::shared_ptr<NetworkHooks>& hooks)
      : conv_a_(
            register_module("conv_a", ops::ReluConvBn(in_channels, out_channels, 3, 2, 1, hooks))),
        conv_b_(
            register_module("conv_b", ops::ReluConvBn(out_channels, out_channels, 3, 1, 1, hooks))),
        pool_(register_module("downsample_pool",
                              torch::nn::AvgPool2d(torch::nn::AvgPool2dOptions(2).stride(2)))),
        shortcut_(register_module(
            "downsample_conv",
            ops::TappedConv2d(ops::conv_options(in_channels, out_channels, 1, 1, 0), hooks))) {}
  torch::Tensor forward(torch::Tensor input) {
    torch::Tensor residual = shortcut_->forward(pool_->forward(input));
    return residual + conv_b_->forward(conv_a_->forward(input));
  }

 private:
  ops::ReluConvBn conv_a_, conv_b_;
  torch::nn::AvgPool2d pool_;
  ops::TappedConv2d shortcut_;
};
TORCH_MODULE(ReductionBlock);

class Nb201Network : public Network {
 public:
  Nb201Network(const Genotype& genotype, int num_classes, int in_channels) {
    const auto& hooks = shared_hooks();
    stem_conv_ = register_module(
        "stem_conv",
        ops::TappedConv2d(ops::conv_options(in_channels, kStemChannels, 3, 1, 1), hooks));
    stem_norm_ = register_module("stem_bn", ops::TappedBatchNorm2d(kStemChannels, hooks));
    cells_ = register_module("cells", torch::nn::Sequential());
    int channels = kStemChannels;
    for (int stage = 0; stage < kStages; ++stage) {
      if (stage > 0) {
        cells_->push_back(ReductionBlock(channels, channels * 2, hooks));
        channels *= 2;
      }
      for (int i = 0; i < kCellsPerStage; ++i) cells_->push_back(Cell(genotype, channels, hooks));
    }
    last_norm_ = register_module("lastact_bn", ops::TappedBatchNorm2d(channels, hooks));
    last_relu_ = register_module("lastact_relu", ops::TappedReLU(hooks));
    classifier_ = register_module(
        "classifier", ops::TappedLinear(torch::nn::LinearOptions(channels, num_classes), hooks));
  }

  // xautodl's forward up to `out = self.lastact(feature)`; head() is its global pooling and
  // classifier. Every cell and reduction block reports its output to on_cell_output.
  torch::Tensor forward_features(torch::Tensor input) override {
    torch::Tensor x = stem_norm_->forward(stem_conv_->forward(input));
    for (auto& cell : *cells_) {
      x = cell.forward(x);
      if (hooks().on_cell_output) hooks().on_cell_output(x);
    }
    return last_relu_->forward(last_norm_->forward(x));
  }
  torch::Tensor head(torch::Tensor features) override {
    return classifier_->forward(torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1));
  }

 private:
  ops::TappedConv2d stem_conv_{nullptr};
  ops::TappedBatchNorm2d stem_norm_{nullptr};
  torch::nn::Sequential cells_{nullptr};
  ops::TappedBatchNorm2d last_norm_{nullptr};
  ops::TappedReLU last_relu_{nullptr};
  ops::TappedLinear classifier_{nullptr};
};

/// TE-NAS's thin network (prune_tenas.py `model_config_thin` for nas-bench-201: C=1, N=1,
/// depth=1, use_stem=False): the first cell only, at one channel, on the raw one-channel input,
/// then lastact (BN + ReLU), global pooling and the classifier. TE-NAS builds it as its
/// supernet with one-hot weights; see proxies/tenas_lr.cpp for what that changes.
class Nb201ThinNetwork : public Network {
 public:
  Nb201ThinNetwork(const Genotype& genotype, int num_classes) {
    const auto& hooks = shared_hooks();
    cell_ = register_module("cell", Cell(genotype, kThinChannels, hooks));
    last_norm_ = register_module("lastact_bn", ops::TappedBatchNorm2d(kThinChannels, hooks));
    last_relu_ = register_module("lastact_relu", ops::TappedReLU(hooks));
    classifier_ = register_module(
        "classifier",
        ops::TappedLinear(torch::nn::LinearOptions(kThinChannels, num_classes), hooks));
  }
  torch::Tensor forward_features(torch::Tensor input) override {
    torch::Tensor x = cell_->forward(input);
    if (hooks().on_cell_output) hooks().on_cell_output(x);
    return last_relu_->forward(last_norm_->forward(x));
  }
  torch::Tensor head(torch::Tensor features) override {
    return classifier_->forward(torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1));
  }

  static constexpr int kThinChannels = 1;

 private:
  Cell cell_{nullptr};
  ops::TappedBatchNorm2d last_norm_{nullptr};
  ops::TappedReLU last_relu_{nullptr};
  ops::TappedLinear classifier_{nullptr};
};

void check_task(const TaskInfo& task) {
  ops::check_task_shape(task, "nb201", 4, "two stride-2 stages");
}

class Nb201Space : public SearchSpace {
 public:
  std::string name() const override { return "nb201"; }
  std::string benchmark() const override { return "nb201"; }
  std::string canonical(const std::string& arch) const override {
    return format_genotype(parse_genotype(arch));
  }
  std::shared_ptr<Network> build(const std::string& arch, const TaskInfo& task) const override {
    check_task(task);
    return std::make_shared<Nb201Network>(parse_genotype(arch), task.num_classes, task.channels);
  }
  std::shared_ptr<Network> build_variant(const std::string& arch, const TaskInfo& task,
                                         NetworkVariant variant) const override {
    if (variant == NetworkVariant::kTenasThin) {
      check_task(task);
      return std::make_shared<Nb201ThinNetwork>(parse_genotype(arch), task.num_classes);
    }
    return SearchSpace::build_variant(arch, task, variant);
  }
  Complexity complexity(const std::string& arch, const TaskInfo& task) const override {
    check_task(task);
    const Genotype genotype = parse_genotype(arch);
    Complexity total;
    int h = task.height, w = task.width, channels = kStemChannels;
    auto add_conv = [&](int cin, int cout, int kernel, int out_h, int out_w, bool norm) {
      total.params +=
          static_cast<std::int64_t>(cin) * cout * kernel * kernel + (norm ? 2 * cout : 0);
      total.flops += ops::conv_flops(cin, cout, kernel, out_h, out_w);
    };
    add_conv(task.channels, kStemChannels, 3, h, w, true);
    for (int stage = 0; stage < kStages; ++stage) {
      if (stage > 0) {
        const int out = channels * 2;
        h /= 2;
        w /= 2;
        add_conv(channels, out, 3, h, w, true);   // conv_a, stride 2
        add_conv(out, out, 3, h, w, true);        // conv_b
        add_conv(channels, out, 1, h, w, false);  // shortcut 1x1
        channels = out;
      }
      for (int cell = 0; cell < kCellsPerStage; ++cell) {
        for (Nb201Op op : genotype) {
          if (op == Nb201Op::kConv3x3) add_conv(channels, channels, 3, h, w, true);
          if (op == Nb201Op::kConv1x1) add_conv(channels, channels, 1, h, w, true);
        }
      }
    }
    total.params += 2 * channels;  // last batch norm
    total.params += static_cast<std::int64_t>(channels) * task.num_classes + task.num_classes;
    total.flops += static_cast<std::int64_t>(channels) * task.num_classes + task.num_classes;
    return total;
  }
};

}  // namespace

std::unique_ptr<SearchSpace> make_nb201_space() { return std::make_unique<Nb201Space>(); }

}  // namespace zcb
