// NDS AnyNet design spaces: ResNet, ResNeXt-A, ResNeXt-B and Vanilla (plain) networks.
//
// Paper: I. Radosavovic, J. Johnson, S. Xie, W.-Y. Lo, P. Dollar, "On Network Design Spaces for
// Visual Recognition", ICCV 2019 (data: facebookresearch/nds data.zip).
// Reference code followed: pycls `pycls/models/anynet.py` (AnyNet, AnyStage, ResBasicBlock,
// BasicTransform, ResBottleneckBlock, BottleneckTransform, VanillaBlock, ResStemCifar,
// ResStemIN, AnyHead and their `complexity` functions) and `pycls/core/net.py` (init_weights,
// complexity_conv2d / _batchnorm2d / _maxpool2d), read in facebookresearch/pycls and in
// BayesWatch/nas-without-training (whose `nasspace.py` builds NDS AnyNets from the same JSON).
//
// Architecture string (what the `nds-*` tables hold): the record's `net` object as canonical
// JSON (nlohmann `dump()`: keys sorted, no spaces), e.g.
//   {"block_type":"res_bottleneck_block","bot_muls":[1.0,0.25,0.5,0.25],"ds":[1,2,2,2],
//    "num_gs":[1,2,4,2],"ss":[8,1,2,2],"ws":[64,16,128,128]}
// Entry 0 of ds/ws/ss describes the stem (depth 1, width ws[0], stride ss[0]); entries 1.. are
// the stages (depth, width, stride of the first block). `bot_muls` (pycls bms) and `num_gs`
// (number of groups of the 3x3 conv) are empty for basic and plain blocks; their entry 0 is the
// stem's and unused. `double_plain_block` is pycls's vanilla block.
//
// Network: stem, stages of blocks, head = global average pooling + Linear(w -> classes).
//   Stems in the ImageNet setting (tasks whose name does not contain "cifar"), by ss[0]:
//     4: ResStemIN: Conv7x7 s2 (in -> ws0), BN, ReLU, MaxPool3x3 s2 (ResNet, Vanilla files);
//     8: three Conv3x3 s2 + BN + ReLU (in -> ws0/2 -> ws0 -> ws0) (ResNeXt files);
//     1: ResStemCifar at full resolution.
//   CIFAR setting: ResStemCifar: Conv3x3 s1 (in -> ws0), BN, ReLU (the NDS CIFAR files have
//   ss[0] = 1; an ImageNet record built for CIFAR gets this stem and keeps its stages).
//   res_basic_block: [proj 1x1 + BN if shape changes] + (3x3 s, BN, ReLU, 3x3, BN), ReLU.
//   res_bottleneck_block: w_b = round(w * bot_mul) (Python rounding), 1x1, BN, ReLU,
//   3x3 s groups=num_gs, BN, ReLU, 1x1, BN; projection as above; ReLU after the sum.
//   double_plain_block: 3x3 s, BN, ReLU, 3x3, BN, ReLU.
//   Weights: pycls init_weights after construction (conv N(0, sqrt(2 / (k*k*out))), BN 1/0,
//   linear N(0, 0.01) and zero bias), applied in module order as `self.apply` does.
//
// complexity(): params = trainable parameters; FLOPs = multiply-accumulates of every conv and
// of the classifier (plus its bias) + 5 per batch-norm output element, batch 1. That is the
// convention of the NDS files: it reproduces their `flops` exactly for every record of the
// ResNet, ResNeXt-A/B and Vanilla files (pycls's complexity functions of today count the
// convolutions and the linear layer only; the extra 5 per BN element was found by fitting).
//
// Deviations: the ResNeXt stride-8 stem is not in any public pycls; its structure (three
// Conv3x3 s2 with BN and ReLU, widths ws0/2, ws0, ws0) is the one whose parameters and FLOPs
// equal the NDS records exactly, the BN/ReLU order is assumed. NASWOT's loader instead uses a
// 12-channel stem and treats `num_gs` as group widths; both disagree with the records' params.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ops/ops.hpp"
#include "zcb/error.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

using nlohmann::json;

enum class BlockType { kResBasic, kResBottleneck, kPlain };

constexpr int kMaxStages = 16;
constexpr int kMaxBlocks = 64;
constexpr int kMaxWidth = 8192;

struct Stage {
  int depth, width, stride;
  double bottleneck = 1.0;
  int groups = 1;
  int inner_width() const { return static_cast<int>(std::nearbyint(width * bottleneck)); }
};

struct AnyNetConfig {
  BlockType block;
  int stem_width = 0;
  int stem_stride = 0;
  std::vector<Stage> stages;
  json canonical;
};

struct AnyNetSpaceInfo {
  const char* name;
  const char* benchmark;
};

std::string where(const std::string& space, const std::string& what) {
  return space + ": architecture " + what;
}

std::vector<json> list_field(const json& net, const std::string& key, const std::string& space) {
  const json& value = net.at(key);
  if (!value.is_array()) throw Error(where(space, "field '" + key + "' must be a list"));
  return value.get<std::vector<json>>();
}

int int_at(const std::vector<json>& list, std::size_t i, const std::string& key,
           const std::string& space) {
  if (!list[i].is_number_integer()) {
    throw Error(where(
        space, key + "[" + std::to_string(i) + "] must be an integer, got " + list[i].dump()));
  }
  return list[i].get<int>();
}

AnyNetConfig parse_anynet(const std::string& arch, const std::string& space) {
  json net;
  try {
    net = json::parse(arch);
  } catch (const json::parse_error& e) {
    throw Error(where(space, "'" + arch.substr(0, 80) +
                                 "' is not JSON (expected the canonical `net` object of an NDS "
                                 "record): " +
                                 e.what()));
  }
  const std::vector<std::string> keys = {"block_type", "bot_muls", "ds", "num_gs", "ss", "ws"};
  if (!net.is_object()) throw Error(where(space, "must be a JSON object"));
  for (const std::string& key : keys) {
    if (!net.contains(key)) {
      throw Error(
          where(space, "has no '" + key + "' (needs block_type, bot_muls, ds, num_gs, ss and ws)"));
    }
  }
  for (const auto& item : net.items()) {
    if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
      throw Error(where(space, "has unknown key '" + item.key() + "'"));
    }
  }
  AnyNetConfig config;
  const json& type = net.at("block_type");
  const std::string block = type.is_string() ? type.get<std::string>() : type.dump();
  if (block == "res_basic_block") {
    config.block = BlockType::kResBasic;
  } else if (block == "res_bottleneck_block") {
    config.block = BlockType::kResBottleneck;
  } else if (block == "double_plain_block") {
    config.block = BlockType::kPlain;
  } else {
    throw Error(where(space, "has unknown block_type '" + block +
                                 "' (known: res_basic_block, res_bottleneck_block, "
                                 "double_plain_block)"));
  }
  const auto ds = list_field(net, "ds", space), ws = list_field(net, "ws", space),
             ss = list_field(net, "ss", space), bms = list_field(net, "bot_muls", space),
             gs = list_field(net, "num_gs", space);
  if (ds.size() < 2 || ds.size() > kMaxStages + 1 || ws.size() != ds.size() ||
      ss.size() != ds.size()) {
    throw Error(where(space, "ds, ws and ss must have the same length, 2.." +
                                 std::to_string(kMaxStages + 1) + " (stem + stages)"));
  }
  const bool bottleneck = config.block == BlockType::kResBottleneck;
  if (bottleneck ? (bms.size() != ds.size() || gs.size() != ds.size())
                 : (!bms.empty() || !gs.empty())) {
    throw Error(where(space, bottleneck ? "bot_muls and num_gs must have one entry per ds entry"
                                        : "bot_muls and num_gs must be empty for " + block));
  }
  for (std::size_t i = 0; i < ds.size(); ++i) {
    Stage stage{int_at(ds, i, "ds", space), int_at(ws, i, "ws", space), int_at(ss, i, "ss", space)};
    if (stage.width < 1 || stage.width > kMaxWidth) {
      throw Error(where(space, "ws[" + std::to_string(i) + "] = " + std::to_string(stage.width) +
                                   " must be in [1, " + std::to_string(kMaxWidth) + "]"));
    }
    if (i == 0) {
      if (stage.depth != 1) throw Error(where(space, "ds[0] (the stem) must be 1"));
      if (stage.stride != 1 && stage.stride != 4 && stage.stride != 8) {
        throw Error(where(space, "ss[0] = " + std::to_string(stage.stride) +
                                     ": the NDS stems have stride 1 (CIFAR), 4 (ResStemIN) or 8"));
      }
      if (stage.stride == 8 && stage.width % 2 != 0) {
        throw Error(where(space, "ws[0] must be even for the stride-8 stem"));
      }
      config.stem_width = stage.width;
      config.stem_stride = stage.stride;
      continue;
    }
    if (stage.depth < 1 || stage.depth > kMaxBlocks) {
      throw Error(where(space, "ds[" + std::to_string(i) + "] must be in [1, " +
                                   std::to_string(kMaxBlocks) + "]"));
    }
    if (stage.stride != 1 && stage.stride != 2) {
      throw Error(where(space, "ss[" + std::to_string(i) + "] must be 1 or 2"));
    }
    if (bottleneck) {
      if (!bms[i].is_number() || !(bms[i].get<double>() > 0 && bms[i].get<double>() <= 16)) {
        throw Error(where(space, "bot_muls[" + std::to_string(i) + "] must be in (0, 16]"));
      }
      stage.bottleneck = bms[i].get<double>();
      stage.groups = int_at(gs, i, "num_gs", space);
      const int inner = stage.inner_width();
      if (inner < 1 || stage.groups < 1 || inner % stage.groups != 0) {
        throw Error(where(space, "stage " + std::to_string(i) + ": bottleneck width " +
                                     std::to_string(inner) + " is not divisible into " +
                                     std::to_string(stage.groups) + " groups"));
      }
    }
    config.stages.push_back(stage);
  }
  config.canonical = std::move(net);
  return config;
}

int stem_stride(const AnyNetConfig& config, const TaskInfo& task) {
  return ops::is_cifar_task(task) ? 1 : config.stem_stride;
}

void check_task(const TaskInfo& task, const std::string& space) {
  ops::check_task_shape(task, space, 1, "");
}

// ---------------------------------------------------------------- modules

using HooksPtr = std::shared_ptr<NetworkHooks>;

torch::nn::Conv2dOptions conv(int in, int out, int kernel, int stride, int groups = 1) {
  return torch::nn::Conv2dOptions(in, out, kernel)
      .stride(stride)
      .padding(kernel / 2)
      .groups(groups)
      .bias(false);
}

/// conv -> BN [-> ReLU], the unit every AnyNet part is made of.
class ConvUnitImpl : public torch::nn::Module {
 public:
  ConvUnitImpl(const torch::nn::Conv2dOptions& options, bool relu, const HooksPtr& hooks)
      : conv_(register_module("conv", ops::TappedConv2d(options, hooks))),
        norm_(register_module("bn", ops::TappedBatchNorm2d(options.out_channels(), hooks))) {
    if (relu) relu_ = register_module("relu", ops::TappedReLU(hooks));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor y = norm_->forward(conv_->forward(x));
    return relu_ ? relu_->forward(y) : y;
  }

 private:
  ops::TappedConv2d conv_;
  ops::TappedBatchNorm2d norm_;
  ops::TappedReLU relu_{nullptr};
};
TORCH_MODULE(ConvUnit);

class StemImpl : public torch::nn::Module {
 public:
  StemImpl(int in, int width, int stride, const HooksPtr& hooks) {
    if (stride == 4) {  // ResStemIN
      units_.push_back(register_module("conv", ConvUnit(conv(in, width, 7, 2), true, hooks)));
      pool_ = register_module(
          "pool", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(2).padding(1)));
    } else if (stride == 8) {
      const int widths[] = {width / 2, width, width};
      int previous = in;
      for (int i = 0; i < 3; ++i) {
        units_.push_back(register_module("conv" + std::to_string(i),
                                         ConvUnit(conv(previous, widths[i], 3, 2), true, hooks)));
        previous = widths[i];
      }
    } else {  // ResStemCifar
      units_.push_back(register_module("conv", ConvUnit(conv(in, width, 3, 1), true, hooks)));
    }
  }
  torch::Tensor forward(torch::Tensor x) {
    for (auto& unit : units_) x = unit->forward(x);
    return pool_ ? pool_->forward(x) : x;
  }

 private:
  std::vector<ConvUnit> units_;
  torch::nn::MaxPool2d pool_{nullptr};
};
TORCH_MODULE(Stem);

class BlockImpl : public torch::nn::Module {
 public:
  BlockImpl(BlockType type, int in, const Stage& stage, int stride, const HooksPtr& hooks)
      : type_(type) {
    const int w = stage.width;
    if (type == BlockType::kPlain) {
      units_.push_back(register_module("a", ConvUnit(conv(in, w, 3, stride), true, hooks)));
      units_.push_back(register_module("b", ConvUnit(conv(w, w, 3, 1), true, hooks)));
      return;
    }
    if (in != w || stride != 1) {
      projection_ = register_module("proj", ConvUnit(conv(in, w, 1, stride), false, hooks));
    }
    if (type == BlockType::kResBasic) {
      units_.push_back(register_module("a", ConvUnit(conv(in, w, 3, stride), true, hooks)));
      units_.push_back(register_module("b", ConvUnit(conv(w, w, 3, 1), false, hooks)));
    } else {
      const int inner = stage.inner_width();
      units_.push_back(register_module("a", ConvUnit(conv(in, inner, 1, 1), true, hooks)));
      units_.push_back(
          register_module("b", ConvUnit(conv(inner, inner, 3, stride, stage.groups), true, hooks)));
      units_.push_back(register_module("c", ConvUnit(conv(inner, w, 1, 1), false, hooks)));
    }
    relu_ = register_module("relu", ops::TappedReLU(hooks));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor y = x;
    if (type_ == BlockType::kPlain) {
      for (auto& unit : units_) y = unit->forward(y);
      return y;
    }
    // pycls evaluates the projection before the transform.
    const torch::Tensor shortcut = projection_ ? projection_->forward(x) : x;
    for (auto& unit : units_) y = unit->forward(y);
    return relu_->forward(shortcut + y);
  }

 private:
  BlockType type_;
  ConvUnit projection_{nullptr};
  std::vector<ConvUnit> units_;
  ops::TappedReLU relu_{nullptr};
};
TORCH_MODULE(Block);

class NdsAnyNetwork : public Network {
 public:
  NdsAnyNetwork(const AnyNetConfig& config, const TaskInfo& task) {
    const auto& hooks = shared_hooks();
    stem_ = register_module(
        "stem", Stem(task.channels, config.stem_width, stem_stride(config, task), hooks));
    int previous = config.stem_width;
    for (std::size_t s = 0; s < config.stages.size(); ++s) {
      const Stage& stage = config.stages[s];
      for (int b = 0; b < stage.depth; ++b) {
        blocks_.push_back(
            register_module("s" + std::to_string(s + 1) + "_b" + std::to_string(b + 1),
                            Block(config.block, b == 0 ? previous : stage.width, stage,
                                  b == 0 ? stage.stride : 1, hooks)));
      }
      previous = stage.width;
    }
    fc_ = register_module(
        "fc", ops::TappedLinear(torch::nn::LinearOptions(previous, task.num_classes), hooks));
    init_weights();
  }

  torch::Tensor forward_features(torch::Tensor input) override {
    torch::Tensor x = stem_->forward(input);
    for (auto& block : blocks_) {
      x = block->forward(x);
      if (hooks().on_cell_output) hooks().on_cell_output(x);
    }
    return x;
  }
  torch::Tensor head(torch::Tensor features) override {
    return fc_->forward(torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1));
  }

 private:
  // pycls net.init_weights through self.apply: leaves in module order; BNs keep PyTorch's 1/0.
  void init_weights() {
    torch::NoGradGuard no_grad;
    for (const auto& module : modules(/*include_self=*/false)) {
      if (auto* c = module->as<torch::nn::Conv2dImpl>()) {
        const auto& k = c->options.kernel_size();
        const double fan_out = static_cast<double>((*k)[0] * (*k)[1] * c->options.out_channels());
        c->weight.normal_(0.0, std::sqrt(2.0 / fan_out));
      } else if (auto* l = module->as<torch::nn::LinearImpl>()) {
        l->weight.normal_(0.0, 0.01);
        l->bias.zero_();
      }
    }
  }

  Stem stem_{nullptr};
  std::vector<Block> blocks_;
  ops::TappedLinear fc_{nullptr};
};

// ---------------------------------------------------------------- analytic complexity

struct Counter {
  Complexity total;
  std::int64_t h, w;
  // A conv (padding k/2) + BN; returns nothing, moves (h, w) unless `parallel`.
  void conv_bn(int in, int out, int k, int stride, int groups = 1, bool parallel = false) {
    const std::int64_t oh = (h + 2 * (k / 2) - k) / stride + 1;
    const std::int64_t ow = (w + 2 * (k / 2) - k) / stride + 1;
    const std::int64_t weights = static_cast<std::int64_t>(in) / groups * out * k * k;
    total.params += weights + 2 * out;
    total.flops += weights * oh * ow + 5 * out * oh * ow;
    if (!parallel) {
      h = oh;
      w = ow;
    }
  }
};

Complexity anynet_complexity(const AnyNetConfig& config, const TaskInfo& task) {
  Counter cx{{}, task.height, task.width};
  const int stride = stem_stride(config, task);
  if (stride == 4) {
    cx.conv_bn(task.channels, config.stem_width, 7, 2);
    cx.h = (cx.h + 2 - 3) / 2 + 1;  // max pool 3x3 s2 p1
    cx.w = (cx.w + 2 - 3) / 2 + 1;
  } else if (stride == 8) {
    cx.conv_bn(task.channels, config.stem_width / 2, 3, 2);
    cx.conv_bn(config.stem_width / 2, config.stem_width, 3, 2);
    cx.conv_bn(config.stem_width, config.stem_width, 3, 2);
  } else {
    cx.conv_bn(task.channels, config.stem_width, 3, 1);
  }
  int previous = config.stem_width;
  for (const Stage& stage : config.stages) {
    for (int b = 0; b < stage.depth; ++b) {
      const int in = b == 0 ? previous : stage.width;
      const int s = b == 0 ? stage.stride : 1;
      const int w = stage.width;
      if (config.block != BlockType::kPlain && (in != w || s != 1)) {
        cx.conv_bn(in, w, 1, s, 1, /*parallel=*/true);
      }
      if (config.block == BlockType::kResBottleneck) {
        const int inner = stage.inner_width();
        cx.conv_bn(in, inner, 1, 1);
        cx.conv_bn(inner, inner, 3, s, stage.groups);
        cx.conv_bn(inner, w, 1, 1);
      } else {
        cx.conv_bn(in, w, 3, s);
        cx.conv_bn(w, w, 3, 1);
      }
    }
    previous = stage.width;
  }
  const std::int64_t fc = static_cast<std::int64_t>(previous) * task.num_classes + task.num_classes;
  cx.total.params += fc;
  cx.total.flops += fc;
  return cx.total;
}

class NdsAnyNetSpace : public SearchSpace {
 public:
  explicit NdsAnyNetSpace(AnyNetSpaceInfo info) : info_(info) {}
  std::string name() const override { return info_.name; }
  std::string benchmark() const override { return info_.benchmark; }
  std::string canonical(const std::string& arch) const override {
    return parse_anynet(arch, info_.name).canonical.dump();
  }
  std::shared_ptr<Network> build(const std::string& arch, const TaskInfo& task) const override {
    check_task(task, info_.name);
    return std::make_shared<NdsAnyNetwork>(parse_anynet(arch, info_.name), task);
  }
  Complexity complexity(const std::string& arch, const TaskInfo& task) const override {
    check_task(task, info_.name);
    return anynet_complexity(parse_anynet(arch, info_.name), task);
  }

 private:
  AnyNetSpaceInfo info_;
};

}  // namespace

std::unique_ptr<SearchSpace> make_nds_resnet_space() {
  return std::make_unique<NdsAnyNetSpace>(AnyNetSpaceInfo{"nds_resnet", "nds-resnet-lr-wd-in"});
}
std::unique_ptr<SearchSpace> make_nds_resnet_reruns_space() {
  return std::make_unique<NdsAnyNetSpace>(
      AnyNetSpaceInfo{"nds_resnet_reruns", "nds-resnet-reruns"});
}
std::unique_ptr<SearchSpace> make_nds_resnext_a_space() {
  return std::make_unique<NdsAnyNetSpace>(AnyNetSpaceInfo{"nds_resnext_a", "nds-resnext-a-in"});
}
std::unique_ptr<SearchSpace> make_nds_resnext_b_space() {
  return std::make_unique<NdsAnyNetSpace>(AnyNetSpaceInfo{"nds_resnext_b", "nds-resnext-b-in"});
}
std::unique_ptr<SearchSpace> make_nds_vanilla_space() {
  return std::make_unique<NdsAnyNetSpace>(AnyNetSpaceInfo{"nds_vanilla", "nds-vanilla-lr-wd-in"});
}
std::unique_ptr<SearchSpace> make_nds_vanilla_reruns_space() {
  return std::make_unique<NdsAnyNetSpace>(
      AnyNetSpaceInfo{"nds_vanilla_reruns", "nds-vanilla-reruns"});
}

}  // namespace zcb
