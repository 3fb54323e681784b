// TransNAS-Bench-101 network shared by spaces/transnas_micro.cpp and transnas_macro.cpp.
//
// Paper: Y. Duan et al., "TransNAS-Bench-101: Improving Transferability and Generalizability of
// Cross-Task Neural Architecture Search", CVPR 2021.
// Reference code followed: yawen-d/TransNASBench `lib/models/net_infer/net_macro.py` (MacroNet
// with structure='backbone', its _kaiming_init), `net_infer/cell_micro.py` (MicroCell,
// ResNetBasicblock), `net_ops/cell_ops.py` (OPS, ReLUConvBN, Zero, FactorizedReduce, ConvLayer,
// DeconvLayer), `task_models/decoder.py` (FFDecoder, SiameseDecoder, SegmentationDecoder,
// GenerativeDecoder), `task_models/siamese.py` (SiameseNet) and the task configs
// (`configs/train_from_scratch/<task>/config.py`). NASLib's `search_spaces/transbench101/tnb101/`
// (model_builder.create_model, used for Suite-Zero's proxy numbers) builds exactly these
// models; its recorded `params` match ours on every task (tests/spaces/transnas_test.cpp).
//
// Network: stem Conv3x3 s2 (C/2, no bias) + BN, ReLUConvBN 3x3 s2 (C/2 -> C); one layer of two
// blocks per macro digit (the first block carries the stride / channel change); then the head.
// Encoder weights: PyTorch default init, then kaiming_normal_(fan_out, relu) over every encoder
// Conv2d in module order (as MacroNet does before the decoder exists), so the RNG is consumed
// in the reference's order. Heads (created after the encoder, default init):
// - class_scene, class_object, room_layout: FFDecoder, global average pool + Linear(C, classes)
//   (room_layout: 9 regression outputs, the reference trains it with MSE).
// - jigsaw: SiameseNet, the encoder runs on each of the 9 tiles, the feature maps are concatenated
//   along channels, then pool + Linear(9C, classes). TaskInfo describes one tile (channels 3,
//   64x64 in the benchmark, as the table has it); the network input is (N, 9 x 3, h, w), tile k
//   in channels 3k..3k+2 (the reference's (N, 9, 3, h, w) flattened).
// - segmentsemantic: SegmentationDecoder, per-pixel logits (N, classes, H, W).
// - normal, autoencoder: GenerativeDecoder, tanh image (N, 3, H, W) for the L1 loss; the GAN's
//   discriminator is a training device outside the network and is not built (NASLib's
//   recorded params do not count it either).
// Deviations: none in structure. LeakyReLUs report to on_relu_input like ReLUs (NASLib's
// activation hooks match every type name containing "ReLU"); ConvTranspose2d layers report to
// on_layer_output but are not in Network::layer_weights() (not nn.Conv2d in PyTorch either).
// For jigsaw every encoder tap fires once per tile.
#include "transnas_common.hpp"

#include <torch/nn/init.h>

#include <cmath>
#include <vector>

#include "ops/ops.hpp"
#include "zcb/error.hpp"

namespace zcb::transnas {
namespace {

constexpr double kLeakySlope = 0.2;
constexpr int kJigsawTiles = 9;
constexpr int kBlocksPerLayer = 2;

enum class TaskKind { kClassification, kJigsaw, kSegmentation, kGenerative };

TaskKind task_kind(const TaskInfo& task, const std::string& space) {
  const std::string& name = task.name;
  if (name == "class_scene" || name == "class_object" || name == "room_layout") {
    return TaskKind::kClassification;
  }
  if (name == "jigsaw") return TaskKind::kJigsaw;
  if (name == "segmentsemantic") return TaskKind::kSegmentation;
  if (name == "normal" || name == "autoencoder") return TaskKind::kGenerative;
  throw Error(space + ": unknown task '" + name +
              "' (known: class_scene, class_object, jigsaw, room_layout, segmentsemantic, normal, "
              "autoencoder)");
}

int stride_of(char digit) { return digit == '3' || digit == '4' ? 2 : 1; }
bool doubles_channels(char digit) { return digit == '2' || digit == '4'; }

/// The checked task geometry: input channels per image (tile), side, encoder output side and
/// channels, head width.
struct Geometry {
  TaskKind kind;
  int image_channels;
  int side;
  int feature_side;
  int feature_channels;
  int outputs;
  int upsamples;  // dense decoders: log2(side / feature_side)
};

Geometry check_task(const EncoderCode& code, const TaskInfo& task, const std::string& space) {
  Geometry g{};
  g.kind = task_kind(task, space);
  const std::string where = space + ": task '" + task.name + "' ";
  if (task.height <= 0 || task.width <= 0 || task.height != task.width) {
    throw Error(where + "needs a square input, got " + std::to_string(task.height) + "x" +
                std::to_string(task.width) + " (the benchmark uses 256x256, jigsaw 64x64 tiles)");
  }
  g.side = task.height;
  g.image_channels = task.channels;
  if (task.channels <= 0) throw Error(where + "has no input channels");
  int divisor = 4, channels = code.base_channels;
  for (char digit : code.macro) {
    divisor *= stride_of(digit);
    if (doubles_channels(digit)) channels *= 2;
  }
  if (g.side % divisor != 0) {
    throw Error(where + "input side " + std::to_string(g.side) + " is not divisible by " +
                std::to_string(divisor) + ", the encoder's total stride");
  }
  g.feature_side = g.side / divisor;
  g.feature_channels = channels;
  if (g.kind == TaskKind::kGenerative) {
    if (task.num_classes != 0 && task.num_classes != 3) {
      throw Error(where + "outputs a 3-channel image; the table gives " +
                  std::to_string(task.num_classes) + " classes (use 0 or 3)");
    }
    g.outputs = 3;
  } else {
    if (task.num_classes <= 0) throw Error(where + "has no class/output count");
    g.outputs = task.num_classes;
  }
  if (g.kind == TaskKind::kSegmentation || g.kind == TaskKind::kGenerative) {
    // Both decoders double the side num_upsample times, num_upsample in [2, 6] (reference assert).
    g.upsamples = -1;
    for (int up = 2; up <= 6; ++up) {
      if (g.feature_side << up == g.side) g.upsamples = up;
    }
    if (g.upsamples < 0) {
      throw Error(where + "decoder must upsample the " + std::to_string(g.feature_side) +
                  "-pixel feature map to " + std::to_string(g.side) +
                  " pixels by a power of two between 4 and 64");
    }
  }
  return g;
}

using Hooks = std::shared_ptr<NetworkHooks>;

/// TransNAS Zero: x * 0 when shape is kept, otherwise fresh zeros of the output shape.
torch::Tensor zero_output(const torch::Tensor& x, int in_channels, int out_channels, int stride) {
  if (in_channels == out_channels) {
    using torch::indexing::None;
    using torch::indexing::Slice;
    if (stride == 1) return x.mul(0.);
    return x.index({Slice(), Slice(), Slice(None, None, stride), Slice(None, None, stride)})
        .mul(0.);
  }
  return x.new_zeros({x.size(0), out_channels, (x.size(2) + 1) / stride, (x.size(3) + 1) / stride});
}

/// cell_ops.py FactorizedReduce: ReLU, two 1x1 stride-s convs (the second on the input shifted
/// by one pixel), concatenated, BN.
class FactorizedReduceImpl : public torch::nn::Module {
 public:
  FactorizedReduceImpl(int in_channels, int out_channels, int stride, const Hooks& hooks)
      : relu_(register_module("relu", ops::TappedReLU(hooks))) {
    const int half = out_channels / 2;
    convs_[0] = register_module(
        "conv0", ops::TappedConv2d(ops::conv_options(in_channels, half, 1, stride, 0), hooks));
    convs_[1] = register_module(
        "conv1", ops::TappedConv2d(
                     ops::conv_options(in_channels, out_channels - half, 1, stride, 0), hooks));
    norm_ = register_module("bn", ops::TappedBatchNorm2d(out_channels, hooks));
  }
  torch::Tensor forward(const torch::Tensor& input) {
    using torch::indexing::None;
    using torch::indexing::Slice;
    const torch::Tensor x = relu_->forward(input);
    const torch::Tensor shifted = torch::constant_pad_nd(x, {0, 1, 0, 1}, 0)
                                      .index({Slice(), Slice(), Slice(1, None), Slice(1, None)});
    return norm_->forward(torch::cat({convs_[0]->forward(x), convs_[1]->forward(shifted)}, 1));
  }

 private:
  ops::TappedReLU relu_{nullptr};
  std::array<ops::TappedConv2d, 2> convs_{{ops::TappedConv2d{nullptr}, ops::TappedConv2d{nullptr}}};
  ops::TappedBatchNorm2d norm_{nullptr};
};
TORCH_MODULE(FactorizedReduce);

/// One micro-cell edge: cell_ops.py OPS['0'..'3'].
class MicroEdgeImpl : public torch::nn::Module {
 public:
  MicroEdgeImpl(int op, int in_channels, int out_channels, int stride, const Hooks& hooks)
      : op_(op), in_channels_(in_channels), out_channels_(out_channels), stride_(stride) {
    if (op == 1 && (stride != 1 || in_channels != out_channels)) {
      reduce_ = register_module("op", FactorizedReduce(in_channels, out_channels, stride, hooks));
    } else if (op == 2) {
      conv_ =
          register_module("op", ops::ReluConvBn(in_channels, out_channels, 1, stride, 0, hooks));
    } else if (op == 3) {
      conv_ =
          register_module("op", ops::ReluConvBn(in_channels, out_channels, 3, stride, 1, hooks));
    }
  }
  bool is_zero() const { return op_ == 0; }
  torch::Tensor forward(const torch::Tensor& input) {
    if (conv_) return conv_->forward(input);
    if (reduce_) return reduce_->forward(input);
    if (op_ == 1) return input;
    return zero_output(input, in_channels_, out_channels_, stride_);
  }

 private:
  int op_, in_channels_, out_channels_, stride_;
  ops::ReluConvBn conv_{nullptr};
  FactorizedReduce reduce_{nullptr};
};
TORCH_MODULE(MicroEdge);

// Edge k of "a_bc_def" runs from kSources[k] to kTargets[k].
constexpr std::array<int, 6> kSources = {0, 0, 1, 0, 1, 2};
constexpr std::array<int, 6> kTargets = {1, 2, 2, 3, 3, 3};

/// cell_micro.py MicroCell: node j = sum of its incoming edges (torch.stack(...).sum(0)).
class MicroCellImpl : public torch::nn::Module {
 public:
  MicroCellImpl(const std::array<int, 6>& cell_ops, int in_channels, int out_channels, int stride,
                const Hooks& hooks)
      : hooks_(hooks), in_channels_(in_channels), out_channels_(out_channels), stride_(stride) {
    for (std::size_t k = 0; k < cell_ops.size(); ++k) {
      const bool from_input = kSources[k] == 0;
      edges_.push_back(
          register_module("edge" + std::to_string(k),
                          MicroEdge(cell_ops[k], from_input ? in_channels : out_channels,
                                    out_channels, from_input ? stride : 1, hooks)));
    }
    // A node is live when a chain of non-zero edges leads from it to the output node 3.
    live_[3] = true;
    for (int node = 2; node >= 1; --node) {
      for (std::size_t k = 0; k < kSources.size(); ++k) {
        if (kSources[k] == node && cell_ops[k] != 0 && live_[kTargets[k]]) live_[node] = true;
      }
    }
  }

  // With skip_dead_paths, zero edges are not computed (their exact zeros leave the sums
  // unchanged), nor, when no tap watches, edges into nodes that never reach the output. A node
  // that receives nothing is the reference's zero tensor of its shape.
  torch::Tensor forward(const torch::Tensor& input) {
    const bool skip = hooks_->skip_dead_paths;
    const bool keep_unused = hooks_->observes_activations();
    std::array<torch::Tensor, 4> nodes{input};
    for (int node = 1; node <= 3; ++node) {
      std::vector<torch::Tensor> parts;
      for (std::size_t k = 0; k < kSources.size(); ++k) {
        if (kTargets[k] != node) continue;
        if (skip && (edges_[k]->is_zero() || (!keep_unused && !live_[node]))) continue;
        parts.push_back(edges_[k]->forward(nodes[kSources[k]]));
      }
      nodes[node] = parts.empty() ? zero_output(input, in_channels_, out_channels_, stride_)
                                  : torch::stack(parts).sum(0);
    }
    return nodes[3];
  }

 private:
  Hooks hooks_;
  int in_channels_, out_channels_, stride_;
  std::vector<MicroEdge> edges_;
  std::array<bool, 4> live_{};
};
TORCH_MODULE(MicroCell);

/// cell_micro.py ResNetBasicblock: ReLUConvBN 3x3 (stride), ReLUConvBN 3x3, plus the input or
/// a Conv1x1 + BN shortcut when the shape changes.
class BasicBlockImpl : public torch::nn::Module {
 public:
  BasicBlockImpl(int in_channels, int out_channels, int stride, const Hooks& hooks)
      : conv_a_(register_module("conv_a",
                                ops::ReluConvBn(in_channels, out_channels, 3, stride, 1, hooks))),
        conv_b_(register_module("conv_b",
                                ops::ReluConvBn(out_channels, out_channels, 3, 1, 1, hooks))) {
    if (stride != 1 || in_channels != out_channels) {
      shortcut_conv_ = register_module(
          "downsample_conv",
          ops::TappedConv2d(ops::conv_options(in_channels, out_channels, 1, stride, 0), hooks));
      shortcut_norm_ =
          register_module("downsample_bn", ops::TappedBatchNorm2d(out_channels, hooks));
    }
  }
  torch::Tensor forward(const torch::Tensor& input) {
    const torch::Tensor feature = conv_b_->forward(conv_a_->forward(input));
    const torch::Tensor residual =
        shortcut_conv_ ? shortcut_norm_->forward(shortcut_conv_->forward(input)) : input;
    return residual + feature;
  }

 private:
  ops::ReluConvBn conv_a_, conv_b_;
  ops::TappedConv2d shortcut_conv_{nullptr};
  ops::TappedBatchNorm2d shortcut_norm_{nullptr};
};
TORCH_MODULE(BasicBlock);

/// net_macro.py MacroNet(structure='backbone').
class EncoderImpl : public torch::nn::Module {
 public:
  EncoderImpl(const EncoderCode& code, int image_channels, const Hooks& hooks) : hooks_(hooks) {
    const int half = code.base_channels / 2;
    stem_conv_ = register_module(
        "stem_conv", ops::TappedConv2d(ops::conv_options(image_channels, half, 3, 2, 1), hooks));
    stem_norm_ = register_module("stem_bn", ops::TappedBatchNorm2d(half, hooks));
    stem_relu_conv_ =
        register_module("stem_rcb", ops::ReluConvBn(half, code.base_channels, 3, 2, 1, hooks));
    blocks_ = register_module("blocks", torch::nn::Sequential());
    int channels = code.base_channels;
    for (char digit : code.macro) {
      const int out = doubles_channels(digit) ? channels * 2 : channels;
      for (int block = 0; block < kBlocksPerLayer; ++block) {
        const int in = block == 0 ? channels : out;
        const int stride = block == 0 ? stride_of(digit) : 1;
        if (code.basic) {
          blocks_->push_back(BasicBlock(in, out, stride, hooks));
        } else {
          blocks_->push_back(MicroCell(code.cell_ops, in, out, stride, hooks));
        }
      }
      channels = out;
    }
    // MacroNet._kaiming_init: encoder convs only (BN weight 1 / bias 0 is already the default).
    torch::NoGradGuard no_grad;
    for (const auto& module : modules(/*include_self=*/false)) {
      if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
        torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
      }
    }
  }
  torch::Tensor forward(const torch::Tensor& input) {
    torch::Tensor x = stem_relu_conv_->forward(stem_norm_->forward(stem_conv_->forward(input)));
    for (auto& block : *blocks_) {
      x = block.forward(x);
      if (hooks_->on_cell_output) hooks_->on_cell_output(x);
    }
    return x;
  }

 private:
  Hooks hooks_;
  ops::TappedConv2d stem_conv_{nullptr};
  ops::TappedBatchNorm2d stem_norm_{nullptr};
  ops::ReluConvBn stem_relu_conv_{nullptr};
  torch::nn::Sequential blocks_{nullptr};
};
TORCH_MODULE(Encoder);

/// cell_ops.py ConvLayer / DeconvLayer: Conv3x3 (bias) or ConvTranspose3x3 s2 (bias,
/// output_padding 1), optional BN, optional LeakyReLU(0.2) or Tanh.
enum class Activation { kNone, kLeaky, kTanh };
class DecoderLayerImpl : public torch::nn::Module {
 public:
  DecoderLayerImpl(int in_channels, int out_channels, bool upsample, bool norm,
                   Activation activation, const Hooks& hooks)
      : activation_(activation) {
    if (upsample) {
      deconv_ = register_module(
          "deconv",
          ops::TappedConvTranspose2d(torch::nn::ConvTranspose2dOptions(in_channels, out_channels, 3)
                                         .stride(2)
                                         .padding(1)
                                         .output_padding(1),
                                     hooks));
    } else {
      conv_ = register_module(
          "conv",
          ops::TappedConv2d(
              torch::nn::Conv2dOptions(in_channels, out_channels, 3).stride(1).padding(1), hooks));
    }
    if (norm) norm_ = register_module("bn", ops::TappedBatchNorm2d(out_channels, hooks));
    if (activation == Activation::kLeaky) {
      leaky_ = register_module("act", ops::TappedLeakyReLU(kLeakySlope, hooks));
    }
  }
  torch::Tensor forward(const torch::Tensor& input) {
    torch::Tensor x = conv_ ? conv_->forward(input) : deconv_->forward(input);
    if (norm_) x = norm_->forward(x);
    if (leaky_) return leaky_->forward(x);
    return activation_ == Activation::kTanh ? torch::tanh(x) : x;
  }

 private:
  Activation activation_;
  ops::TappedConv2d conv_{nullptr};
  ops::TappedConvTranspose2d deconv_{nullptr};
  ops::TappedBatchNorm2d norm_{nullptr};
  ops::TappedLeakyReLU leaky_{nullptr};
};
TORCH_MODULE(DecoderLayer);

/// One decoder layer of the plan: in, out, upsample.
struct LayerPlan {
  int in, out;
  bool upsample;
};

/// decoder.py SegmentationDecoder: Conv(C, 1024), 6-u halving convs, u-1 halving deconvs, a
/// same-width deconv, then Conv(., classes) without BN or activation.
std::vector<LayerPlan> segmentation_plan(int channels, int upsamples) {
  std::vector<LayerPlan> plan = {{channels, 1024, false}};
  int width = 1024;
  for (int i = 0; i < 6 - upsamples; ++i, width /= 2) plan.push_back({width, width / 2, false});
  for (int i = 0; i < upsamples - 1; ++i, width /= 2) plan.push_back({width, width / 2, true});
  plan.push_back({width, width, true});
  return plan;  // the final Conv(width, classes) is added by the caller
}

/// decoder.py GenerativeDecoder conv1..conv13 (conv14, Conv(16, 3) + Tanh, added by the caller).
std::vector<LayerPlan> generative_plan(int channels, int u) {
  return {{channels, 1024, false}, {1024, 1024, false}, {1024, 512, u == 6}, {512, 512, false},
          {512, 256, u >= 5},      {256, 128, false},   {128, 64, u >= 4},   {64, 64, false},
          {64, 32, u >= 3},        {32, 32, false},     {32, 16, true},      {16, 32, false},
          {32, 16, true}};
}

class TransNasNetwork : public Network {
 public:
  TransNasNetwork(const EncoderCode& code, const Geometry& geometry) : geometry_(geometry) {
    const auto& hooks = shared_hooks();
    encoder_ = register_module("encoder", Encoder(code, geometry.image_channels, hooks));
    const int channels = geometry.feature_channels;
    switch (geometry.kind) {
      case TaskKind::kClassification:
      case TaskKind::kJigsaw: {
        const int in = geometry.kind == TaskKind::kJigsaw ? kJigsawTiles * channels : channels;
        classifier_ = register_module(
            "classifier", ops::TappedLinear(torch::nn::LinearOptions(in, geometry.outputs), hooks));
        break;
      }
      case TaskKind::kSegmentation:
      case TaskKind::kGenerative: {
        decoder_ = register_module("decoder", torch::nn::Sequential());
        const bool segmentation = geometry.kind == TaskKind::kSegmentation;
        const auto plan = segmentation ? segmentation_plan(channels, geometry.upsamples)
                                       : generative_plan(channels, geometry.upsamples);
        for (const LayerPlan& layer : plan) {
          decoder_->push_back(
              DecoderLayer(layer.in, layer.out, layer.upsample, true, Activation::kLeaky, hooks));
        }
        decoder_->push_back(DecoderLayer(plan.back().out, geometry.outputs, false, false,
                                         segmentation ? Activation::kNone : Activation::kTanh,
                                         hooks));
        break;
      }
    }
  }

  // The encoder's last feature map; for jigsaw the 9 tiles' maps concatenated along channels
  // (SiameseNet), i.e. everything before the decoder's pooling.
  torch::Tensor forward_features(torch::Tensor input) override {
    if (geometry_.kind != TaskKind::kJigsaw) return encoder_->forward(input);
    if (input.dim() != 4 || input.size(1) != kJigsawTiles * geometry_.image_channels) {
      throw Error("transnas jigsaw: the input must be (N, " +
                  std::to_string(kJigsawTiles * geometry_.image_channels) +
                  ", h, w): the 9 tiles stacked along channels");
    }
    std::vector<torch::Tensor> tiles;
    for (const torch::Tensor& tile : input.split(geometry_.image_channels, 1))
      tiles.push_back(encoder_->forward(tile));
    return torch::cat(tiles, 1);
  }
  torch::Tensor head(torch::Tensor features) override {
    if (classifier_) {
      return classifier_->forward(torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1));
    }
    return decoder_->forward(features);
  }

 private:
  Geometry geometry_;
  Encoder encoder_{nullptr};
  ops::TappedLinear classifier_{nullptr};
  torch::nn::Sequential decoder_{nullptr};
};

/// Accumulates parameters and FLOPs layer by layer.
struct Counter {
  Complexity total;
  void conv(int in, int out, int kernel, int out_side, bool bias, bool norm) {
    total.params += static_cast<std::int64_t>(in) * out * kernel * kernel + (bias ? out : 0) +
                    (norm ? 2 * out : 0);
    total.flops += ops::conv_flops(in, out, kernel, out_side, out_side) +
                   (bias ? static_cast<std::int64_t>(out) * out_side * out_side : 0);
  }
  // ConvTranspose2d 3x3 s2: every input position scatters in x out x 9 products.
  void deconv(int in, int out, int in_side, bool norm) {
    total.params += static_cast<std::int64_t>(in) * out * 9 + out + (norm ? 2 * out : 0);
    total.flops += ops::conv_flops(in, out, 3, in_side, in_side) +
                   static_cast<std::int64_t>(out) * (2 * in_side) * (2 * in_side);
  }
  void linear(int in, int out) {
    total.params += static_cast<std::int64_t>(in) * out + out;
    total.flops += static_cast<std::int64_t>(in) * out + out;
  }
};

Complexity encoder_complexity(const EncoderCode& code, int image_channels, int side) {
  Counter c;
  const int half = code.base_channels / 2;
  side /= 2;
  c.conv(image_channels, half, 3, side, false, true);
  side /= 2;
  c.conv(half, code.base_channels, 3, side, false, true);
  int channels = code.base_channels;
  for (char digit : code.macro) {
    const int out = doubles_channels(digit) ? channels * 2 : channels;
    for (int block = 0; block < kBlocksPerLayer; ++block) {
      const int in = block == 0 ? channels : out;
      const int stride = block == 0 ? stride_of(digit) : 1;
      side /= stride;
      if (code.basic) {
        c.conv(in, out, 3, side, false, true);
        c.conv(out, out, 3, side, false, true);
        if (stride != 1 || in != out) c.conv(in, out, 1, side, false, true);
        continue;
      }
      for (std::size_t k = 0; k < kSources.size(); ++k) {
        const int edge_in = kSources[k] == 0 ? in : out;
        const bool reshapes = kSources[k] == 0 && (stride != 1 || in != out);
        switch (code.cell_ops[k]) {
          case 1:  // FactorizedReduce: two 1x1 convs to out/2 + out - out/2 channels, one BN
            if (reshapes) c.conv(edge_in, out, 1, side, false, true);
            break;
          case 2:
            c.conv(edge_in, out, 1, side, false, true);
            break;
          case 3:
            c.conv(edge_in, out, 3, side, false, true);
            break;
          default:
            break;
        }
      }
    }
    channels = out;
  }
  return c.total;
}

}  // namespace

std::shared_ptr<Network> build_network(const EncoderCode& code, const TaskInfo& task,
                                       const std::string& space) {
  return std::make_shared<TransNasNetwork>(code, check_task(code, task, space));
}

Complexity complexity(const EncoderCode& code, const TaskInfo& task, const std::string& space) {
  const Geometry g = check_task(code, task, space);
  const Complexity encoder = encoder_complexity(code, g.image_channels, g.side);
  Counter c;
  c.total.params = encoder.params;
  c.total.flops = g.kind == TaskKind::kJigsaw ? kJigsawTiles * encoder.flops : encoder.flops;
  switch (g.kind) {
    case TaskKind::kClassification:
      c.linear(g.feature_channels, g.outputs);
      break;
    case TaskKind::kJigsaw:
      c.linear(kJigsawTiles * g.feature_channels, g.outputs);
      break;
    case TaskKind::kSegmentation:
    case TaskKind::kGenerative: {
      const auto plan = g.kind == TaskKind::kSegmentation
                            ? segmentation_plan(g.feature_channels, g.upsamples)
                            : generative_plan(g.feature_channels, g.upsamples);
      int side = g.feature_side;
      for (const LayerPlan& layer : plan) {
        if (layer.upsample) {
          c.deconv(layer.in, layer.out, side, true);
          side *= 2;
        } else {
          c.conv(layer.in, layer.out, 3, side, true, true);
        }
      }
      c.conv(plan.back().out, g.outputs, 3, side, true, false);
      break;
    }
  }
  return c.total;
}

}  // namespace zcb::transnas
