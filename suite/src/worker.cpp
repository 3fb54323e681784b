#include "worker.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <new>

#include "allocator.hpp"
#include "zcb/data/images.hpp"
#include "zcb/error.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"
#include "zcb/seeds.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
using namespace ::zcb::data;  // NOLINT(build/namespaces): tables, fetch, images
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point start, const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool is_out_of_memory(const std::string& message) {
  return message.find("out of memory") != std::string::npos ||
         message.find("Out of memory") != std::string::npos ||
         message.find("DefaultCPUAllocator: can't allocate") != std::string::npos;
}

}  // namespace

struct JobRunner::State {
  std::map<std::string, std::unique_ptr<SearchSpace>> spaces;
  std::map<std::string, std::unique_ptr<Proxy>> proxies;
  std::map<std::string, ImageSet> image_sets;
  // (task as JSON, batch size, seed) -> inputs and targets on the CPU
  std::map<std::tuple<std::string, int, std::uint64_t>, std::pair<torch::Tensor, torch::Tensor>>
      batches;

  SearchSpace& space(const std::string& name) {
    auto& slot = spaces[name];
    if (!slot) slot = make_search_space(name);
    return *slot;
  }
  Proxy& proxy(const std::string& name) {
    auto& slot = proxies[name];
    if (!slot) slot = make_proxy(name);
    return *slot;
  }
  // The image set of @p job's task, loaded once.
  const ImageSet& images(const Job& job) {
    const std::string& source = job.task.image_source;
    auto found = image_sets.find(source);
    if (found == image_sets.end()) {
      found = image_sets.emplace(source, load_image_source(source, job.image_files)).first;
    }
    return found->second;
  }
  // The inputs and the task-loss targets of one batch of @p job's task (ProxyContext::labels).
  const std::pair<torch::Tensor, torch::Tensor>& batch(const Job& job, int size,
                                                       std::uint64_t seed) {
    const TaskInfo& task = job.task;
    const auto key = std::make_tuple(task_to_json(task).dump(), size, seed);
    auto found = batches.find(key);
    if (found != batches.end()) return found->second;
    const ImageSet& set = images(job);
    Batch drawn = sample_batch(set, size, seed, batch_layout(set, task));
    torch::Tensor inputs =
        torch::from_blob(drawn.pixels.data(), {drawn.n, drawn.channels, drawn.height, drawn.width},
                         torch::kFloat32)
            .clone();
    torch::Tensor labels = torch::from_blob(drawn.labels.data(), {drawn.n}, torch::kInt64).clone();
    // Dense and regression tasks have no real targets here (Taskonomy is absent): seeded
    // stand-ins of the shape the task's loss expects, from their own generator.
    auto generator = at::detail::createCPUGenerator(seed + 2);
    const std::int64_t n = drawn.n;
    if (task.loss == "pixel_cross_entropy") {
      labels = torch::randint(task.num_classes, {n, task.height, task.width}, generator,
                              torch::TensorOptions(torch::kInt64));
    } else if (task.loss == "mse") {
      labels =
          torch::randn({n, task.num_classes}, generator, torch::TensorOptions(torch::kFloat32));
    } else if (task.loss == "l1") {
      // Uniform in [-1, 1]: the range of the decoder's tanh output.
      labels = torch::rand({n, task.num_classes, task.height, task.width}, generator,
                           torch::TensorOptions(torch::kFloat32)) *
                   2 -
               1;
    } else if (task.loss == "l1_input") {
      labels = inputs;
    }
    return batches.emplace(key, std::make_pair(inputs, labels)).first->second;
  }
};

JobRunner::JobRunner() : state_(std::make_unique<State>()) {}
JobRunner::~JobRunner() = default;

namespace {

/// Runs @p step, turning any failure into @p outcome's status and message (the harness, not the
/// proxy, owns error capture). Returns false when the step failed.
template <typename Step>
bool capture(ProxyOutcome& outcome, Step&& step) {
  try {
    step();
    return true;
  } catch (const std::bad_alloc&) {
    outcome.status = RowStatus::kOutOfMemory;
    outcome.message = "out of memory (std::bad_alloc)";
  } catch (const UnsupportedError& e) {
    outcome.status = RowStatus::kUnsupported;
    outcome.message = std::string(e.what()).substr(0, 1000);
  } catch (const std::exception& e) {
    // c10::Error's what() carries a C++ backtrace after the first line: keep the message.
    std::string message = e.what();
    if (const auto* torch_error = dynamic_cast<const c10::Error*>(&e)) {
      message = torch_error->what_without_backtrace();
    }
    outcome.status = is_out_of_memory(message) ? RowStatus::kOutOfMemory : RowStatus::kError;
    outcome.message = message.substr(0, 1000);
  }
  outcome.score = std::nan("");
  return false;
}

void set_score(ProxyOutcome& outcome, double score) {
  outcome.score = score;
  outcome.status = std::isfinite(score) ? RowStatus::kOk : RowStatus::kNonFinite;
}

/// Proxies that can share one build and one pass: same pass kind and same requirements.
std::string group_key(const Proxy& proxy, const Job& job) {
  const ProxyRequirements needs = requirements_with_batch_sizes(proxy, job.proxy_batch_sizes);
  return std::to_string(static_cast<int>(proxy.shared_pass())) + "/" +
         std::to_string(needs.needs_data) + std::to_string(needs.needs_labels) +
         std::to_string(needs.batch_norm) + std::to_string(needs.float64) + "/" +
         std::to_string(needs.batch_size) + std::to_string(needs.batch_up_to_image_count) + "/" +
         to_string(needs.network) + "/" + needs.seed_name;
}

}  // namespace

std::shared_ptr<Network> JobRunner::build(const Job& job, const Proxy& proxy, ProxyContext& context,
                                          Complexity& complexity, double& build_ms) {
  SearchSpace& space = state_->space(job.space);
  const ProxyRequirements needs = requirements_with_batch_sizes(proxy, job.proxy_batch_sizes);
  const torch::Device device(job.device);
  complexity = space.complexity(job.arch, job.task);

  // Build: weights from (base, space, arch) only, so every proxy sees the same network.
  const SeedKey weights_key{job.base_seed, job.space, job.task.name, "", job.arch_id};
  torch::manual_seed(seed_for(SeedPurpose::kWeights, weights_key));
  const auto start = Clock::now();
  std::shared_ptr<Network> network = space.build_variant(job.arch, job.task, needs.network);
  network->hooks().bypass_batch_norm = !needs.batch_norm;
  network->to(device, needs.float64 ? torch::kFloat64 : torch::kFloat32);
  network->train();
  build_ms = elapsed_ms(start, device);

  context = ProxyContext();
  context.device = device;
  context.task = &job.task;
  context.complexity = &complexity;
  if (needs.needs_data) {
    int size = needs.batch_size > 0 ? needs.batch_size : job.batch_size;
    if (needs.batch_up_to_image_count) {
      size = static_cast<int>(std::min<std::size_t>(size, state_->images(job).size()));
    }
    const std::uint64_t data_seed =
        seed_for(SeedPurpose::kData, {job.base_seed, job.space, job.task.name, "", 0});
    const auto& [inputs, labels] = state_->batch(job, size, data_seed);
    const auto dtype = needs.float64 ? torch::kFloat64 : torch::kFloat32;
    context.inputs = inputs.to(device, dtype);
    if (needs.needs_labels) {
      context.labels = labels.is_floating_point() ? labels.to(device, dtype) : labels.to(device);
    }
  }
  return network;
}

namespace {

/// Resets the process's peak resident set (VmHWM) so that the next peak_rss_mib() measures only
/// what follows: Linux >= 4.0 resets it on "5" written to /proc/self/clear_refs. False where
/// that is not possible, so that no lifetime peak is passed off as a per-job one.
bool reset_peak_rss() {
  // Hand the heap's free pages back first: otherwise memory an earlier, larger job freed stays
  // resident and counts as this job's peak (with tcmalloc, which keeps every freed span, all
  // of it would).
  release_free_heap_memory();
  std::ofstream clear_refs("/proc/self/clear_refs");
  if (!clear_refs) return false;
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

/// VmHWM of /proc/self/status in MiB; NaN when unreadable.
double peak_rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      try {
        return std::stod(line.substr(6)) / 1024.0;  // "VmHWM:   123456 kB"
      } catch (const std::exception&) {
        break;
      }
    }
  }
  return std::nan("");
}

}  // namespace

std::uint64_t JobRunner::proxy_seed(const Job& job, const Proxy& proxy) {
  const std::string seed_name = proxy.requirements().seed_name;
  return seed_for(SeedPurpose::kProxy,
                  {job.base_seed, "", "", seed_name.empty() ? proxy.name() : seed_name, 0});
}

ProxyOutcome JobRunner::run_alone(const Job& job, const std::string& proxy_name) {
  ProxyOutcome outcome;
  outcome.proxy = proxy_name;
  const bool measure_memory = reset_peak_rss();
  capture(outcome, [&] {
    const Proxy& proxy = state_->proxy(proxy_name);
    ProxyContext context;
    Complexity complexity;
    std::shared_ptr<Network> network = build(job, proxy, context, complexity, outcome.build_ms);
    context.proxy_seed = proxy_seed(job, proxy);
    torch::manual_seed(context.proxy_seed);
    const auto start = Clock::now();
    const double score = proxy.score(*network, context);
    outcome.score_ms = elapsed_ms(start, context.device);
    set_score(outcome, score);
  });
  if (measure_memory) outcome.peak_rss_mib = peak_rss_mib();
  return outcome;
}

std::vector<ProxyOutcome> JobRunner::run_shared(const Job& job,
                                                const std::vector<std::string>& names) {
  std::vector<ProxyOutcome> outcomes(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) outcomes[i].proxy = names[i];
  // One build and one pass for the group; a failure there is every member's failure.
  ProxyOutcome shared;
  ProxyContext context;
  Complexity complexity;
  std::shared_ptr<Network> network;
  std::vector<std::shared_ptr<void>> states(names.size());
  std::vector<bool> alive(names.size(), true);
  double pass_ms = 0.0;
  const Proxy& first = state_->proxy(names.front());
  const bool measure_memory = reset_peak_rss();
  bool ok = capture(shared, [&] {
    network = build(job, first, context, complexity, shared.build_ms);
    for (std::size_t i = 0; i < names.size(); ++i) {
      alive[i] = capture(
          outcomes[i], [&] { states[i] = state_->proxy(names[i]).before_pass(*network, context); });
    }
    torch::manual_seed(proxy_seed(job, first));
    const auto start = Clock::now();
    context.pass_outputs = run_shared_pass(first.shared_pass(), *network, context);
    pass_ms = elapsed_ms(start, context.device);
  });
  for (std::size_t i = 0; i < names.size(); ++i) {
    ProxyOutcome& outcome = outcomes[i];
    outcome.build_ms = shared.build_ms;
    if (!ok) {
      outcome.status = shared.status;
      outcome.message = shared.message;
      outcome.score = std::nan("");
      continue;
    }
    if (!alive[i]) continue;
    capture(outcome, [&] {
      context.proxy_seed = proxy_seed(job, state_->proxy(names[i]));
      torch::manual_seed(context.proxy_seed);
      const auto start = Clock::now();
      const double score = state_->proxy(names[i]).score_after_pass(*network, context, states[i]);
      // The pass is shared: each member is charged an equal part of it.
      outcome.score_ms = elapsed_ms(start, context.device) + pass_ms / names.size();
      set_score(outcome, score);
    });
  }
  // The members share one network and one pass: the group's peak is each member's.
  if (measure_memory) {
    const double peak = peak_rss_mib();
    for (ProxyOutcome& outcome : outcomes) outcome.peak_rss_mib = peak;
  }
  return outcomes;
}

JobResult JobRunner::run(const Job& job) {
  JobResult result;
  result.job_id = job.job_id;
  // Group the shared-pass proxies (in order of first appearance); the rest run alone.
  std::vector<std::vector<std::string>> groups;
  std::map<std::string, std::size_t> group_of;
  for (const std::string& name : job.proxies) {
    std::string key;
    try {
      const Proxy& proxy = state_->proxy(name);
      if (job.shared_pass && proxy.shared_pass() != SharedPass::kNone) key = group_key(proxy, job);
    } catch (const std::exception&) {
      // An unknown proxy is reported by run_alone with the registry's message.
    }
    if (key.empty() || group_of.count(key) == 0) {
      if (!key.empty()) group_of[key] = groups.size();
      groups.push_back({name});
    } else {
      groups[group_of[key]].push_back(name);
    }
  }
  std::map<std::string, ProxyOutcome> by_name;
  for (const auto& group : groups) {
    if (group.size() == 1) {
      by_name[group.front()] = run_alone(job, group.front());
    } else {
      for (ProxyOutcome& outcome : run_shared(job, group)) by_name[outcome.proxy] = outcome;
    }
  }
  for (const std::string& name : job.proxies) result.outcomes.push_back(by_name.at(name));
  return result;
}

nlohmann::json configure_torch(int threads) {
  torch::set_num_threads(threads);
  // Deterministic kernels where they exist; warn rather than fail where none does (CUDA).
  at::globalContext().setDeterministicAlgorithms(true, /*warn_only=*/true);
  at::globalContext().setBenchmarkCuDNN(false);
  at::globalContext().setDeterministicCuDNN(true);
  return {{"threads", threads},
          {"deterministic_algorithms", true},
          {"cudnn_benchmark", false},
          {"cudnn_deterministic", true}};
}

std::string resolve_device(const std::string& requested) {
  const bool cuda = torch::cuda::is_available();
  if (requested == "cuda" && !cuda) {
    throw Error("device 'cuda' requested but no CUDA device is usable (use 'auto' or 'cpu')");
  }
  if (requested == "auto") return cuda ? "cuda" : "cpu";
  return requested;
}

nlohmann::json torch_versions() {
  return {{"libtorch", TORCH_VERSION},
          {"cuda_available", torch::cuda::is_available()},
          {"cuda_devices", torch::cuda::device_count()}};
}

int worker_main(std::istream& in, std::ostream& out, int threads) {
  configure_torch(threads);
  // Fault injection for the end-to-end test of crash handling: abort on this job id.
  const char* abort_job = std::getenv("ZCB_FAULT_ABORT_JOB");
  JobRunner runner;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const Job job = job_from_json(nlohmann::json::parse(line));
    if (abort_job != nullptr && std::to_string(job.job_id) == abort_job) std::abort();
    JobResult result = runner.run(job);
    out << to_json(result).dump() << '\n' << std::flush;
  }
  return 0;
}

}  // namespace zcb
