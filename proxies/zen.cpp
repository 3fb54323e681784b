// zen: Zen-score, the log expected output change under a small input perturbation plus the
// log batch-norm scaling (data-free, Gaussian weights and inputs).
//
// Paper: Lin et al., "Zen-NAS: A Zero-Shot NAS for High-Performance Image Recognition",
// ICCV 2021; NAS-Bench-Suite-Zero (NeurIPS 2022 D&B).
// Reference code: automl/NASLib (zerocost branch) `naslib/predictors/pruners/measures/zen.py`
// (compute_zen_score, repeat=1, mixup_gamma=1e-2), a copy of idstcv/ZenNAS
// `ZeroShotProxy/compute_zen_score.py`.
// Formula: Gaussian re-initialisation (conv/linear weights N(0, 1), biases 0, BN gamma 1 and
// beta 0); x, eps ~ N(0, 1) of shape (64, C, H, W); x' = x + 0.01 eps; f = the feature map
// before global pooling (Network::forward_features, NASLib's forward_before_global_avg_pool),
// train mode, no gradients;
//   S = log(mean_n sum_chw |f(x) - f(x')|) + sum_BN log sqrt(mean_channels running_var),
// where running_var is the running variance after these two train-mode forwards (momentum 0.1
// from 1), as the code reads it, not the batch variance the paper describes.
// Sign: higher is better.
// Deviations: the batch is 64 images (NASLib uses the loader's batch shape, 64 in
// NAS-Bench-Suite-Zero; Zen-NAS's CIFAR searches use 64). The terms are added in double (the
// reference adds float32 tensors). GroupNorm (re-initialised by the reference too) does not
// occur in our spaces and is not handled.
#include "common.hpp"
#include "zcb/error.hpp"
#include "zen_score.hpp"

namespace zcb {
namespace proxies {

void gaussian_init(Network& network) {
  torch::NoGradGuard no_grad;
  for (const auto& module : network.modules(/*include_self=*/false)) {
    if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      conv->weight.normal_();
      if (conv->bias.defined()) conv->bias.zero_();
    } else if (auto* norm = module->as<torch::nn::BatchNorm2dImpl>()) {
      if (norm->weight.defined()) norm->weight.fill_(1.0);
      if (norm->bias.defined()) norm->bias.zero_();
    } else if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      linear->weight.normal_();
      if (linear->bias.defined()) linear->bias.zero_();
    }
  }
}

ZenTerms zen_terms(Network& network, const ProxyContext& context) {
  if (context.task == nullptr) throw Error("zen: the harness gave no task");
  constexpr double kMixupGamma = 1e-2;
  NetworkHooks& hooks = network.hooks();
  const bool skip_dead_paths = hooks.skip_dead_paths;
  hooks.skip_dead_paths = false;  // every batch norm's running variance enters the score
  gaussian_init(network);
  torch::NoGradGuard no_grad;
  const TaskInfo& task = *context.task;
  const auto options = torch::TensorOptions()
                           .dtype(network.parameters().front().scalar_type())
                           .device(context.device);
  const std::vector<std::int64_t> shape = network_input_shape(task, kZenBatch);
  const torch::Tensor input = torch::randn(shape, options);
  const torch::Tensor noise = torch::randn(shape, options);
  const torch::Tensor mixup_input = input + kMixupGamma * noise;
  const torch::Tensor output = network.forward_features(input);
  const torch::Tensor mixup_output = network.forward_features(mixup_input);
  hooks.skip_dead_paths = skip_dead_paths;

  ZenTerms terms;
  terms.log_difference =
      (output - mixup_output).abs().flatten(1).sum(1).mean().log().item<double>();
  for (const auto& module : network.modules(/*include_self=*/false)) {
    if (const auto* norm = module->as<torch::nn::BatchNorm2dImpl>()) {
      terms.log_bn_scaling += norm->running_var.mean().sqrt().log().item<double>();
    }
  }
  return terms;
}

}  // namespace proxies

namespace {

class ZenProxy : public Proxy {
 public:
  std::string name() const override { return "zen"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_data = false;
    needs.needs_labels = false;
    needs.batch_size = proxies::kZenBatch;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Lin et al., Zen-NAS, ICCV 2021",
            "automl/NASLib (zerocost): naslib/predictors/pruners/measures/zen.py "
            "(= idstcv/ZenNAS ZeroShotProxy/compute_zen_score.py)",
            "", "log E|f(x) - f(x + 0.01 eps)| + sum_BN log sqrt(mean running_var), Gaussian init"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network& network, const ProxyContext& context) const override {
    const proxies::ZenTerms terms = proxies::zen_terms(network, context);
    return terms.log_difference + terms.log_bn_scaling;
  }
};

}  // namespace

std::unique_ptr<Proxy> make_zen_proxy() { return std::make_unique<ZenProxy>(); }

}  // namespace zcb
