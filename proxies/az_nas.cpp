#include "az_nas.hpp"

#include "common.hpp"
#include "zcb/error.hpp"

namespace zcb::proxies::az_nas {
namespace {
constexpr std::int64_t kBatchSize = 64;  // the NB201 search loader's batch size
}  // namespace

ProxyRequirements requirements() {
  ProxyRequirements needs;
  needs.needs_data = false;  // az_nas is not among tss_general.ipynb's real_input_metrics
  needs.needs_labels = false;
  // The reference computes every component from one initialisation and one Gaussian batch.
  needs.seed_name = "az_nas";
  return needs;
}

const char* paper() {
  return "Lee and Ham, AZ-NAS: Assembling Zero-Cost Proxies for Network Architecture Search, "
         "CVPR 2024";
}

const char* reference() {
  return "cvlab-yonsei/AZ-NAS: NB201/ZeroShotProxy/compute_az_nas_score.py";
}

std::vector<torch::Tensor> cell_features(Network& network, const ProxyContext& context) {
  if (context.task == nullptr) throw Error("az_nas: the harness gave no task");
  {
    // model.apply(kaiming_normal_fanin_init): apply visits children before parents, which for
    // leaf layers is the same order as modules() pre-order.
    torch::NoGradGuard no_grad;
    for (const auto& module : network.modules(/*include_self=*/false)) {
      if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
        torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanIn, torch::kReLU);
        if (conv->bias.defined()) conv->bias.zero_();
      } else if (auto* linear = module->as<torch::nn::LinearImpl>()) {
        torch::nn::init::kaiming_normal_(linear->weight, 0.0, torch::kFanIn, torch::kReLU);
        if (linear->bias.defined()) linear->bias.zero_();
      } else if (auto* norm = module->as<torch::nn::BatchNorm2dImpl>()) {
        if (norm->weight.defined()) norm->weight.fill_(1.0);
        if (norm->bias.defined()) norm->bias.zero_();
      }
    }
  }
  // tss_general.ipynb passes trainloader=None for az_nas, so compute_nas_score draws
  // torch.randn(batch_size, 3, resolution, resolution) after the initialisation, with the
  // loader's batch size (64).
  const torch::Tensor inputs =
      torch::randn(proxies::network_input_shape(*context.task, kBatchSize),
                   torch::TensorOptions().dtype(torch::kFloat32).device(context.device));
  std::vector<torch::Tensor> features;
  network.hooks().on_cell_output = [&features](const torch::Tensor& output) {
    features.push_back(output);
  };
  network.forward_features(inputs);
  network.hooks().on_cell_output = nullptr;
  if (features.size() < 2) {
    throw UnsupportedError("az_nas: the network reports " + std::to_string(features.size()) +
                           " cell outputs; AZ-NAS needs at least two");
  }
  // AZ-NAS reads one backbone's feature pyramid: resolutions never grow from one cell to the
  // next. A network that runs its encoder several times (TransNAS jigsaw: once per tile)
  // restarts the pyramid, and the proxy is not defined there.
  for (std::size_t i = 1; i < features.size(); ++i) {
    if (features[i].dim() == 4 && features[i - 1].dim() == 4 &&
        features[i].size(2) > features[i - 1].size(2)) {
      throw UnsupportedError(
          "az_nas: the cell outputs are not one feature pyramid (the resolution grows at cell " +
          std::to_string(i) + "; e.g. an encoder run once per jigsaw tile)");
    }
  }
  return features;
}

std::vector<double> entropies(const std::vector<torch::Tensor>& features) {
  std::vector<double> result;
  for (const torch::Tensor& feature : features) {
    if (feature.dim() != 4) throw UnsupportedError("az_nas: a cell output is not (B, C, H, W)");
    const std::int64_t channels = feature.size(1);
    torch::Tensor flat = feature.detach().permute({0, 2, 3, 1}).reshape({-1, channels});
    flat = flat - flat.mean(0, /*keepdim=*/true);
    const torch::Tensor covariance = flat.t().mm(flat) / static_cast<double>(flat.size(0));
    const torch::Tensor eigenvalues = torch::linalg_eigvalsh(covariance);
    const torch::Tensor probabilities = eigenvalues / eigenvalues.sum();
    result.push_back((-probabilities * torch::log(probabilities + 1e-8)).sum().item<double>());
  }
  return result;
}

}  // namespace zcb::proxies::az_nas
