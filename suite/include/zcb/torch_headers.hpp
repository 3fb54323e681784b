/// @file torch_headers.hpp
/// @brief The narrow LibTorch headers zcbench's torch code uses (precompiled when
/// ZCB_USE_PCH is on). Including these instead of <torch/torch.h> saves about a quarter of
/// each torch TU's compile time.
#pragma once

#include <torch/autograd.h>
#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/functional/pooling.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>
#include <torch/types.h>
#include <torch/utils.h>
