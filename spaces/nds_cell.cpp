// NDS cell-based design spaces: DARTS, ENAS, PNAS, Amoeba, NASNet (and the DARTS sweeps with
// sampled learning rate / weight decay and with fixed width and depth).
//
// Paper: I. Radosavovic, J. Johnson, S. Xie, W.-Y. Lo, P. Dollar, "On Network Design Spaces for
// Visual Recognition", ICCV 2019 (data: facebookresearch/nds data.zip). Networks are pycls's
// port of DARTS (H. Liu et al., ICLR 2019).
// Reference code followed: pycls `pycls/models/nas/nas.py` (Cell, NetworkCIFAR,
// NetworkImageNet), `pycls/models/nas/operations.py` (OPS, ReLUConvBN, SepConv, DilConv,
// DilSepConv, FactorizedReduce, Zero), `pycls/models/common.py` (Classifier), read in
// BayesWatch/nas-without-training (the copy zero-cost NAS work builds NDS networks with) and
// facebookresearch/unnas (same files); the NDS loader BayesWatch/nas-without-training
// `nasspace.py` (NetworkImageNet for `*_in` files, NetworkCIFAR otherwise).
//
// Architecture string (what the `nds-*` tables hold): the record's `net` object as canonical
// JSON, i.e. nlohmann `dump()` of the parsed object: keys sorted, no spaces, e.g.
//   {"aux":false,"depth":14,"drop_prob":0.0,"genotype":{"normal":[["sep_conv_3x3",0],...],
//    "normal_concat":[2,3,4,5],"reduce":[...],"reduce_concat":[2,3,4,5]},"width":48}
// `canonical` re-dumps the parsed object after validating it, so table strings are fixed
// points. Pairs are (op, input state); state 0/1 are the two cell inputs, state 2+i is step i.
//
// Network (pycls, no auxiliary head, drop path off):
//   ImageNet setting (every task whose name does not contain "cifar", as pycls picks by
//   dataset): stem0 = Conv3x3 s2 (in -> C/2), BN, ReLU, Conv3x3 s2 (C/2 -> C), BN;
//   stem1 = ReLU, Conv3x3 s2 (C -> C), BN; the first cell sees a "reduction_prev" input.
//   CIFAR setting: stem = Conv3x3 (in -> 3C), BN.
//   `depth` cells; cells depth/3 and 2*depth/3 are reduction cells (double C, stride 2 on the
//   ops reading the cell inputs). Cell inputs are preprocessed by FactorizedReduce (after a
//   reduction) or ReLU-Conv1x1-BN; each step sums two ops; the output concatenates the
//   `*_concat` states. Head: global average pooling, Linear(C_prev -> classes).
//   Ops: none (x*0, strided), avg/max pools (avg: count_include_pad=false), skip_connect
//   (identity, or FactorizedReduce at stride 2), conv_1x1/3x3 (ReLU-Conv-BN), sep_conv_kxk
//   (two ReLU-depthwise-pointwise-BN), dil_conv_kxk (dilation 2), dil_sep_conv_3x3,
//   conv_3x1_1x3 / conv_7x1_1x7 (ReLU, 1xk, kx1, BN). All BNs affine, PyTorch defaults.
//   Modules are constructed in the reference's order with PyTorch's default initialisation
//   (pycls applies no custom init to these networks).
//
// complexity(): params = trainable parameters (equal to the table's `params` for every record of
// every NDS cell file). FLOPs follow the convention of the NDS cell files, found by fitting
// counts of each kind of operation to them; it reproduces their `flops` exactly for all 1,617
// ImageNet cell records (DARTS, its two sweeps, ENAS, PNAS, Amoeba, NASNet; `zcbench
// check-complexity --space nds_darts` and `NdsSpaces.ComplexityMatchesTheNdsRecords`), batch 1:
// - convolutions: multiply-accumulates, with the output size of a dilated convolution taken as
//   if its dilation were 1 ((h + 2p - k) / s + 1: the dilated ops are over-counted, as NDS's
//   counter did);
// - ReLUs: 1 per input element; batch norms: 0;
// - pools: k^2 per output element, the global average pool included (one window over the whole
//   final map: 49 per channel at 7x7 on ImageNet);
// - the classifier: in x out multiply-accumulates plus its bias.
// The NDS AnyNet files use another convention (nds_anynet.cpp). No NDS CIFAR cell file is
// available offline, so the CIFAR setting (same rules; pycls pools globally with
// AdaptiveAvgPool2d there) is not checked against published FLOPs.
//
// build_variant(kTenasThin): TE-NAS's thin network of a DARTS-space architecture (tenas_lr);
// see NdsThinNetwork.
//
// Deviations: `aux` must be false (the auxiliary head is training-only and no NDS record
// uses it); `drop_prob` is accepted and ignored (drop path is off outside training).
// skip_dead_paths: when no tap watches, steps whose value never reaches the concatenated output
// are not computed; 'none' ops are skipped only while autograd is off (see CellImpl::forward).
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ops/ops.hpp"
#include "zcb/error.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

using nlohmann::json;

enum class OpKind {
  kNone,
  kAvgPool,
  kMaxPool,
  kSkip,
  kConv,
  kSepConv,
  kDilConv,
  kDilSepConv,
  kFactorizedConv,
};

struct OpSpec {
  const char* name;
  OpKind kind;
  int kernel;
};

// pycls OPS, in its order.
constexpr std::array<OpSpec, 19> kOps = {{
    {"none", OpKind::kNone, 0},
    {"avg_pool_2x2", OpKind::kAvgPool, 2},
    {"avg_pool_3x3", OpKind::kAvgPool, 3},
    {"avg_pool_5x5", OpKind::kAvgPool, 5},
    {"max_pool_2x2", OpKind::kMaxPool, 2},
    {"max_pool_3x3", OpKind::kMaxPool, 3},
    {"max_pool_5x5", OpKind::kMaxPool, 5},
    {"max_pool_7x7", OpKind::kMaxPool, 7},
    {"skip_connect", OpKind::kSkip, 0},
    {"conv_1x1", OpKind::kConv, 1},
    {"conv_3x3", OpKind::kConv, 3},
    {"sep_conv_3x3", OpKind::kSepConv, 3},
    {"sep_conv_5x5", OpKind::kSepConv, 5},
    {"sep_conv_7x7", OpKind::kSepConv, 7},
    {"dil_conv_3x3", OpKind::kDilConv, 3},
    {"dil_conv_5x5", OpKind::kDilConv, 5},
    {"dil_sep_conv_3x3", OpKind::kDilSepConv, 3},
    {"conv_3x1_1x3", OpKind::kFactorizedConv, 3},
    {"conv_7x1_1x7", OpKind::kFactorizedConv, 7},
}};

constexpr int kMaxWidth = 4096;
constexpr int kMaxDepth = 128;
constexpr int kMaxSteps = 32;

/// pycls pads pools by k/2, except the 2x2 ones (padding 0).
int pool_padding(int kernel) { return kernel == 2 ? 0 : kernel / 2; }

struct Edge {
  OpSpec op;
  int input;
};

struct CellType {
  std::vector<Edge> edges;  // two per step
  std::vector<int> concat;
  int steps() const { return static_cast<int>(edges.size()) / 2; }
};

struct CellNet {
  CellType normal, reduce;
  int width = 0;
  int depth = 0;
  json canonical;
};

/// The NDS settings a cell space is registered for: name and benchmark table.
struct CellSpaceInfo {
  const char* name;
  const char* benchmark;
};

std::string where(const std::string& space, const std::string& what) {
  return space + ": architecture " + what;
}

int integer_field(const json& value, const std::string& space, const std::string& key) {
  if (!value.is_number_integer()) {
    throw Error(where(space, "field '" + key + "' must be an integer, got " + value.dump()));
  }
  return value.get<int>();
}

CellType parse_cell(const json& genotype, const std::string& space, const std::string& kind) {
  CellType cell;
  const json& edges = genotype.at(kind);
  if (!edges.is_array() || edges.empty() || edges.size() % 2 != 0 ||
      edges.size() > 2 * static_cast<std::size_t>(kMaxSteps)) {
    throw Error(where(space, "genotype." + kind + " must be a list of 2..64 [op, input] pairs, " +
                                 "two per step"));
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const json& pair = edges[i];
    const std::string at = "genotype." + kind + "[" + std::to_string(i) + "]";
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) {
      throw Error(where(space, at + " must be [op name, input state], got " + pair.dump()));
    }
    const std::string name = pair[0].get<std::string>();
    const auto found =
        std::find_if(kOps.begin(), kOps.end(), [&](const OpSpec& op) { return name == op.name; });
    if (found == kOps.end()) {
      std::string known;
      for (const OpSpec& op : kOps) known += (known.empty() ? "" : ", ") + std::string(op.name);
      throw Error(
          where(space, at + " has unknown operation '" + name + "' (known: " + known + ")"));
    }
    const int input = integer_field(pair[1], space, at + "[1]");
    const int states = 2 + static_cast<int>(i) / 2;  // step i/2 reads the inputs and earlier steps
    if (input < 0 || input >= states) {
      throw Error(where(space, at + " reads state " + std::to_string(input) + "; step " +
                                   std::to_string(i / 2) + " may read states 0.." +
                                   std::to_string(states - 1)));
    }
    const bool stride_one = kind == "normal" || input >= 2;
    if (stride_one && found->kernel == 2 &&
        (found->kind == OpKind::kAvgPool || found->kind == OpKind::kMaxPool)) {
      throw Error(where(space, at + ": " + name +
                                   " shrinks its input at stride 1 and cannot be summed (only a "
                                   "reduction op reading a cell input may use it)"));
    }
    cell.edges.push_back({*found, input});
  }
  const json& concat = genotype.at(kind + "_concat");
  if (!concat.is_array() || concat.empty()) {
    throw Error(where(space, "genotype." + kind + "_concat must be a non-empty list of states"));
  }
  for (const json& state : concat) {
    const int index = integer_field(state, space, "genotype." + kind + "_concat");
    if (index < 0 || index >= 2 + cell.steps()) {
      throw Error(where(space, "genotype." + kind + "_concat names state " + std::to_string(index) +
                                   " of a cell with " + std::to_string(2 + cell.steps()) +
                                   " states"));
    }
    cell.concat.push_back(index);
  }
  return cell;
}

void require_keys(const json& object, const std::vector<std::string>& keys,
                  const std::string& space, const std::string& what) {
  if (!object.is_object()) throw Error(where(space, what + " must be a JSON object"));
  std::string all;
  for (const std::string& key : keys) all += (all.empty() ? "" : ", ") + key;
  for (const std::string& key : keys) {
    if (!object.contains(key)) {
      throw Error(where(space, what + " has no '" + key + "' (needs: " + all + ")"));
    }
  }
  for (const auto& item : object.items()) {
    if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
      throw Error(
          where(space, what + " has unknown key '" + item.key() + "' (known: " + all + ")"));
    }
  }
}

CellNet parse_cell_net(const std::string& arch, const std::string& space) {
  json net;
  try {
    net = json::parse(arch);
  } catch (const json::parse_error& e) {
    throw Error(where(space, "'" + arch.substr(0, 80) +
                                 "' is not JSON (expected the canonical `net` object of an NDS "
                                 "record): " +
                                 e.what()));
  }
  require_keys(net, {"aux", "depth", "drop_prob", "genotype", "width"}, space, "net");
  require_keys(net.at("genotype"), {"normal", "normal_concat", "reduce", "reduce_concat"}, space,
               "net.genotype");
  CellNet out;
  if (!net.at("aux").is_boolean()) throw Error(where(space, "field 'aux' must be true or false"));
  if (net.at("aux").get<bool>()) {
    throw Error(where(space,
                      "has aux=true: the auxiliary head is training-only and not built; "
                      "NDS records use aux=false"));
  }
  const json& drop = net.at("drop_prob");
  if (!drop.is_number() || drop.get<double>() < 0 || drop.get<double>() >= 1) {
    throw Error(where(space, "field 'drop_prob' must be a number in [0, 1)"));
  }
  out.width = integer_field(net.at("width"), space, "width");
  out.depth = integer_field(net.at("depth"), space, "depth");
  if (out.width < 2 || out.width > kMaxWidth || out.width % 2 != 0) {
    throw Error(where(space, "width " + std::to_string(out.width) + " must be even and in [2, " +
                                 std::to_string(kMaxWidth) + "]"));
  }
  if (out.depth < 1 || out.depth > kMaxDepth) {
    throw Error(where(space, "depth " + std::to_string(out.depth) + " must be in [1, " +
                                 std::to_string(kMaxDepth) + "]"));
  }
  out.normal = parse_cell(net.at("genotype"), space, "normal");
  out.reduce = parse_cell(net.at("genotype"), space, "reduce");
  out.canonical = std::move(net);
  return out;
}

void check_task(const TaskInfo& task, const std::string& space) {
  // Every reduction must see an even size, or pools and factorized reductions disagree on
  // the output size (pycls assumes it too).
  const bool cifar = ops::is_cifar_task(task);
  ops::check_task_shape(task, space, cifar ? 4 : 32,
                        std::string("the network's total stride in the ") +
                            (cifar ? "CIFAR" : "ImageNet") + " setting");
}

bool is_reduction(int cell, int depth) { return cell == depth / 3 || cell == 2 * depth / 3; }

// ---------------------------------------------------------------- modules

using HooksPtr = std::shared_ptr<NetworkHooks>;

torch::nn::Conv2dOptions conv2d(int in, int out, std::array<int, 2> kernel,
                                std::array<int, 2> stride, std::array<int, 2> padding,
                                int dilation = 1, int groups = 1) {
  return torch::nn::Conv2dOptions(in, out, {kernel[0], kernel[1]})
      .stride({stride[0], stride[1]})
      .padding({padding[0], padding[1]})
      .dilation(dilation)
      .groups(groups)
      .bias(false);
}

/// pycls FactorizedReduce: ReLU, two 1x1 stride-2 convs (the second on the input shifted by one
/// pixel), concatenated, BN.
class FactorizedReduceImpl : public torch::nn::Module {
 public:
  FactorizedReduceImpl(int in, int out, const HooksPtr& hooks)
      : relu_(register_module("relu", ops::TappedReLU(hooks))),
        conv_1_(register_module(
            "conv_1", ops::TappedConv2d(conv2d(in, out / 2, {1, 1}, {2, 2}, {0, 0}), hooks))),
        conv_2_(register_module(
            "conv_2", ops::TappedConv2d(conv2d(in, out / 2, {1, 1}, {2, 2}, {0, 0}), hooks))),
        norm_(register_module("bn", ops::TappedBatchNorm2d(out, hooks))) {}
  torch::Tensor forward(const torch::Tensor& input) {
    const torch::Tensor x = relu_->forward(input);
    const torch::Tensor shifted = torch::constant_pad_nd(x, {0, 1, 0, 1}, 0)
                                      .slice(2, 1, c10::nullopt)
                                      .slice(3, 1, c10::nullopt);
    return norm_->forward(torch::cat({conv_1_->forward(x), conv_2_->forward(shifted)}, 1));
  }

 private:
  ops::TappedReLU relu_;
  ops::TappedConv2d conv_1_, conv_2_;
  ops::TappedBatchNorm2d norm_;
};
TORCH_MODULE(FactorizedReduce);

/// A chain of tapped layers run in registration order (pycls builds these ops as
/// nn.Sequential of ReLU, Conv2d and BatchNorm2d).
class ChainImpl : public torch::nn::Module {
 public:
  void add_relu(const HooksPtr& hooks) {
    relus_.push_back(register_module(next_name(), ops::TappedReLU(hooks)));
    order_.push_back({0, relus_.size() - 1});
  }
  void add_conv(const torch::nn::Conv2dOptions& options, const HooksPtr& hooks) {
    convs_.push_back(register_module(next_name(), ops::TappedConv2d(options, hooks)));
    order_.push_back({1, convs_.size() - 1});
  }
  void add_norm(int channels, const HooksPtr& hooks) {
    norms_.push_back(register_module(next_name(), ops::TappedBatchNorm2d(channels, hooks)));
    order_.push_back({2, norms_.size() - 1});
  }
  torch::Tensor forward(torch::Tensor x) {
    for (const auto& [kind, index] : order_) {
      if (kind == 0) x = relus_[index]->forward(x);
      if (kind == 1) x = convs_[index]->forward(x);
      if (kind == 2) x = norms_[index]->forward(x);
    }
    return x;
  }

 private:
  std::string next_name() const { return std::to_string(order_.size()); }
  std::vector<ops::TappedReLU> relus_;
  std::vector<ops::TappedConv2d> convs_;
  std::vector<ops::TappedBatchNorm2d> norms_;
  std::vector<std::pair<int, std::size_t>> order_;
};
TORCH_MODULE(Chain);

Chain relu_conv_bn(int in, int out, int kernel, int stride, int padding, const HooksPtr& hooks) {
  Chain chain;
  chain->add_relu(hooks);
  chain->add_conv(conv2d(in, out, {kernel, kernel}, {stride, stride}, {padding, padding}), hooks);
  chain->add_norm(out, hooks);
  return chain;
}

/// One operation of a cell (pycls OPS[name](C, stride, affine=True)).
class CellOpImpl : public torch::nn::Module {
 public:
  CellOpImpl(const OpSpec& op, int channels, int stride, const HooksPtr& hooks)
      : kind_(op.kind), stride_(stride) {
    const int k = op.kernel;
    switch (op.kind) {
      case OpKind::kNone:
        break;
      case OpKind::kAvgPool:
        avg_pool_ = register_module("op", torch::nn::AvgPool2d(torch::nn::AvgPool2dOptions(k)
                                                                   .stride(stride)
                                                                   .padding(pool_padding(k))
                                                                   .count_include_pad(false)));
        break;
      case OpKind::kMaxPool:
        max_pool_ = register_module(
            "op", torch::nn::MaxPool2d(
                      torch::nn::MaxPool2dOptions(k).stride(stride).padding(pool_padding(k))));
        break;
      case OpKind::kSkip:
        if (stride != 1)
          reduce_ = register_module("op", FactorizedReduce(channels, channels, hooks));
        break;
      case OpKind::kConv:
        chain_ = register_module("op", relu_conv_bn(channels, channels, k, stride, k / 2, hooks));
        break;
      case OpKind::kSepConv:
      case OpKind::kDilSepConv: {
        const int dilation = op.kind == OpKind::kDilSepConv ? 2 : 1;
        const int pad = dilation * (k / 2);
        chain_ = register_module("op", Chain());
        for (int half = 0; half < 2; ++half) {
          const int s = half == 0 ? stride : 1;
          chain_->add_relu(hooks);
          chain_->add_conv(
              conv2d(channels, channels, {k, k}, {s, s}, {pad, pad}, dilation, channels), hooks);
          chain_->add_conv(conv2d(channels, channels, {1, 1}, {1, 1}, {0, 0}), hooks);
          chain_->add_norm(channels, hooks);
        }
        break;
      }
      case OpKind::kDilConv: {
        const int pad = 2 * (k / 2);
        chain_ = register_module("op", Chain());
        chain_->add_relu(hooks);
        chain_->add_conv(
            conv2d(channels, channels, {k, k}, {stride, stride}, {pad, pad}, 2, channels), hooks);
        chain_->add_conv(conv2d(channels, channels, {1, 1}, {1, 1}, {0, 0}), hooks);
        chain_->add_norm(channels, hooks);
        break;
      }
      case OpKind::kFactorizedConv:
        chain_ = register_module("op", Chain());
        chain_->add_relu(hooks);
        chain_->add_conv(conv2d(channels, channels, {1, k}, {1, stride}, {0, k / 2}), hooks);
        chain_->add_conv(conv2d(channels, channels, {k, 1}, {stride, 1}, {k / 2, 0}), hooks);
        chain_->add_norm(channels, hooks);
        break;
    }
  }
  bool is_zero() const { return kind_ == OpKind::kNone; }
  torch::Tensor forward(const torch::Tensor& x) {
    if (chain_) return chain_->forward(x);
    if (avg_pool_) return avg_pool_->forward(x);
    if (max_pool_) return max_pool_->forward(x);
    if (reduce_) return reduce_->forward(x);
    if (kind_ == OpKind::kSkip) return x;
    // pycls Zero: keeps the graph as the reference does.
    if (stride_ == 1) return x.mul(0.);
    return x.slice(2, 0, c10::nullopt, stride_).slice(3, 0, c10::nullopt, stride_).mul(0.);
  }

 private:
  OpKind kind_;
  int stride_;
  Chain chain_{nullptr};
  torch::nn::AvgPool2d avg_pool_{nullptr};
  torch::nn::MaxPool2d max_pool_{nullptr};
  FactorizedReduce reduce_{nullptr};
};
TORCH_MODULE(CellOp);

class CellImpl : public torch::nn::Module {
 public:
  CellImpl(const CellType& type, int prev_prev, int prev, int channels, bool reduction,
           bool reduction_prev, const HooksPtr& hooks)
      : type_(type), channels_(channels), reduction_(reduction), hooks_(hooks) {
    if (reduction_prev) {
      reduce0_ = register_module("preprocess0", FactorizedReduce(prev_prev, channels, hooks));
    } else {
      pre0_ = register_module("preprocess0", relu_conv_bn(prev_prev, channels, 1, 1, 0, hooks));
    }
    pre1_ = register_module("preprocess1", relu_conv_bn(prev, channels, 1, 1, 0, hooks));
    for (std::size_t i = 0; i < type.edges.size(); ++i) {
      const int stride = reduction && type.edges[i].input < 2 ? 2 : 1;
      ops_.push_back(register_module("op" + std::to_string(i),
                                     CellOp(type.edges[i].op, channels, stride, hooks)));
    }
    // A state is live when a chain of ops leads from it to the concatenated output; "live
    // without zeros" when a chain of non-'none' ops does.
    for (const bool through_zero : {true, false}) {
      std::vector<bool>& live = through_zero ? live_ : live_without_zeros_;
      live.assign(2 + type.steps(), false);
      for (int state : type.concat) live[state] = true;
      for (int step = type.steps() - 1; step >= 0; --step) {
        if (!live[2 + step]) continue;
        for (int j = 0; j < 2; ++j) {
          const Edge& edge = type.edges[2 * step + j];
          if (through_zero || edge.op.kind != OpKind::kNone) live[edge.input] = true;
        }
      }
    }
  }
  int multiplier() const { return static_cast<int>(type_.concat.size()); }

  // With skip_dead_paths, states that cannot reach the output are not computed when no tap
  // watches (autograd never visits them, so scores are unchanged). 'none' ops are skipped only
  // while autograd is off: they add exact zeros, but their backward nodes change the order in
  // which autograd accumulates other gradients, which changes the last bits of gradient-based
  // scores. A step made of two skipped 'none' ops is zeros of its shape, as in the reference.
  torch::Tensor forward(const torch::Tensor& input0, const torch::Tensor& input1) {
    const bool skip_zero = hooks_->skip_dead_paths && !torch::GradMode::is_enabled();
    const bool prune = hooks_->skip_dead_paths && !hooks_->observes_activations();
    const std::vector<bool>& live = skip_zero ? live_without_zeros_ : live_;
    std::vector<torch::Tensor> states(live.size());
    if (!prune || live[0]) {
      states[0] = reduce0_ ? reduce0_->forward(input0) : pre0_->forward(input0);
    }
    if (!prune || live[1]) states[1] = pre1_->forward(input1);
    for (int step = 0; step < type_.steps(); ++step) {
      if (prune && !live[2 + step]) continue;
      torch::Tensor sum;
      for (int j = 0; j < 2; ++j) {
        const int index = 2 * step + j;
        if (skip_zero && ops_[index]->is_zero()) continue;
        torch::Tensor out = ops_[index]->forward(states[type_.edges[index].input]);
        sum = sum.defined() ? sum + out : out;
      }
      if (!sum.defined()) sum = zeros_like_step(input1);
      states[2 + step] = sum;
    }
    std::vector<torch::Tensor> outputs;
    for (int state : type_.concat) outputs.push_back(states[state]);
    return torch::cat(outputs, 1);
  }

 private:
  // What two 'none' ops produce: zeros of the step's shape (spatially halved in a reduction).
  torch::Tensor zeros_like_step(const torch::Tensor& input1) const {
    std::int64_t h = input1.size(2), w = input1.size(3);
    if (reduction_) {
      h = (h + 1) / 2;
      w = (w + 1) / 2;
    }
    return torch::zeros({input1.size(0), channels_, h, w}, input1.options());
  }

  CellType type_;
  int channels_;
  bool reduction_;
  HooksPtr hooks_;
  FactorizedReduce reduce0_{nullptr};
  Chain pre0_{nullptr}, pre1_{nullptr};
  std::vector<CellOp> ops_;
  std::vector<bool> live_, live_without_zeros_;
};
TORCH_MODULE(Cell);

class NdsCellNetwork : public Network {
 public:
  NdsCellNetwork(const CellNet& net, const TaskInfo& task) {
    const auto& hooks = shared_hooks();
    const int c = net.width;
    int prev_prev = 0, prev = 0, current = c;
    bool reduction_prev = false;
    if (ops::is_cifar_task(task)) {
      const int stem = 3 * c;
      stem_ = register_module("stem", Chain());
      stem_->add_conv(conv2d(task.channels, stem, {3, 3}, {1, 1}, {1, 1}), hooks);
      stem_->add_norm(stem, hooks);
      prev_prev = prev = stem;
    } else {
      stem_ = register_module("stem0", Chain());
      stem_->add_conv(conv2d(task.channels, c / 2, {3, 3}, {2, 2}, {1, 1}), hooks);
      stem_->add_norm(c / 2, hooks);
      stem_->add_relu(hooks);
      stem_->add_conv(conv2d(c / 2, c, {3, 3}, {2, 2}, {1, 1}), hooks);
      stem_->add_norm(c, hooks);
      stem1_ = register_module("stem1", Chain());
      stem1_->add_relu(hooks);
      stem1_->add_conv(conv2d(c, c, {3, 3}, {2, 2}, {1, 1}), hooks);
      stem1_->add_norm(c, hooks);
      prev_prev = prev = c;
      reduction_prev = true;
    }
    for (int i = 0; i < net.depth; ++i) {
      const bool reduction = is_reduction(i, net.depth);
      if (reduction) current *= 2;
      Cell cell(reduction ? net.reduce : net.normal, prev_prev, prev, current, reduction,
                reduction_prev, hooks);
      reduction_prev = reduction;
      prev_prev = prev;
      prev = cell->multiplier() * current;
      cells_.push_back(register_module("cell" + std::to_string(i), cell));
    }
    classifier_ = register_module(
        "classifier", ops::TappedLinear(torch::nn::LinearOptions(prev, task.num_classes), hooks));
  }

  torch::Tensor forward_features(torch::Tensor input) override {
    torch::Tensor s0 = stem_->forward(input);
    torch::Tensor s1 = stem1_ ? stem1_->forward(s0) : s0;
    for (auto& cell : cells_) {
      torch::Tensor next = cell->forward(s0, s1);
      s0 = s1;
      s1 = next;
      if (hooks().on_cell_output) hooks().on_cell_output(s1);
    }
    return s1;
  }
  torch::Tensor head(torch::Tensor features) override {
    return classifier_->forward(torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1));
  }

 private:
  Chain stem_{nullptr}, stem1_{nullptr};
  std::vector<Cell> cells_;
  ops::TappedLinear classifier_{nullptr};
};

/// Operations of TE-NAS's DARTS space (TENAS lib/models/cell_operations.py DARTS_SPACE).
constexpr std::array<const char*, 8> kTenasDartsOps = {
    "none",         "skip_connect", "sep_conv_3x3", "sep_conv_5x5",
    "dil_conv_3x3", "dil_conv_5x5", "avg_pool_3x3", "max_pool_3x3"};

/// Why @p cell is not a cell of TE-NAS's DARTS space (4 steps, every step concatenated, the
/// operations of kTenasDartsOps), or "" when it is one.
std::string outside_tenas_darts_space(const CellType& cell, const std::string& kind) {
  if (cell.steps() != 4) {
    return "its " + kind + " cell has " + std::to_string(cell.steps()) + " steps (DARTS: 4)";
  }
  if (cell.concat != std::vector<int>{2, 3, 4, 5}) {
    return "its " + kind + " cell does not concatenate exactly steps 2..5";
  }
  for (const Edge& edge : cell.edges) {
    const bool known =
        std::any_of(kTenasDartsOps.begin(), kTenasDartsOps.end(),
                    [&](const char* name) { return name == std::string(edge.op.name); });
    if (!known) return "its " + kind + " cell uses " + edge.op.name + ", not a DARTS operation";
  }
  return "";
}

/// TE-NAS's thin network for its DARTS space (TENAS prune_tenas.py `model_config_thin` for
/// darts: C=1, N=1, depth=2, use_stem=False, steps=4, multiplier=4; the network is
/// search_model_darts_nasnet.py NASNetworkDARTS): the normal cell at one channel on (x, x), the
/// reduction cell at two channels on (x, normal cell output), where x is the raw one-channel
/// input, then lastact (BN + ReLU over 8 channels), global pooling and the classifier. The
/// cells are the architecture's own (TE-NAS runs its supernet with one-hot weights; see
/// proxies/tenas_lr.cpp). The operations are pycls's, which equal xautodl's DARTS operations
/// that TE-NAS builds (sep_conv = two ReLU-dw-pw-BN, dil_conv = one, skip at stride 2 =
/// FactorizedReduce); FactorizedReduce pads its shifted input by one pixel as both do, so the
/// odd 3x3 inputs reduce to 2x2 on both of its branches.
class NdsThinNetwork : public Network {
 public:
  NdsThinNetwork(const CellNet& net, int num_classes) {
    const auto& hooks = shared_hooks();
    constexpr int kInput = 1;  // the input's one channel, and stem_multiplier * C
    normal_ = register_module("cell0", Cell(net.normal, kInput, kInput, kThinChannels,
                                            /*reduction=*/false, /*reduction_prev=*/false, hooks));
    const int normal_out = normal_->multiplier() * kThinChannels;
    reduce_ = register_module("cell1", Cell(net.reduce, kInput, normal_out, 2 * kThinChannels,
                                            /*reduction=*/true, /*reduction_prev=*/false, hooks));
    const int channels = reduce_->multiplier() * 2 * kThinChannels;
    last_norm_ = register_module("lastact_bn", ops::TappedBatchNorm2d(channels, hooks));
    last_relu_ = register_module("lastact_relu", ops::TappedReLU(hooks));
    classifier_ = register_module(
        "classifier", ops::TappedLinear(torch::nn::LinearOptions(channels, num_classes), hooks));
  }
  torch::Tensor forward_features(torch::Tensor input) override {
    torch::Tensor normal = normal_->forward(input, input);
    if (hooks().on_cell_output) hooks().on_cell_output(normal);
    torch::Tensor reduced = reduce_->forward(input, normal);
    if (hooks().on_cell_output) hooks().on_cell_output(reduced);
    return last_relu_->forward(last_norm_->forward(reduced));
  }
  torch::Tensor head(torch::Tensor features) override {
    return classifier_->forward(torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1));
  }

 private:
  static constexpr int kThinChannels = 1;
  Cell normal_{nullptr}, reduce_{nullptr};
  ops::TappedBatchNorm2d last_norm_{nullptr};
  ops::TappedReLU last_relu_{nullptr};
  ops::TappedLinear classifier_{nullptr};
};

// ---------------------------------------------------------------- analytic complexity

/// Counts parameters and FLOPs in the NDS cell files' convention (see the file comment).
struct Counter {
  Complexity total;
  struct Size {
    std::int64_t h, w;
  };
  /// A bias-free conv. The FLOPs take the output size as if the dilation were 1 (the NDS
  /// convention); the returned size is the true one.
  Size conv(int in, int out, std::array<int, 2> kernel, std::array<int, 2> stride,
            std::array<int, 2> padding, int dilation, int groups, Size size) {
    const Size o{(size.h + 2 * padding[0] - dilation * (kernel[0] - 1) - 1) / stride[0] + 1,
                 (size.w + 2 * padding[1] - dilation * (kernel[1] - 1) - 1) / stride[1] + 1};
    const Size counted{(size.h + 2 * padding[0] - kernel[0]) / stride[0] + 1,
                       (size.w + 2 * padding[1] - kernel[1]) / stride[1] + 1};
    const std::int64_t weights =
        static_cast<std::int64_t>(in) / groups * out * kernel[0] * kernel[1];
    total.params += weights;
    total.flops += weights * counted.h * counted.w;
    return o;
  }
  void norm(int channels) { total.params += 2 * channels; }  // no FLOPs
  void relu(int channels, Size size) { total.flops += channels * size.h * size.w; }
  /// A pool of k x k windows: k^2 per output element.
  void pool(int channels, std::int64_t kernel_area, Size out) {
    total.flops += kernel_area * channels * out.h * out.w;
  }
  // A square bias-free conv followed by a batch norm.
  Size conv_bn(int in, int out, int k, int s, int p, Size size) {
    const Size o = conv(in, out, {k, k}, {s, s}, {p, p}, 1, 1, size);
    norm(out);
    return o;
  }
  Size relu_conv_bn(int in, int out, int k, int s, int p, Size size) {
    relu(in, size);
    return conv_bn(in, out, k, s, p, size);
  }
  Size factorized_reduce(int in, int out, Size size) {
    relu(in, size);
    const Size o = conv(in, out / 2, {1, 1}, {2, 2}, {0, 0}, 1, 1, size);
    conv(in, out / 2, {1, 1}, {2, 2}, {0, 0}, 1, 1, size);
    norm(out);
    return o;
  }
  Size op(const OpSpec& op, int c, int s, Size size) {
    const int k = op.kernel;
    switch (op.kind) {
      case OpKind::kNone:
        return {(size.h + s - 1) / s, (size.w + s - 1) / s};
      case OpKind::kAvgPool:
      case OpKind::kMaxPool: {
        const Size o{(size.h + 2 * pool_padding(k) - k) / s + 1,
                     (size.w + 2 * pool_padding(k) - k) / s + 1};
        pool(c, static_cast<std::int64_t>(k) * k, o);
        return o;
      }
      case OpKind::kSkip:
        return s == 1 ? size : factorized_reduce(c, c, size);
      case OpKind::kConv:
        return relu_conv_bn(c, c, k, s, k / 2, size);
      case OpKind::kSepConv:
      case OpKind::kDilSepConv: {
        const int d = op.kind == OpKind::kDilSepConv ? 2 : 1;
        Size o = size;
        for (int half = 0; half < 2; ++half) {
          const int st = half == 0 ? s : 1;
          relu(c, o);
          o = conv(c, c, {k, k}, {st, st}, {d * (k / 2), d * (k / 2)}, d, c, o);
          o = conv(c, c, {1, 1}, {1, 1}, {0, 0}, 1, 1, o);
          norm(c);
        }
        return o;
      }
      case OpKind::kDilConv: {
        relu(c, size);
        Size o = conv(c, c, {k, k}, {s, s}, {2 * (k / 2), 2 * (k / 2)}, 2, c, size);
        o = conv(c, c, {1, 1}, {1, 1}, {0, 0}, 1, 1, o);
        norm(c);
        return o;
      }
      case OpKind::kFactorizedConv: {
        relu(c, size);
        Size o = conv(c, c, {1, k}, {1, s}, {0, k / 2}, 1, 1, size);
        o = conv(c, c, {k, 1}, {s, 1}, {k / 2, 0}, 1, 1, o);
        norm(c);
        return o;
      }
    }
    return size;
  }
};

Complexity cell_complexity(const CellNet& net, const TaskInfo& task) {
  Counter counter;
  using Size = Counter::Size;
  const int c = net.width;
  Size s0{task.height, task.width}, s1 = s0;
  int prev_prev = 0, prev = 0, current = c;
  bool reduction_prev = false;
  if (ops::is_cifar_task(task)) {
    s0 = s1 = counter.conv_bn(task.channels, 3 * c, 3, 1, 1, s0);
    prev_prev = prev = 3 * c;
  } else {
    Size x = counter.conv_bn(task.channels, c / 2, 3, 2, 1, s0);
    counter.relu(c / 2, x);
    s0 = counter.conv_bn(c / 2, c, 3, 2, 1, x);
    s1 = counter.relu_conv_bn(c, c, 3, 2, 1, s0);
    prev_prev = prev = c;
    reduction_prev = true;
  }
  for (int i = 0; i < net.depth; ++i) {
    const bool reduction = is_reduction(i, net.depth);
    if (reduction) current *= 2;
    const CellType& type = reduction ? net.reduce : net.normal;
    std::vector<Size> sizes;
    sizes.push_back(reduction_prev ? counter.factorized_reduce(prev_prev, current, s0)
                                   : counter.relu_conv_bn(prev_prev, current, 1, 1, 0, s0));
    sizes.push_back(counter.relu_conv_bn(prev, current, 1, 1, 0, s1));
    for (int step = 0; step < type.steps(); ++step) {
      Size out{};
      for (int j = 0; j < 2; ++j) {
        const Edge& edge = type.edges[2 * step + j];
        const int stride = reduction && edge.input < 2 ? 2 : 1;
        out = counter.op(edge.op, current, stride, sizes[edge.input]);
      }
      sizes.push_back(out);
    }
    reduction_prev = reduction;
    prev_prev = prev;
    prev = static_cast<int>(type.concat.size()) * current;
    s0 = s1;
    s1 = sizes[type.concat.front()];
  }
  // Global average pooling as one window over the whole map (pycls: AvgPool2d(7) on ImageNet).
  counter.pool(prev, s1.h * s1.w, {1, 1});
  counter.total.params += static_cast<std::int64_t>(prev) * task.num_classes + task.num_classes;
  counter.total.flops += static_cast<std::int64_t>(prev) * task.num_classes + task.num_classes;
  return counter.total;
}

class NdsCellSpace : public SearchSpace {
 public:
  explicit NdsCellSpace(CellSpaceInfo info) : info_(info) {}
  std::string name() const override { return info_.name; }
  std::string benchmark() const override { return info_.benchmark; }
  std::string canonical(const std::string& arch) const override {
    return parse_cell_net(arch, info_.name).canonical.dump();
  }
  std::shared_ptr<Network> build(const std::string& arch, const TaskInfo& task) const override {
    check_task(task, info_.name);
    return std::make_shared<NdsCellNetwork>(parse_cell_net(arch, info_.name), task);
  }
  /// kTenasThin: TE-NAS defines its thin network for the DARTS space, so architectures whose
  /// two cells lie in it (every record of the DARTS files) get NdsThinNetwork; any other
  /// (ENAS, PNAS, Amoeba, NASNet: 5 steps, other operations) is unsupported.
  std::shared_ptr<Network> build_variant(const std::string& arch, const TaskInfo& task,
                                         NetworkVariant variant) const override {
    if (variant != NetworkVariant::kTenasThin)
      return SearchSpace::build_variant(arch, task, variant);
    check_task(task, info_.name);
    const CellNet net = parse_cell_net(arch, info_.name);
    std::string outside = outside_tenas_darts_space(net.normal, "normal");
    if (outside.empty()) outside = outside_tenas_darts_space(net.reduce, "reduction");
    if (!outside.empty()) {
      throw UnsupportedError(std::string(info_.name) +
                             ": TE-NAS defines its tenas_thin network for the DARTS " +
                             "space only, and this architecture is outside it: " + outside);
    }
    return std::make_shared<NdsThinNetwork>(net, task.num_classes);
  }
  Complexity complexity(const std::string& arch, const TaskInfo& task) const override {
    check_task(task, info_.name);
    return cell_complexity(parse_cell_net(arch, info_.name), task);
  }

 private:
  CellSpaceInfo info_;
};

}  // namespace

std::unique_ptr<SearchSpace> make_nds_darts_space() {
  return std::make_unique<NdsCellSpace>(CellSpaceInfo{"nds_darts", "nds-darts-in"});
}
std::unique_ptr<SearchSpace> make_nds_darts_lr_wd_space() {
  return std::make_unique<NdsCellSpace>(CellSpaceInfo{"nds_darts_lr_wd", "nds-darts-lr-wd-in"});
}
std::unique_ptr<SearchSpace> make_nds_darts_fix_w_d_space() {
  return std::make_unique<NdsCellSpace>(CellSpaceInfo{"nds_darts_fix_w_d", "nds-darts-fix-w-d-in"});
}
std::unique_ptr<SearchSpace> make_nds_enas_space() {
  return std::make_unique<NdsCellSpace>(CellSpaceInfo{"nds_enas", "nds-enas-in"});
}
std::unique_ptr<SearchSpace> make_nds_pnas_space() {
  return std::make_unique<NdsCellSpace>(CellSpaceInfo{"nds_pnas", "nds-pnas-in"});
}
std::unique_ptr<SearchSpace> make_nds_amoeba_space() {
  return std::make_unique<NdsCellSpace>(CellSpaceInfo{"nds_amoeba", "nds-amoeba-in"});
}
std::unique_ptr<SearchSpace> make_nds_nasnet_space() {
  return std::make_unique<NdsCellSpace>(CellSpaceInfo{"nds_nasnet", "nds-nasnet-in"});
}

}  // namespace zcb
