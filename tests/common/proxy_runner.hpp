/// @file proxy_runner.hpp
/// @brief Scores a proxy on a network the way the harness's worker does (batch norm bypass,
/// float64, only the inputs the proxy asks for), for tests and benchmarks that bypass the
/// worker. Seeding stays with the caller.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb::test {

/// Relative tolerance for comparing float32 proxy paths with goldens that the Python
/// references computed on another machine. Float32 kernels differ across CPU generations
/// (oneDNN picks its kernels per host): two AMD EPYC hosts of this project disagree by up to
/// 3.2e-4 relative on grad_norm (toolchain.md "Determinism": about 1e-3 across hosts). A wrong
/// structure, initialisation order or formula moves these values by orders of magnitude more.
/// float64 paths (synflow) and counts stay exact.
inline constexpr double kCrossHostRelTol = 1e-3;

/// A CIFAR-shaped task description.
inline TaskInfo cifar_task(int classes = 10, int side = 32) {
  TaskInfo task;
  task.name = "cifar10";
  task.num_classes = classes;
  task.height = task.width = side;
  return task;
}

/// True when the proxy registered as @p name scores the benchmark network, so that a toy network
/// or a space's build() can stand in for it; false for proxies that ask the space for another
/// network (tenas_lr: NetworkVariant::kTenasThin), tested on that variant.
inline bool scores_benchmark_network(const std::string& name) {
  return make_proxy(name)->requirements().network == NetworkVariant::kBenchmark;
}

/// The network the harness builds for @p proxy: the space's variant that the proxy asks for.
inline std::shared_ptr<Network> build_for(const Proxy& proxy, const SearchSpace& space,
                                          const std::string& arch, const TaskInfo& task) {
  return space.build_variant(arch, task, proxy.requirements().network);
}

/// The proxies the harness computes from one cross-entropy pass (kLossBackward, default
/// requirements), in proxies.def order.
inline std::vector<std::unique_ptr<Proxy>> loss_backward_group() {
  std::vector<std::unique_ptr<Proxy>> group;
  for (const std::string& name : proxy_names()) {
    auto proxy = make_proxy(name);
    const ProxyRequirements needs = proxy->requirements();
    if (proxy->shared_pass() == SharedPass::kLossBackward && needs.batch_norm && !needs.float64 &&
        needs.batch_size == 0) {
      group.push_back(std::move(proxy));
    }
  }
  return group;
}

/// Applies @p proxy's requirements to @p network and scores it on @p inputs / @p labels.
inline double score_with_requirements(const Proxy& proxy, Network& network,
                                      const torch::Tensor& inputs, const torch::Tensor& labels,
                                      const TaskInfo& task, const Complexity* complexity) {
  const ProxyRequirements needs = proxy.requirements();
  network.hooks().bypass_batch_norm = !needs.batch_norm;
  const auto dtype = needs.float64 ? torch::kFloat64 : torch::kFloat32;
  network.to(dtype);
  ProxyContext context;
  context.task = &task;
  context.complexity = complexity;
  if (needs.needs_data) context.inputs = inputs.to(dtype);
  if (needs.needs_labels) context.labels = labels;
  return proxy.score(network, context);
}

}  // namespace zcb::test
