// The NB201 network against an independent PyTorch transcription of xautodl's TinyNetwork
// (reference_nb201.py): same seed, same input batch, four proxies. Equal values mean equal
// weights (same initialisation order), structure and forward pass, not just equal counts.
#include <gtest/gtest.h>

#include <cmath>

#include "proxy_runner.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
namespace {

struct Expected {
  const char* arch;
  double grad_norm, synflow, naswot, jacob_cov;
};

// /usr/bin/python3 tests/spaces/reference_nb201.py
const Expected kExpected[] = {
    {"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|",
     183.90040856599808, 8.2112407055678688e+35, 100.76784483165129, -8.015513367622308},
    {"|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_"
     "connect~2|",
     7.0461180778220296, 1.4237445826906839e+20, 98.267273784361777, -8.6068557858904082},
};

double score(const std::string& proxy_name, const std::string& arch, const torch::Tensor& inputs,
             const torch::Tensor& labels) {
  const auto space = make_search_space("nb201");
  const auto proxy = make_proxy(proxy_name);
  const TaskInfo task = test::cifar_task();
  torch::manual_seed(1);
  auto network = space->build(arch, task);
  return test::score_with_requirements(*proxy, *network, inputs, labels, task, nullptr);
}

TEST(Nb201Reference, ProxiesMatchTheXautodlTranscription) {
  torch::set_num_threads(1);
  torch::manual_seed(0);
  const torch::Tensor inputs = torch::randn({8, 3, 32, 32});
  const torch::Tensor labels = torch::randint(0, 10, {8}, torch::kInt64);
  for (const Expected& expected : kExpected) {
    SCOPED_TRACE(expected.arch);
    EXPECT_NEAR(score("grad_norm", expected.arch, inputs, labels) / expected.grad_norm, 1.0,
                test::kCrossHostRelTol);
    EXPECT_NEAR(score("synflow", expected.arch, inputs, labels) / expected.synflow, 1.0, 1e-9);
    EXPECT_NEAR(score("naswot", expected.arch, inputs, labels), expected.naswot,
                test::kCrossHostRelTol * std::abs(expected.naswot));
    EXPECT_NEAR(score("jacob_cov", expected.arch, inputs, labels), expected.jacob_cov,
                test::kCrossHostRelTol * std::abs(expected.jacob_cov));
  }
}

}  // namespace
}  // namespace zcb
