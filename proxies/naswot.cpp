// naswot: log-determinant of the binary activation-code kernel.
//
// Paper: Mellor et al., "Neural Architecture Search without Training", ICML 2021.
// Reference code: BayesWatch/nas-without-training `score_networks.py` and `scores.py`
// (hook_logdet).
// Formula: for every ReLU, the code c_n = [pre-activation of image n > 0] (flattened); the
// kernel K = sum over ReLUs of (c c^T + (1 - c)(1 - c)^T), i.e. K_ij = number of units where
// images i and j agree; S = log|det K|. One real batch of 128 images, network in train mode,
// default initialisation. Sign: higher is better.
// Deviations: the reference runs a forward+backward first only to arm its hooks, then a second
// forward on the same batch to accumulate K; both forwards see the same weights and batch
// statistics, so one forward gives the same K. Each ReLU's term is computed with one matrix
// product (2 c c^T - r_i - r_j + units) instead of two, over blocks of 2^15 units; all values
// are integers below 2^24, so K is exactly the same (checked bit for bit on 300 NB201
// architectures). K is accumulated in float64, as the reference's numpy array is.
#include <algorithm>

#include "common.hpp"

namespace zcb {
namespace {

/// Units (columns of the code matrix) per block: 2^15 x 128 images x 4 bytes = 16 MiB.
constexpr std::int64_t kUnitsPerBlock = std::int64_t{1} << 15;

class NaswotProxy : public Proxy {
 public:
  std::string name() const override { return "naswot"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_labels = false;
    needs.batch_size = 128;  // score_networks.py default
    return needs;
  }
  ProxyInfo info() const override {
    return {"Mellor et al., Neural Architecture Search without Training, ICML 2021",
            "BayesWatch/nas-without-training: score_networks.py, scores.py (hook_logdet)", "",
            "log|det K|, K_ij = agreeing ReLU codes of images i and j"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    proxies::require_batch(context, false, "naswot");
    const std::int64_t batch = context.inputs.size(0);
    torch::Tensor kernel = torch::zeros(
        {batch, batch}, torch::TensorOptions().dtype(torch::kFloat64).device(context.device));
    network.hooks().on_relu_input = [&kernel, batch](const torch::Tensor& pre_activation) {
      const torch::Tensor flat = pre_activation.detach().reshape({batch, -1});
      const std::int64_t units = flat.size(1);
      // Column blocks keep the transient code matrix small (at 128x64x128x128 one ReLU's codes
      // would be 0.5 GB of float32). Every block's term is an exact integer, so K is the same
      // whatever the blocking.
      for (std::int64_t first = 0; first < units; first += kUnitsPerBlock) {
        const torch::Tensor codes =
            (flat.narrow(1, first, std::min(kUnitsPerBlock, units - first)) > 0)
                .to(torch::kFloat32);
        // c c^T + (1 - c)(1 - c)^T = 2 c c^T - r_i - r_j + units (r = ones per image): one
        // matrix product instead of two. Every term is an integer below 2^24, so float32 holds
        // it exactly and K is bit-identical to the two-product form.
        const torch::Tensor ones_per_image = codes.sum(1);
        const torch::Tensor agree = 2.0 * codes.matmul(codes.t()) - ones_per_image.unsqueeze(1) -
                                    ones_per_image.unsqueeze(0) +
                                    static_cast<double>(codes.size(1));
        kernel += agree.to(torch::kFloat64);
      }
    };
    {
      torch::NoGradGuard no_grad;
      network.forward(context.inputs);
    }
    network.hooks().on_relu_input = nullptr;
    return std::get<1>(torch::linalg_slogdet(kernel)).item<double>();
  }
};

}  // namespace

std::unique_ptr<Proxy> make_naswot_proxy() { return std::make_unique<NaswotProxy>(); }

}  // namespace zcb
