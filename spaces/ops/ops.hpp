/// @file ops.hpp
/// @brief Operations shared by the search spaces. ReLUs and batch norms go through the tapped
/// modules here so proxies can see every activation (NASWOT) or bypass every batch norm
/// (synflow) on any space, without forward hooks (LibTorch has none).
#pragma once

#include <memory>
#include <string>

#include "zcb/network.hpp"
#include "zcb/task.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb::ops {

/// ReLU that reports its input to NetworkHooks::on_relu_input (PyTorch nn.ReLU, not in-place).
class TappedReLUImpl : public torch::nn::Module {
 public:
  explicit TappedReLUImpl(std::shared_ptr<NetworkHooks> hooks) : hooks_(std::move(hooks)) {}
  torch::Tensor forward(const torch::Tensor& input);

 private:
  std::shared_ptr<NetworkHooks> hooks_;
};
TORCH_MODULE(TappedReLU);

/// BatchNorm2d (affine, running statistics, PyTorch defaults) that becomes the identity while
/// NetworkHooks::bypass_batch_norm is set.
class TappedBatchNorm2dImpl : public torch::nn::Module {
 public:
  TappedBatchNorm2dImpl(int channels, std::shared_ptr<NetworkHooks> hooks);
  torch::Tensor forward(const torch::Tensor& input);

 private:
  torch::nn::BatchNorm2d norm_{nullptr};
  std::shared_ptr<NetworkHooks> hooks_;
};
TORCH_MODULE(TappedBatchNorm2d);

/// Conv2d that reports its output to NetworkHooks::on_layer_output. Holds a plain Conv2d, so
/// Network::layer_weights() and the default initialisation are those of torch::nn::Conv2d.
class TappedConv2dImpl : public torch::nn::Module {
 public:
  TappedConv2dImpl(const torch::nn::Conv2dOptions& options, std::shared_ptr<NetworkHooks> hooks);
  torch::Tensor forward(const torch::Tensor& input);
  torch::nn::Conv2d& conv() { return conv_; }

 private:
  torch::nn::Conv2d conv_{nullptr};
  std::shared_ptr<NetworkHooks> hooks_;
};
TORCH_MODULE(TappedConv2d);

/// Linear that reports its output to NetworkHooks::on_layer_output (see TappedConv2d).
class TappedLinearImpl : public torch::nn::Module {
 public:
  TappedLinearImpl(const torch::nn::LinearOptions& options, std::shared_ptr<NetworkHooks> hooks);
  torch::Tensor forward(const torch::Tensor& input);

 private:
  torch::nn::Linear linear_{nullptr};
  std::shared_ptr<NetworkHooks> hooks_;
};
TORCH_MODULE(TappedLinear);

/// LeakyReLU (TransNAS-Bench decoders). Reports its input to NetworkHooks::on_relu_input like a
/// ReLU: NASLib's activation hooks match every module whose type name contains "ReLU".
class TappedLeakyReLUImpl : public torch::nn::Module {
 public:
  TappedLeakyReLUImpl(double negative_slope, std::shared_ptr<NetworkHooks> hooks)
      : negative_slope_(negative_slope), hooks_(std::move(hooks)) {}
  torch::Tensor forward(const torch::Tensor& input);

 private:
  double negative_slope_;
  std::shared_ptr<NetworkHooks> hooks_;
};
TORCH_MODULE(TappedLeakyReLU);

/// ConvTranspose2d of the decoders. Like PyTorch's (not an nn.Conv2d), it is neither reported to
/// NetworkHooks::on_layer_output nor listed by Network::layer_weights(), so proxies select the
/// same layers as their reference code.
class TappedConvTranspose2dImpl : public torch::nn::Module {
 public:
  TappedConvTranspose2dImpl(const torch::nn::ConvTranspose2dOptions& options,
                            std::shared_ptr<NetworkHooks> hooks);
  torch::Tensor forward(const torch::Tensor& input);

 private:
  torch::nn::ConvTranspose2d conv_{nullptr};
  std::shared_ptr<NetworkHooks> hooks_;
};
TORCH_MODULE(TappedConvTranspose2d);

/// Throws zcb::Error naming @p space when @p task has no valid input shape or class count, or
/// when its input is not divisible by @p stride, the network's total downsampling (@p why says
/// where it comes from, e.g. "two stride-2 stages").
void check_task_shape(const TaskInfo& task, const std::string& space, int stride,
                      const std::string& why);

/// pycls's rule (NDS): the CIFAR network when the task (dataset) name contains "cifar".
bool is_cifar_task(const TaskInfo& task);

/// Conv2d options without bias, as every NAS cell uses them.
torch::nn::Conv2dOptions conv_options(int in_channels, int out_channels, int kernel, int stride,
                                      int padding);

/// ReLU -> Conv2d (no bias) -> BatchNorm2d: xautodl's ReLUConvBN (NB201 `nor_conv_*`).
class ReluConvBnImpl : public torch::nn::Module {
 public:
  ReluConvBnImpl(int in_channels, int out_channels, int kernel, int stride, int padding,
                 const std::shared_ptr<NetworkHooks>& hooks);
  torch::Tensor forward(const torch::Tensor& input);

 private:
  TappedReLU relu_{nullptr};
  TappedConv2d conv_{nullptr};
  TappedBatchNorm2d norm_{nullptr};
};
TORCH_MODULE(ReluConvBn);

/// Multiply-accumulates of a bias-free convolution producing out_h x out_w, counted as
/// xautodl's get_model_infos counts them.
std::int64_t conv_flops(int in_channels, int out_channels, int kernel, int out_h, int out_w);

}  // namespace zcb::ops
