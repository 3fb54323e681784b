/// @file task.hpp
/// @brief What a task is: the description every stage reads from the benchmark table.
#pragma once

#include <string>
#include <vector>

namespace zcb {

/// One task of a benchmark (e.g. NB201 "cifar100"). Input shape and class count come from the
/// benchmark table, never from guesses in the code.
struct TaskInfo {
  std::string name;          ///< task key, e.g. "cifar10"
  int num_classes = 0;       ///< classifier width
  int channels = 3;          ///< input channels
  int height = 0;            ///< input height
  int width = 0;             ///< input width
  std::string image_source;  ///< which image set feeds the proxies, e.g. "cifar10"
  /// The loss the benchmark trained the task with, which loss-based proxies backpropagate:
  /// "cross_entropy" ((N, classes) logits, (N) class labels), "pixel_cross_entropy" ((N, C, H, W)
  /// logits, (N, H, W) labels), "mse" ((N, K) outputs and targets), "l1" ((N, C, H, W) outputs
  /// and targets) or "l1_input" (l1 with the input batch as the target).
  std::string loss = "cross_entropy";
  std::string default_metric;        ///< the table's default ground-truth column for this task
  std::vector<std::string> metrics;  ///< every ground-truth column the table holds
};

}  // namespace zcb
