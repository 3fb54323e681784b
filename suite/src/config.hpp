/// @file config.hpp
/// @brief The run config: what a `zcbench run` scores and how (committed JSON files).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace zcb {

/// Constants of the composites that take them (results/composite.hpp, e.g. swap_reg's mu and
/// sigma): composite name -> option -> value.
using ProxyOptions = std::map<std::string, std::map<std::string, double>>;

/// Which architectures of a space are scored: a fixed random sample or all of them.
struct SampleSpec {
  std::int64_t size = 0;   ///< 0 = every architecture of the table
  std::uint64_t seed = 0;  ///< sampling seed (portable PRNG, so the sample is the same everywhere)
};

/// One space with its tasks and proxies.
struct SpaceRun {
  std::string space;
  /// The benchmark table scored, when not the space's default (SearchSpace::benchmark()): e.g.
  /// `nds-darts-cifar` for the nds_darts space, whose default is the ImageNet sweep.
  std::string benchmark;
  std::vector<std::string> tasks;  ///< empty = every task of the table
  std::vector<std::string> proxies;
  SampleSpec sample;
  /// Explicit architecture ids (table rows) instead of a sample, e.g. a space's largest network
  /// or the architectures a paper reports; empty = use `sample`.
  std::vector<std::int64_t> archs;
  std::map<std::string, std::string> ground_truth;  ///< task -> metric; absent = table default
  /// Images per batch for this space; 0 = the config's batch_size. ImageNet-resolution and
  /// dense-prediction spaces cost 10-100x more per image than CIFAR ones.
  int batch_size = 0;
  /// Composite constants for this space, replacing the config's for the composites it names
  /// (a size prior such as swap_reg's mu is in the space's own parameter range).
  ProxyOptions proxy_options;
  /// Batch sizes that replace a proxy's own for this space (naswot's reference 128, say, by
  /// the one minibatch NAS-Bench-Suite-Zero gave every proxy), on top of the config's.
  std::map<std::string, int> proxy_batch_size;
};

/// Bootstrap settings of the stats stage.
struct BootstrapConfig {
  int samples = 1000;
  double confidence = 0.95;
  std::string method = "percentile";
};

/// A whole run config.
struct RunConfig {
  std::string name;
  std::filesystem::path source;  ///< file it was read from
  std::uint64_t base_seed = 0;
  std::vector<int> seeds{0};  ///< repetitions; seed k uses base seed base_seed + k
  int batch_size = 64;        ///< images per batch unless a proxy asks otherwise
  std::vector<SpaceRun> runs;
  std::vector<std::string> statistics{"spearman", "kendall_tau_b", "pearson", "top10_precision",
                                      "top10_regret"};
  BootstrapConfig bootstrap;
  int workers = 2;  ///< worker processes (0 = score in this process)
  int threads_per_worker = 1;
  std::string device = "auto";  ///< auto, cpu or cuda
  /// Composite constants for every run that does not give its own (SpaceRun::proxy_options).
  /// Checked at parse time for every composite the runs name, so a missing constant fails
  /// before any scoring.
  ProxyOptions proxy_options;
  /// Batch sizes that replace a proxy's own in every run (SpaceRun::proxy_batch_size).
  std::map<std::string, int> proxy_batch_size;
  nlohmann::json raw;  ///< the file as read, recorded in run.json
};

/// The proxies scored per architecture for @p run: its proxies with every rank-aggregated
/// composite (results/composite.hpp) replaced by its components, each name once, in order.
std::vector<std::string> scored_proxies(const SpaceRun& run);

/// The constants of composite @p name in @p run: the run's own, else the config's, else none.
std::map<std::string, double> composite_options_for(const RunConfig& config, const SpaceRun& run,
                                                    const std::string& name);

/// The benchmark table @p run scores: its own `benchmark`, else its space's.
std::string benchmark_of(const SpaceRun& run);

/// The batch size @p run scores with: its own, else the config's.
int batch_size_for(const RunConfig& config, const SpaceRun& run);

/// Per-proxy batch sizes of @p run: the config's `proxy_batch_size`, with the run's own
/// entries replacing them proxy by proxy. A proxy not listed keeps its own batch size, else
/// batch_size_for().
std::map<std::string, int> proxy_batch_sizes_for(const RunConfig& config, const SpaceRun& run);

/// Reads and validates a config; unknown keys and bad values are errors naming the key.
RunConfig read_run_config(const std::filesystem::path& path);
RunConfig parse_run_config(const nlohmann::json& json, const std::filesystem::path& source);

}  // namespace zcb
