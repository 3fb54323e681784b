// NATS-Bench size search space (SSS): 32,768 channel configurations of one fixed cell.
//
// Paper: X. Dong, L. Liu, K. Musial, B. Gabrys, "NATS-Bench: Benchmarking NAS Algorithms for
// Architecture Topology and Size", TPAMI 2021.
// Reference code: D-X-Y/AutoDL-Projects (xautodl) `models/shape_infers/InferTinyCellNet.py`
// (DynamicShapeTinyNet, the SSS network), `models/cell_infers/cells.py` (InferCell with
// C_in != C_out), `models/cell_operations.py` (OPS, ReLUConvBN, ResNetBasicblock,
// FactorizedReduce); D-X-Y/NATS-Bench `nats_bench/api_size.py` (the `meta_archs` order) and the
// official `NATS-sss-v1_0-50262-simple` files (arch_config: name 'infer.shape.tiny',
// channels = the arch string, genotype below).
//
// Architecture string: "C1:C2:C3:C4:C5", each Ci in {8, 16, ..., 64}. Official index =
// mixed radix over the five positions (Ci / 8 - 1 is the digit), the last position fastest:
// index 0 = 8:8:8:8:8, 11 = 8:8:8:16:32, 284 = 8:8:40:32:40, 32767 = 64:64:64:64:64 (checked
// against all 32,768 `meta_archs` of the official meta file).
//
// Network (DynamicShapeTinyNet with 5 channels, so N = 1 cell per stage): stem Conv3x3
// (3 -> C1, no bias) + BN; InferCell(C1 -> C1); ResNetBasicblock(C1 -> C2, stride 2);
// InferCell(C2 -> C3); ResNetBasicblock(C3 -> C4, stride 2); InferCell(C4 -> C5); BN + ReLU;
// global average pooling; Linear(C5 -> classes). The cell is always NB201's
// |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|
// with edges leaving node 0 mapping C_in -> C_out and all others C_out -> C_out; skip_connect
// from node 0 is the identity when C_in == C_out and otherwise xautodl's stride-1
// FactorizedReduce (Conv1x1 without bias + BN, no ReLU). nor_conv_3x3 is ReLU-Conv-BN. Modules
// are constructed in xautodl's order, so PyTorch's default initialisation (xautodl does not
// re-initialise) consumes the RNG as the reference does. Every cell and residual block
// reports to on_cell_output. No op is 'none' and every edge reaches the output, so
// skip_dead_paths has nothing to skip.
//
// complexity(): params and FLOPs as the official `params` / `flop` (xautodl get_model_infos):
// multiply-accumulates of every Conv2d and Linear (plus the linear bias), batch 1; pools, BN
// and ReLU not counted. Verified exactly against archs 0, 11 and 284 of the official sample
// files on cifar10, cifar100 and ImageNet16-120. No deviation from the reference is known.
#include "nats_sss.hpp"

#include <array>

#include "ops/ops.hpp"
#include "zcb/error.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

constexpr int kPositions = 5;
constexpr int kChoices = 8;
constexpr int kChannelStep = 8;

using Channels = std::array<int, kPositions>;

Channels parse_channels(const std::string& arch) {
  const std::string bad = "nats_sss: '" + arch +
                          "' is not a size architecture 'C1:C2:C3:C4:C5' with every Ci one of "
                          "8, 16, 24, 32, 40, 48, 56, 64";
  Channels channels{};
  std::size_t position = 0, start = 0;
  while (true) {
    const auto colon = arch.find(':', start);
    const std::string field =
        arch.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    // Digits only, no sign or leading zero, at most two of them: then stoi cannot fail.
    if (position >= channels.size() || field.empty() || field.size() > 2 || field[0] == '0' ||
        field.find_first_not_of("0123456789") != std::string::npos) {
      throw Error(bad);
    }
    const int value = std::stoi(field);
    if (value % kChannelStep != 0 || value > kChoices * kChannelStep) throw Error(bad);
    channels[position++] = value;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (position != channels.size()) throw Error(bad);
  return channels;
}

std::string format_channels(const Channels& channels) {
  std::string out;
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (i > 0) out += ':';
    out += std::to_string(channels[i]);
  }
  return out;
}

/// xautodl FactorizedReduce with stride 1: Conv1x1 (no bias) -> BN, no ReLU.
class ChannelProjectionImpl : public torch::nn::Module {
 public:
  ChannelProjectionImpl(int in_channels, int out_channels,
                        const std::shared_ptr<NetworkHooks>& hooks)
      : conv_(register_module(
            "conv",
            ops::TappedConv2d(ops::conv_options(in_channels, out_channels, 1, 1, 0), hooks))),
        norm_(register_module("bn", ops::TappedBatchNorm2d(out_channels, hooks))) {}
  torch::Tensor forward(const torch::Tensor& input) {
    return norm_->forward(conv_->forward(input));
  }

 private:
  ops::TappedConv2d conv_;
  ops::TappedBatchNorm2d norm_;
};
TORCH_MODULE(ChannelProjection);

/// InferCell with the fixed SSS genotype. Edges in xautodl order: (0->1), (0->2), (1->2),
/// (0->3) skip, (1->3), (2->3).
class CellImpl : public torch::nn::Module {
 public:
  CellImpl(int in_channels, int out_channels, const std::shared_ptr<NetworkHooks>& hooks) {
    auto conv = [&](const char* name, int cin) {
      return register_module(name, ops::ReluConvBn(cin, out_channels, 3, 1, 1, hooks));
    };
    edge_0_1_ = conv("edge0", in_channels);
    edge_0_2_ = conv("edge1", in_channels);
    edge_1_2_ = conv("edge2", out_channels);
    if (in_channels != out_channels) {
      skip_0_3_ = register_module("edge3", ChannelProjection(in_channels, out_channels, hooks));
    }
    edge_1_3_ = conv("edge4", out_channels);
    edge_2_3_ = conv("edge5", out_channels);
  }
  torch::Tensor forward(const torch::Tensor& input) {
    const torch::Tensor node1 = edge_0_1_->forward(input);
    const torch::Tensor node2 = edge_0_2_->forward(input) + edge_1_2_->forward(node1);
    const torch::Tensor skip = skip_0_3_ ? skip_0_3_->forward(input) : input;
    return skip + edge_1_3_->forward(node1) + edge_2_3_->forward(node2);
  }

 private:
  ops::ReluConvBn edge_0_1_{nullptr}, edge_0_2_{nullptr}, edge_1_2_{nullptr};
  ChannelProjection skip_0_3_{nullptr};
  ops::ReluConvBn edge_1_3_{nullptr}, edge_2_3_{nullptr};
};
TORCH_MODULE(Cell);

/// xautodl ResNetBasicblock with stride 2.
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
  torch::Tensor forward(const torch::Tensor& input) {
    const torch::Tensor block = conv_b_->forward(conv_a_->forward(input));
    return shortcut_->forward(pool_->forward(input)) + block;
  }

 private:
  ops::ReluConvBn conv_a_, conv_b_;
  torch::nn::AvgPool2d pool_;
  ops::TappedConv2d shortcut_;
};
TORCH_MODULE(ReductionBlock);

class NatsSssNetwork : public Network {
 public:
  NatsSssNetwork(const Channels& channels, int num_classes, int in_channels) {
    const auto& hooks = shared_hooks();
    stem_conv_ = register_module(
        "stem_conv",
        ops::TappedConv2d(ops::conv_options(in_channels, channels[0], 3, 1, 1), hooks));
    stem_norm_ = register_module("stem_bn", ops::TappedBatchNorm2d(channels[0], hooks));
    cells_ = register_module("cells", torch::nn::Sequential());
    int previous = channels[0];
    for (int layer = 0; layer < kPositions; ++layer) {
      if (layer % 2 == 1) {
        cells_->push_back(ReductionBlock(previous, channels[layer], hooks));
      } else {
        cells_->push_back(Cell(previous, channels[layer], hooks));
      }
      previous = channels[layer];
    }
    last_norm_ = register_module("lastact_bn", ops::TappedBatchNorm2d(previous, hooks));
    last_relu_ = register_module("lastact_relu", ops::TappedReLU(hooks));
    classifier_ = register_module(
        "classifier", ops::TappedLinear(torch::nn::LinearOptions(previous, num_classes), hooks));
  }

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

void check_task(const TaskInfo& task) {
  ops::check_task_shape(task, "nats_sss", 4, "two stride-2 blocks");
}

class NatsSssSpace : public SearchSpace {
 public:
  std::string name() const override { return "nats_sss"; }
  std::string benchmark() const override { return "nats-sss"; }
  std::string canonical(const std::string& arch) const override {
    return format_channels(parse_channels(arch));
  }
  std::shared_ptr<Network> build(const std::string& arch, const TaskInfo& task) const override {
    check_task(task);
    return std::make_shared<NatsSssNetwork>(parse_channels(arch), task.num_classes, task.channels);
  }
  Complexity complexity(const std::string& arch, const TaskInfo& task) const override {
    check_task(task);
    const Channels channels = parse_channels(arch);
    Complexity total;
    int h = task.height, w = task.width;
    auto add_conv = [&](int cin, int cout, int kernel, bool norm) {
      total.params +=
          static_cast<std::int64_t>(cin) * cout * kernel * kernel + (norm ? 2 * cout : 0);
      total.flops += ops::conv_flops(cin, cout, kernel, h, w);
    };
    add_conv(task.channels, channels[0], 3, true);
    int previous = channels[0];
    for (int layer = 0; layer < kPositions; ++layer) {
      const int c = channels[layer];
      if (layer % 2 == 1) {
        h /= 2;
        w /= 2;
        add_conv(previous, c, 3, true);   // conv_a, stride 2
        add_conv(c, c, 3, true);          // conv_b
        add_conv(previous, c, 1, false);  // shortcut
      } else {
        add_conv(previous, c, 3, true);                     // 0 -> 1
        add_conv(previous, c, 3, true);                     // 0 -> 2
        add_conv(c, c, 3, true);                            // 1 -> 2
        if (previous != c) add_conv(previous, c, 1, true);  // 0 -> 3 skip (FactorizedReduce)
        add_conv(c, c, 3, true);                            // 1 -> 3
        add_conv(c, c, 3, true);                            // 2 -> 3
      }
      previous = c;
    }
    total.params += 2 * previous;  // last batch norm
    total.params += static_cast<std::int64_t>(previous) * task.num_classes + task.num_classes;
    total.flops += static_cast<std::int64_t>(previous) * task.num_classes + task.num_classes;
    return total;
  }
};

}  // namespace

std::string nats_sss_arch_string(std::int64_t index) {
  if (index < 0 || index >= kNatsSssSize) {
    throw Error("nats_sss: index " + std::to_string(index) + " is outside 0.." +
                std::to_string(kNatsSssSize - 1));
  }
  Channels channels{};
  for (int position = kPositions - 1; position >= 0; --position) {
    channels[position] = static_cast<int>(index % kChoices + 1) * kChannelStep;
    index /= kChoices;
  }
  return format_channels(channels);
}

std::int64_t nats_sss_index(const std::string& arch) {
  std::int64_t index = 0;
  for (int value : parse_channels(arch)) index = index * kChoices + (value / kChannelStep - 1);
  return index;
}

std::unique_ptr<SearchSpace> make_nats_sss_space() { return std::make_unique<NatsSssSpace>(); }

}  // namespace zcb
