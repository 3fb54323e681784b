#include "ops.hpp"

#include <algorithm>
#include <cctype>

#include "zcb/error.hpp"

namespace zcb::ops {

torch::Tensor TappedReLUImpl::forward(const torch::Tensor& input) {
  if (hooks_->on_relu_input) hooks_->on_relu_input(input);
  return torch::relu(input);
}

TappedBatchNorm2dImpl::TappedBatchNorm2dImpl(int channels, std::shared_ptr<NetworkHooks> hooks)
    : norm_(register_module("bn", torch::nn::BatchNorm2d(channels))), hooks_(std::move(hooks)) {}

torch::Tensor TappedBatchNorm2dImpl::forward(const torch::Tensor& input) {
  return hooks_->bypass_batch_norm ? input : norm_->forward(input);
}

TappedConv2dImpl::TappedConv2dImpl(const torch::nn::Conv2dOptions& options,
                                   std::shared_ptr<NetworkHooks> hooks)
    : conv_(register_module("conv", torch::nn::Conv2d(options))), hooks_(std::move(hooks)) {}

torch::Tensor TappedConv2dImpl::forward(const torch::Tensor& input) {
  torch::Tensor output = conv_->forward(input);
  if (hooks_->on_layer_output) hooks_->on_layer_output(output);
  return output;
}

TappedLinearImpl::TappedLinearImpl(const torch::nn::LinearOptions& options,
                                   std::shared_ptr<NetworkHooks> hooks)
    : linear_(register_module("linear", torch::nn::Linear(options))), hooks_(std::move(hooks)) {}

torch::Tensor TappedLinearImpl::forward(const torch::Tensor& input) {
  torch::Tensor output = linear_->forward(input);
  if (hooks_->on_layer_output) hooks_->on_layer_output(output);
  return output;
}

torch::Tensor TappedLeakyReLUImpl::forward(const torch::Tensor& input) {
  if (hooks_->on_relu_input) hooks_->on_relu_input(input);
  return torch::leaky_relu(input, negative_slope_);
}

TappedConvTranspose2dImpl::TappedConvTranspose2dImpl(
    const torch::nn::ConvTranspose2dOptions& options, std::shared_ptr<NetworkHooks> hooks)
    : conv_(register_module("conv", torch::nn::ConvTranspose2d(options))),
      hooks_(std::move(hooks)) {}

torch::Tensor TappedConvTranspose2dImpl::forward(const torch::Tensor& input) {
  // Not reported to on_layer_output: that tap is "every Conv2d and Linear", as the reference
  // proxies select layers (isinstance(m, nn.Conv2d) is false for ConvTranspose2d), and
  // Network::layer_weights() leaves it out for the same reason.
  return conv_->forward(input);
}

void check_task_shape(const TaskInfo& task, const std::string& space, int stride,
                      const std::string& why) {
  if (task.num_classes <= 0 || task.height <= 0 || task.width <= 0 || task.channels <= 0) {
    throw Error(space + ": task '" + task.name + "' has no valid input shape or class count");
  }
  if (task.height % stride != 0 || task.width % stride != 0) {
    throw Error(space + ": task '" + task.name + "' input " + std::to_string(task.height) + "x" +
                std::to_string(task.width) + " is not divisible by " + std::to_string(stride) +
                " (" + why + ")");
  }
}

bool is_cifar_task(const TaskInfo& task) {
  std::string name = task.name;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name.find("cifar") != std::string::npos;
}

torch::nn::Conv2dOptions conv_options(int in_channels, int out_channels, int kernel, int stride,
                                      int padding) {
  return torch::nn::Conv2dOptions(in_channels, out_channels, kernel)
      .stride(stride)
      .padding(padding)
      .bias(false);
}

ReluConvBnImpl::ReluConvBnImpl(int in_channels, int out_channels, int kernel, int stride,
                               int padding, const std::shared_ptr<NetworkHooks>& hooks)
    : relu_(register_module("relu", TappedReLU(hooks))),
      conv_(register_module(
          "conv",
          TappedConv2d(conv_options(in_channels, out_channels, kernel, stride, padding), hooks))),
      norm_(register_module("bn", TappedBatchNorm2d(out_channels, hooks))) {}

torch::Tensor ReluConvBnImpl::forward(const torch::Tensor& input) {
  return norm_->forward(conv_->forward(relu_->forward(input)));
}

std::int64_t conv_flops(int in_channels, int out_channels, int kernel, int out_h, int out_w) {
  return static_cast<std::int64_t>(in_channels) * out_channels * kernel * kernel * out_h * out_w;
}

}  // namespace zcb::ops
