// Speed of each proxy on NB201 reference architectures (CIFAR-10 shapes, batch 64, one
// thread) and of the statistics at full-space size. Not a test: run
//   build/tests/zcb_bench --benchmark_min_time=0.01
// and compare ms per architecture across machines and commits.
#include <benchmark/benchmark.h>

#include <random>

#include "proxy_runner.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/results/statistics.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {

// Largest, median-like and no-conv architectures (toolchain.md's reference set).
const char* kArchs[] = {
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~"
    "2|",
    "|nor_conv_1x1~0|+|avg_pool_3x3~0|skip_connect~1|+|none~0|nor_conv_1x1~1|avg_pool_3x3~2|",
    "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|skip_connect~0|avg_pool_3x3~1|none~2|",
};

void BM_Proxy(benchmark::State& state, const std::string& name) {
  torch::set_num_threads(1);
  const auto space = make_search_space("nb201");
  const auto proxy = make_proxy(name);
  const ProxyRequirements needs = proxy->requirements();
  const TaskInfo task = test::cifar_task();
  const std::string arch = kArchs[state.range(0)];
  const Complexity complexity = space->complexity(arch, task);
  torch::manual_seed(0);
  const int batch = needs.batch_size > 0 ? needs.batch_size : 64;
  const torch::Tensor inputs = torch::randn({batch, 3, 32, 32});
  const torch::Tensor labels = torch::randint(0, 10, {batch}, torch::kInt64);
  for (auto _ : state) {
    torch::manual_seed(1);
    auto network = space->build(arch, task);
    benchmark::DoNotOptimize(
        test::score_with_requirements(*proxy, *network, inputs, labels, task, &complexity));
  }
  state.SetLabel(arch);
}

/// The shared-pass groups: 0 = the cross-entropy group (grad_norm, snip, fisher, plain,
/// grad_norm_global), 1 = AZ-NAS's components, 2 = ZiCo's two variants.
std::vector<std::unique_ptr<Proxy>> benchmark_group(std::int64_t index, SharedPass& pass) {
  if (index == 0) {
    pass = SharedPass::kLossBackward;
    return test::loss_backward_group();
  }
  std::vector<std::unique_ptr<Proxy>> group;
  const std::vector<std::string> names =
      index == 1
          ? std::vector<std::string>{"az_expressivity", "az_progressivity", "az_trainability"}
          : std::vector<std::string>{"zico", "zico_paper"};
  for (const std::string& name : names) group.push_back(make_proxy(name));
  pass = group.front()->shared_pass();
  return group;
}

/// A shared-pass group computed the two ways the harness can (side by side, same inputs):
/// arg 1 = 0: each proxy alone (a build and a pass each); 1: one build, one pass, every reader.
/// arg 2: the group (benchmark_group).
void BM_SharedPassGroup(benchmark::State& state) {
  torch::set_num_threads(1);
  const auto space = make_search_space("nb201");
  SharedPass pass = SharedPass::kNone;
  const auto group = benchmark_group(state.range(2), pass);
  const ProxyRequirements needs = group.front()->requirements();
  const TaskInfo task = test::cifar_task();
  const std::string arch = kArchs[state.range(0)];
  const Complexity complexity = space->complexity(arch, task);
  torch::manual_seed(0);
  const int batch = needs.batch_size > 0 ? needs.batch_size : 64;
  const torch::Tensor inputs = torch::randn({batch, 3, 32, 32});
  const torch::Tensor labels = torch::randint(0, 10, {batch}, torch::kInt64);
  const bool shared = state.range(1) == 1;
  for (auto _ : state) {
    if (!shared) {
      for (const auto& proxy : group) {
        torch::manual_seed(1);
        auto network = space->build(arch, task);
        benchmark::DoNotOptimize(
            test::score_with_requirements(*proxy, *network, inputs, labels, task, &complexity));
      }
      continue;
    }
    torch::manual_seed(1);
    auto network = space->build(arch, task);
    ProxyContext context;
    context.task = &task;
    context.complexity = &complexity;
    if (needs.needs_data) context.inputs = inputs;
    if (needs.needs_labels) context.labels = labels;
    std::vector<std::shared_ptr<void>> states;
    for (const auto& proxy : group) states.push_back(proxy->before_pass(*network, context));
    context.pass_outputs = run_shared_pass(pass, *network, context);
    for (std::size_t i = 0; i < group.size(); ++i) {
      torch::manual_seed(context.proxy_seed);
      benchmark::DoNotOptimize(group[i]->score_after_pass(*network, context, states[i]));
    }
  }
  state.SetLabel(group.front()->name() + " group (" + std::to_string(group.size()) + " proxies), " +
                 (shared ? "shared" : "alone") + ", " + arch);
}
BENCHMARK(BM_SharedPassGroup)
    ->ArgsProduct({{0, 1, 2}, {0, 1}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond);

/// n pairs (x, x + noise) with correlation about 0.7.
std::pair<std::vector<double>, std::vector<double>> correlated_pairs(std::size_t n) {
  std::mt19937_64 rng(0);
  std::normal_distribution<double> normal;
  std::vector<double> x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = normal(rng);
    y[i] = x[i] + normal(rng);
  }
  return {x, y};
}

void BM_KendallFullSpace(benchmark::State& state) {
  const auto [x, y] = correlated_pairs(15625);
  for (auto _ : state) benchmark::DoNotOptimize(kendall_tau_b(x, y));
}
BENCHMARK(BM_KendallFullSpace)->Unit(benchmark::kMillisecond);

void BM_BootstrapSpearman(benchmark::State& state) {
  const auto [x, y] = correlated_pairs(1000);
  BootstrapSettings settings;
  for (auto _ : state) benchmark::DoNotOptimize(bootstrap(spearman, x, y, settings));
}
BENCHMARK(BM_BootstrapSpearman)->Unit(benchmark::kMillisecond);

}  // namespace zcb

int main(int argc, char** argv) {
  // Registered here, not from a static initialiser, so the proxy list is certainly built.
  for (const std::string& name : zcb::proxy_names()) {
    benchmark::RegisterBenchmark(("BM_Proxy/" + name).c_str(), zcb::BM_Proxy, name)
        ->DenseRange(0, 2)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
