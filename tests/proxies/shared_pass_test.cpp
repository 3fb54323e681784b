// Proxies read from one shared pass give the same bits as each proxy computed alone (the
// harness's grouped route, suite/src/worker.cpp, does exactly these steps).
#include <gtest/gtest.h>

#include <cstring>

#include "proxy_runner.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

std::uint64_t bits(double value) {
  std::uint64_t out = 0;
  std::memcpy(&out, &value, sizeof(out));
  return out;
}

/// Scores @p group on two NB201 architectures alone and from one @p pass, as the worker does
/// (one build, before_pass for each, the pass, then each reader from its proxy seed), and
/// expects the same bits. @p outputs: the size pass_outputs must have (or -1: any).
void expect_grouped_equals_alone(const std::vector<std::unique_ptr<Proxy>>& group, SharedPass pass,
                                 bool with_data, long outputs) {
  torch::set_num_threads(1);
  const auto space = make_search_space("nb201");
  const TaskInfo task = test::cifar_task(10, 16);
  torch::manual_seed(11);
  const torch::Tensor inputs = with_data ? torch::randn({16, 3, 16, 16}) : torch::Tensor();
  const torch::Tensor labels =
      with_data ? torch::randint(0, 10, {16}, torch::kInt64) : torch::Tensor();
  ASSERT_GE(group.size(), 2u) << "a group needs two proxies";
  for (const auto& proxy : group) ASSERT_EQ(proxy->shared_pass(), pass) << proxy->name();
  for (const std::string arch :
       {"|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|",
        "|skip_connect~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_1x1~0|none~1|skip_connect~"
        "2|"}) {
    const Complexity complexity = space->complexity(arch, task);
    std::vector<double> alone;
    for (const auto& proxy : group) {
      torch::manual_seed(5);
      auto network = space->build(arch, task);
      network->train();
      alone.push_back(
          test::score_with_requirements(*proxy, *network, inputs, labels, task, &complexity));
    }
    torch::manual_seed(5);
    auto network = space->build(arch, task);
    network->train();
    ProxyContext context;
    context.task = &task;
    context.complexity = &complexity;
    context.inputs = inputs;
    context.labels = labels;
    std::vector<std::shared_ptr<void>> states;
    for (const auto& proxy : group) states.push_back(proxy->before_pass(*network, context));
    context.pass_outputs = run_shared_pass(pass, *network, context);
    if (outputs >= 0) ASSERT_EQ(static_cast<long>(context.pass_outputs.size()), outputs);
    for (std::size_t i = 0; i < group.size(); ++i) {
      torch::manual_seed(context.proxy_seed);
      const double shared = group[i]->score_after_pass(*network, context, states[i]);
      EXPECT_EQ(bits(shared), bits(alone[i])) << group[i]->name() << " on " << arch;
    }
  }
}

std::vector<std::unique_ptr<Proxy>> proxies_named(const std::vector<std::string>& names) {
  std::vector<std::unique_ptr<Proxy>> group;
  for (const std::string& name : names) group.push_back(make_proxy(name));
  return group;
}

// The default-requirement cross-entropy group (grad_norm, snip, fisher, plain, ...).
TEST(SharedPass, GroupedScoresEqualScoresAlone) {
  expect_grouped_equals_alone(test::loss_backward_group(), SharedPass::kLossBackward, true, 0);
}

// AZ-NAS's components read one initialisation, batch and forward (as its reference computes
// them): grouped, the forward runs once; alone, each makes the same draws; the bits agree.
TEST(SharedPass, AzNasComponentsFromOneForwardEqualEachAlone) {
  const auto group = proxies_named({"az_expressivity", "az_progressivity", "az_trainability"});
  for (const auto& proxy : group) EXPECT_EQ(proxy->requirements().seed_name, "az_nas");
  // NB201 reports 17 cell outputs: 15 cells and 2 reduction blocks.
  expect_grouped_equals_alone(group, SharedPass::kAzNasFeatures, false, 17);
}

// zico (gradients accumulated over the halves) and zico_paper (each half from zero) from one
// pair of half-batch passes.
TEST(SharedPass, ZicoVariantsFromOneHalfBatchPassEqualEachAlone) {
  expect_grouped_equals_alone(proxies_named({"zico", "zico_paper"}),
                              SharedPass::kHalfBatchGradients, true, -1);
}

}  // namespace
}  // namespace zcb
