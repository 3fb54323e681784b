/// @file proxy.hpp
/// @brief The proxy interface. A proxy only computes a number: the harness owns seeds,
/// timing, devices and error capture (SamsungLabs foresight's measures, minus the harness).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "zcb/search_space.hpp"
#include "zcb/task.hpp"

namespace zcb {

class Network;

/// What a proxy needs from the harness.
struct ProxyRequirements {
  bool needs_data = true;    ///< needs a batch of real images
  bool needs_labels = true;  ///< needs their labels
  bool batch_norm = true;    ///< false: the harness bypasses every batch norm
  bool float64 = false;      ///< the harness converts the network to float64 first
  int batch_size = 0;        ///< images per batch; 0 = the run config's default
  /// true: batch_size is a maximum; a task whose image set has fewer images gets all of them
  /// (a proxy that draws many crops per image, such as tenas_lr, instead of an error).
  bool batch_up_to_image_count = false;
  /// Which network of the architecture the proxy scores (SearchSpace::build_variant).
  NetworkVariant network = NetworkVariant::kBenchmark;
  /// The name the proxy's seed (its own initialisation, noise and random inputs) is drawn from;
  /// empty: its own name. Proxies that their reference computes from one set of draws share
  /// one (AZ-NAS's components: "az_nas"); only proxies of one seed name share a pass.
  std::string seed_name;
};

/// Descriptive facts shown by `zcbench list proxies` and on the site.
struct ProxyInfo {
  std::string paper;       ///< citation of the paper that defines it
  std::string reference;   ///< reference code followed: repository and path
  std::string variant_of;  ///< empty, or the proxy name this is a variant of
  std::string summary;     ///< one-line formula; for a variant, what differs from variant_of
};

/// A pass over the network that several proxies can read from instead of each running its own.
enum class SharedPass {
  kNone,
  /// zero_grad, forward of the context batch, the task's loss (TaskInfo::loss; mean
  /// cross-entropy on the labels for classification) on its targets, backward: the
  /// weight gradients (and any activation gradients a proxy retained in before_pass) are then
  /// read by score_after_pass. Readers must not modify the network or its gradients.
  kLossBackward,
  /// AZ-NAS's pass (proxies/az_nas.hpp cell_features): its initialisation, a Gaussian batch and
  /// one forward. The cell features, still attached to the autograd graph, are handed to the
  /// readers in ProxyContext::pass_outputs; one reader may differentiate through them
  /// (az_trainability), the others read their values only.
  kAzNasFeatures,
  /// ZiCo's two half-batches (proxies/zico.cpp): zero_grad, forward of the batch's first half,
  /// mean cross-entropy, backward; the same on the second half after another zero_grad.
  /// pass_outputs holds the Conv2d/Linear weight gradients (Network::layer_weights order) of
  /// the first half, then those of the second: 2 x L float32 copies, undefined where a layer
  /// got no gradient.
  kHalfBatchGradients,
};

/// Everything a proxy may use besides the network. Tensors are already on the device.
struct ProxyContext {
  torch::Device device = torch::kCPU;
  torch::Tensor inputs;  ///< (N, C, H, W) float, normalised; undefined if not needed
  /// Targets of the task loss (TaskInfo::loss): (N) int64 class labels for cross_entropy,
  /// (N, H, W) int64 for pixel_cross_entropy, float outputs-shaped for mse and l1, the inputs
  /// for l1_input; undefined if not needed.
  torch::Tensor labels;
  std::uint64_t proxy_seed = 0;  ///< seed for the proxy's own draws (via a torch::Generator)
  const TaskInfo* task = nullptr;
  const Complexity* complexity = nullptr;  ///< the space's analytic counts for this arch and task
  /// What the shared pass produced for its readers (kAzNasFeatures: the cell features); empty
  /// outside score_after_pass.
  std::vector<torch::Tensor> pass_outputs;
};

/// One zero-cost proxy (one file per proxy under proxies/, listed in proxies.def).
class Proxy {
 public:
  virtual ~Proxy() = default;
  virtual std::string name() const = 0;
  /// Bumped whenever the meaning of the number changes; stored with every score.
  virtual int version() const = 0;
  virtual ProxyRequirements requirements() const = 0;
  virtual ProxyInfo info() const = 0;
  /// Direction in which the authors rank architectures.
  virtual bool higher_is_better() const = 0;
  /// The score of @p network. May modify the network (it is built afresh for every proxy).
  /// Shared-pass proxies implement it as before_pass + the pass + score_after_pass
  /// (proxies/common.hpp `score_with_own_pass`), so both routes give the same bits.
  virtual double score(Network& network, const ProxyContext& context) const = 0;

  /// The shared pass this proxy can be computed from (kNone: only score() is used).
  virtual SharedPass shared_pass() const { return SharedPass::kNone; }
  /// Called before the shared pass; may set taps (e.g. retain activation gradients). The
  /// returned state is handed to score_after_pass. Only one proxy of a group may set a tap.
  virtual std::shared_ptr<void> before_pass(Network& network, const ProxyContext& context) const {
    return nullptr;
  }
  /// The score read from the network after the shared pass, without modifying it.
  virtual double score_after_pass(Network& network, const ProxyContext& context,
                                  const std::shared_ptr<void>& state) const;
};

/// Runs the shared pass @p pass on @p network with @p context's batch (see SharedPass) and
/// returns what its readers get in ProxyContext::pass_outputs. The harness's grouped route and
/// a proxy scored alone both call it, then seed torch with each reader's proxy seed before its
/// score_after_pass.
std::vector<torch::Tensor> run_shared_pass(SharedPass pass, Network& network,
                                           const ProxyContext& context);

/// Names of all registered proxies, in proxies.def order.
std::vector<std::string> proxy_names();

/// The proxy registered as @p name; throws zcb::Error listing the known names otherwise.
std::unique_ptr<Proxy> make_proxy(const std::string& name);

/// @p proxy's requirements with its batch size replaced where @p batch_sizes (a run config's
/// `proxy_batch_size`, by proxy name) names it: the one rule that the planner records in the
/// settings and the worker runs.
inline ProxyRequirements requirements_with_batch_sizes(
    const Proxy& proxy, const std::map<std::string, int>& batch_sizes) {
  ProxyRequirements needs = proxy.requirements();
  const auto replaced = batch_sizes.find(proxy.name());
  if (replaced != batch_sizes.end()) needs.batch_size = replaced->second;
  return needs;
}

}  // namespace zcb
