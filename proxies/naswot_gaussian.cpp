// naswot_gaussian: NASWOT as Zen-NAS and ZiCo compute it: Gaussian weights, Gaussian inputs.
//
// Paper: Mellor et al., NASWOT, ICML 2021, in the form of the NASWOT baseline of Lin et al.,
// "Zen-NAS", ICCV 2021 (and Li et al., "ZiCo", ICLR 2023, which copies it).
// Reference code: idstcv/ZenNAS `ZeroShotProxy/compute_NASWOT_score.py`.
// Formula: the `naswot` kernel and score (K_ij = ReLU-input codes on which images i and j
// agree, summed over every ReLU; S = log|det K|), but after Zen-NAS's Gaussian re-initialisation
// (conv/linear weights N(0, 1), biases 0, batch norm gamma 1 and beta 0) and on x ~ N(0, 1) of
// shape (64, C, H, W) instead of a real batch of 128 with the default initialisation. Train mode,
// batch norm on. Sign: higher is better.
// Where the hooks sit does not separate the implementations: the original, NASLib's `nwot` and
// Zen-NAS all read the ReLU *input*, and codes read at the ReLU output (TE-NAS, SWAP style) are
// the same bits, since relu(x) > 0 exactly when x > 0. The initialisation and the inputs are what
// differ, so those make this variant.
// Deviations: the reference runs a forward and a backward of ones (its jacobian helper) and
// accumulates K on the forward; the backward cannot change K, so only the forward runs here.
// Batch 64 (Zen-NAS's CIFAR searches; its standalone script defaults to 16).
#include "common.hpp"
#include "zcb/error.hpp"
#include "zen_score.hpp"

namespace zcb {

std::unique_ptr<Proxy> make_naswot_proxy();

namespace {

class NaswotGaussianProxy : public Proxy {
 public:
  std::string name() const override { return "naswot_gaussian"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_data = false;
    needs.needs_labels = false;
    needs.batch_size = proxies::kZenBatch;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Mellor et al., NASWOT, ICML 2021, as computed by Lin et al., Zen-NAS, ICCV 2021",
            "idstcv/ZenNAS: ZeroShotProxy/compute_NASWOT_score.py", "naswot",
            "N(0, 1) weights and 64 Gaussian inputs instead of the default initialisation and 128 "
            "real images"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    if (context.task == nullptr) throw Error("naswot_gaussian: the harness gave no task");
    proxies::gaussian_init(network);
    const TaskInfo& task = *context.task;
    ProxyContext gaussian = context;
    gaussian.inputs = torch::randn(proxies::network_input_shape(task, proxies::kZenBatch),
                                   torch::TensorOptions()
                                       .dtype(network.parameters().front().scalar_type())
                                       .device(context.device));
    return naswot_->score(network, gaussian);
  }

 private:
  std::unique_ptr<Proxy> naswot_ = make_naswot_proxy();
};

}  // namespace

std::unique_ptr<Proxy> make_naswot_gaussian_proxy() {
  return std::make_unique<NaswotGaussianProxy>();
}

}  // namespace zcb
