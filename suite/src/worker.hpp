/// @file worker.hpp
/// @brief Scores jobs with LibTorch: the only part of the harness that sees torch. Owns
/// seeding, timing (steady clock plus a device sync), devices and error capture.
#pragma once

#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "job.hpp"

namespace zcb {

class Network;
class Proxy;
struct ProxyContext;
struct Complexity;

/// Caches spaces, proxies, image sets and batches across the jobs of one process.
class JobRunner {
 public:
  JobRunner();
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;
  /// Scores every proxy of @p job. Never throws for a proxy's or a build's failure: those
  /// become rows with a status.
  JobResult run(const Job& job);

 private:
  std::shared_ptr<Network> build(const Job& job, const Proxy& proxy, ProxyContext& context,
                                 Complexity& complexity, double& build_ms);
  /// The seed of @p proxy's own draws: from (base seed, its seed name, else its name).
  static std::uint64_t proxy_seed(const Job& job, const Proxy& proxy);
  ProxyOutcome run_alone(const Job& job, const std::string& proxy_name);
  std::vector<ProxyOutcome> run_shared(const Job& job, const std::vector<std::string>& names);

  struct State;
  std::unique_ptr<State> state_;
};

/// Sets the process-wide switches once (threads, deterministic algorithms) and describes them
/// for the provenance record.
nlohmann::json configure_torch(int threads);

/// Resolves "auto" to "cuda" when a GPU is usable, else "cpu"; "cuda" without one is an error.
std::string resolve_device(const std::string& requested);

/// LibTorch and CUDA versions for provenance.
nlohmann::json torch_versions();

/// The `zcbench worker` loop: one JSON job per input line, one JSON result per output line,
/// until end of input.
int worker_main(std::istream& in, std::ostream& out, int threads);

}  // namespace zcb
