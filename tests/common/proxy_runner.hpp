/// @file proxy_runner.hpp
/// @brief Scores a proxy on a network the way the harness's worker does (batch norm bypass,
/// float64, only the inputs the proxy asks for), for tests and benchmarks that bypass the
/// worker. Seeding stays with the caller.
#pragma once

#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb::test {

/// A CIFAR-shaped task description.
inline TaskInfo cifar_task(int classes = 10, int side = 32) {
  TaskInfo task;
  task.name = "cifar10";
  task.num_classes = classes;
  task.height = task.width = side;
  return task;
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
