// tenas_lr: number of linear regions of TE-NAS's thin network (TE-NAS, its expressivity half).
//
// Paper: Chen, Gong, Wang, "Neural Architecture Search on ImageNet in Four GPU Hours: A
// Theoretically Inspired Perspective" (TE-NAS), ICLR 2021, section 3.2.
// Reference code: VITA-Group/TENAS `lib/procedures/linear_region_counter.py`
// (Linear_Region_Collector, LinearRegionCount.update2D / calc_LR) and `prune_tenas.py`
// (`model_config_thin` and `Linear_Region_Collector(input_size=(1000, 1, 3, 3),
// sample_batch=3)`).
// Network: the thin network of the architecture (NetworkVariant::kTenasThin), which TE-NAS
// defines for its two spaces: NB201 (one cell at one channel, no stem, then BN + ReLU, pooling
// and classifier) and DARTS (a normal cell at one channel and a reduction cell at two, no stem;
// the NDS DARTS files). Other spaces record `unsupported`. Default PyTorch
// initialisation (prune_launch.py's 'kaiming_normal' + '_fanin' matches no branch of
// init_model), train mode, no gradient.
// Inputs: 3 batches of 1000 samples; a sample is a random 3x3 crop (no padding) of one random
// channel of a normalised training image (RandomCrop(3), Normalize, RandChannel(1)).
// Formula: for every sample, the outputs of every ReLU whose input is 4-D are flattened and
// concatenated; A = sign(A) in {0, 1} (3000 x M). LR = sum_i 1 / #{j : A_j = A_i}, i.e. the
// number of distinct activation patterns among the 3000 samples (calc_LR computes it through
// Hamming distances in half precision).
// Sign: higher is better (TE-NAS prefers more linear regions).
// Deviations:
// - The images: TE-NAS's loader draws 3 x 1000 distinct shuffled training images. The harness
//   gives up to 1000 real images (batch_up_to_image_count: 1000 for CIFAR here, all 158 for the
//   ImageNet16-120 stand-in), and each batch takes its 1000 crops from them in turn, so an image
//   gives 3 crops (CIFAR) or about 19 (ImageNet16-120), at independent random positions and
//   channels.
// - The network: TE-NAS measures its supernet with one-hot architecture weights, which still
//   runs every candidate operation (weight 0) and so also records the ReLUs of candidate
//   convolutions the architecture does not use. Here the architecture's own thin network is
//   measured: only its own ReLUs count. That is the network the paper's definition names.
// - sign(relu(x)) = [x > 0] is read from the ReLU input tap; the distinct patterns are counted
//   exactly (proxies::count_distinct_rows) instead of through calc_LR's half-precision sums of
//   reciprocals, which give the same integer up to float rounding.
// - One evaluation per seed (TE-NAS averages 3 re-initialisations); the harness's seeds play
//   that role. The crops are drawn from the torch RNG, which the harness seeds with the proxy
//   seed. TE-NAS's combined ranking is the `tenas` composite (results/src/composite.cpp).
#include <vector>

#include "common.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

constexpr std::int64_t kSamplesPerBatch = 1000;  // input_size[0]
constexpr int kBatches = 3;                      // sample_batch
constexpr std::int64_t kCrop = 3;                // input_size[2:]

/// kSamplesPerBatch random kCrop x kCrop crops of one random channel of @p images (N, C, H, W):
/// sample i reads image i mod N. Returns (kSamplesPerBatch, 1, kCrop, kCrop).
torch::Tensor random_crops(const torch::Tensor& images) {
  const std::int64_t count = images.size(0), channels = images.size(1);
  const std::int64_t height = images.size(2), width = images.size(3);
  if (height < kCrop || width < kCrop) {
    throw Error("tenas_lr: images of " + std::to_string(height) + "x" + std::to_string(width) +
                " are smaller than the 3x3 crops");
  }
  const auto long_options = torch::TensorOptions().dtype(torch::kInt64);
  const torch::Tensor image = torch::arange(kSamplesPerBatch, long_options).remainder(count);
  const torch::Tensor top = torch::randint(height - kCrop + 1, {kSamplesPerBatch}, long_options);
  const torch::Tensor left = torch::randint(width - kCrop + 1, {kSamplesPerBatch}, long_options);
  const torch::Tensor channel = torch::randint(channels, {kSamplesPerBatch}, long_options);
  // windows[n, c, y, x] is the kCrop x kCrop window whose top-left corner is (y, x).
  const torch::Tensor windows = images.unfold(2, kCrop, 1).unfold(3, kCrop, 1);
  return windows
      .index({image.to(images.device()), channel.to(images.device()), top.to(images.device()),
              left.to(images.device())})
      .unsqueeze(1)
      .contiguous();
}

class TenasLrProxy : public Proxy {
 public:
  std::string name() const override { return "tenas_lr"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_labels = false;
    needs.batch_size = kSamplesPerBatch;
    needs.batch_up_to_image_count = true;
    needs.network = NetworkVariant::kTenasThin;
    return needs;
  }
  ProxyInfo info() const override {
    return {
        "Chen et al., Neural Architecture Search on ImageNet in Four GPU Hours: A "
        "Theoretically Inspired Perspective (TE-NAS), ICLR 2021",
        "VITA-Group/TENAS: lib/procedures/linear_region_counter.py, prune_tenas.py", "",
        "#distinct ReLU activation patterns of the thin network (no stem, C=1; NB201 and "
        "DARTS spaces) over 3000 random 3x3 one-channel crops"};
  }
  bool higher_is_better() const override { return true; }

  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, false, "tenas_lr");
    if (context.inputs.dim() != 4) throw Error("tenas_lr: expects (N, C, H, W) images");
    std::vector<torch::Tensor> taps;
    network.hooks().on_relu_input = [&taps](const torch::Tensor& pre_activation) {
      if (pre_activation.dim() == 4) {
        taps.push_back((pre_activation.reshape({pre_activation.size(0), -1}) > 0));
      }
    };
    std::vector<torch::Tensor> patterns;
    {
      torch::NoGradGuard no_grad;
      for (int batch = 0; batch < kBatches; ++batch) {
        taps.clear();
        network.forward(random_crops(context.inputs));
        if (taps.empty()) break;
        patterns.push_back(torch::cat(taps, 1));
      }
    }
    network.hooks().on_relu_input = nullptr;
    if (patterns.size() != kBatches) {
      throw Error("tenas_lr: the network has no ReLU on a 4-D feature map");
    }
    return static_cast<double>(proxies::count_distinct_rows(torch::cat(patterns, 0)));
  }
};

}  // namespace

std::unique_ptr<Proxy> make_tenas_lr_proxy() { return std::make_unique<TenasLrProxy>(); }

}  // namespace zcb
