/// @file search_space.hpp
/// @brief The search-space interface: decode, validate and build architectures.
///
/// Torch-free on purpose: only the spaces' .cpp files and the score worker see LibTorch. An
/// architecture is named by its benchmark's canonical string; the benchmark table maps the
/// official index to that string.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "zcb/error.hpp"
#include "zcb/task.hpp"

namespace zcb {

class Network;  // torch::nn::Module based, see network.hpp

/// Parameter and FLOP counts of one built network, without training or a forward pass.
struct Complexity {
  std::int64_t params = 0;  ///< trainable parameters
  std::int64_t flops = 0;   ///< multiply-accumulates of one forward on one input, see space doc
};

/// Which network of an architecture the harness builds for a proxy (ProxyRequirements::network).
enum class NetworkVariant {
  /// The network the benchmark trained: what every proxy sees unless it asks otherwise.
  kBenchmark,
  /// TE-NAS's "thin" network for counting linear regions (VITA-Group/TENAS `prune_tenas.py`,
  /// `model_config_thin`): one cell of the architecture at width 1, no stem, then the
  /// benchmark's final batch norm, ReLU, global pooling and classifier. Its input is
  /// (N, 1, H, W).
  kTenasThin,
};

/// Stable lower-case name of @p variant ("benchmark", "tenas_thin"), for messages and files.
inline const char* to_string(NetworkVariant variant) {
  return variant == NetworkVariant::kTenasThin ? "tenas_thin" : "benchmark";
}

/// A family of architectures (one file per space under spaces/, listed in spaces.def).
class SearchSpace {
 public:
  virtual ~SearchSpace() = default;
  /// Registry name, e.g. "nb201".
  virtual std::string name() const = 0;
  /// Name of the benchmark table this space is scored against, e.g. "nb201".
  virtual std::string benchmark() const = 0;
  /// Canonical form of an architecture string; throws zcb::Error naming the problem when the
  /// string is not a valid architecture of this space.
  virtual std::string canonical(const std::string& arch) const = 0;
  /// Builds the network for @p task with the current torch RNG state (the harness seeds it).
  virtual std::shared_ptr<Network> build(const std::string& arch, const TaskInfo& task) const = 0;
  /// Builds @p variant of the network (see NetworkVariant) with the current torch RNG state.
  /// A space defines the variants its reference code defines; any other throws UnsupportedError,
  /// which the harness records as `unsupported`.
  virtual std::shared_ptr<Network> build_variant(const std::string& arch, const TaskInfo& task,
                                                 NetworkVariant variant) const {
    if (variant == NetworkVariant::kBenchmark) return build(arch, task);
    throw UnsupportedError(name() + " defines no " + to_string(variant) +
                           " network (its reference code has none)");
  }
  /// Analytic parameter and FLOP counts for @p task.
  virtual Complexity complexity(const std::string& arch, const TaskInfo& task) const = 0;
};

/// Names of all registered spaces, in spaces.def order.
std::vector<std::string> search_space_names();

/// The space registered as @p name; throws zcb::Error listing the known names otherwise.
std::unique_ptr<SearchSpace> make_search_space(const std::string& name);

}  // namespace zcb
