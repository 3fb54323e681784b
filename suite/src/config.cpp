#include "config.hpp"

#include <algorithm>
#include <fstream>
#include <set>

#include "zcb/error.hpp"
#include "zcb/results/composite.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

using nlohmann::json;

void check_keys(const json& object, const std::set<std::string>& known, const std::string& where) {
  if (!object.is_object()) throw Error(where + " must be a JSON object");
  for (const auto& item : object.items()) {
    if (known.count(item.key()) == 0) {
      std::string list;
      for (const auto& key : known) list += (list.empty() ? "" : ", ") + key;
      throw Error(where + ": unknown key '" + item.key() + "' (known: " + list + ")");
    }
  }
}

template <typename T>
T get_or(const json& object, const std::string& key, T fallback, const std::string& where) {
  if (!object.contains(key)) return fallback;
  try {
    return object.at(key).get<T>();
  } catch (const json::exception& e) {
    throw Error(where + ": key '" + key + "' has the wrong type (" + e.what() + ")");
  }
}

/// `proxy_options` of @p object (config or run): only composites that take constants.
ProxyOptions parse_proxy_options(const json& object, const std::string& where) {
  ProxyOptions options = get_or<ProxyOptions>(object, "proxy_options", {}, where);
  for (const auto& [name, values] : options) {
    if (!is_composite(name) || composite_definition(name).options.empty()) {
      throw Error(where + ".proxy_options: '" + name +
                  "' takes no options (only composites with constants do, e.g. swap_reg)");
    }
  }
  return options;
}

/// `proxy_batch_size` of @p object (config or run): proxy name -> images per batch, > 0.
std::map<std::string, int> parse_proxy_batch_size(const json& object, const std::string& where) {
  const auto sizes = get_or<std::map<std::string, int>>(object, "proxy_batch_size", {}, where);
  for (const auto& [name, size] : sizes) {
    if (size <= 0) throw Error(where + ".proxy_batch_size." + name + " must be positive");
    if (is_composite(name)) {
      throw Error(where + ".proxy_batch_size: '" + name +
                  "' is a composite; give its components' batch sizes");
    }
  }
  return sizes;
}

SpaceRun parse_space_run(const json& object, const std::string& where) {
  check_keys(object,
             {"space", "benchmark", "tasks", "proxies", "sample", "archs", "ground_truth",
              "batch_size", "proxy_options", "proxy_batch_size"},
             where);
  SpaceRun run;
  run.space = get_or<std::string>(object, "space", "", where);
  if (run.space.empty()) throw Error(where + ": 'space' is required");
  run.benchmark = get_or<std::string>(object, "benchmark", "", where);
  run.tasks = get_or<std::vector<std::string>>(object, "tasks", {}, where);
  run.proxies = get_or<std::vector<std::string>>(object, "proxies", {}, where);
  if (run.proxies.empty()) throw Error(where + ": 'proxies' must list at least one proxy");
  if (object.contains("sample")) {
    const json& sample = object.at("sample");
    check_keys(sample, {"size", "seed"}, where + ".sample");
    run.sample.size = get_or<std::int64_t>(sample, "size", 0, where + ".sample");
    run.sample.seed = get_or<std::uint64_t>(sample, "seed", 0, where + ".sample");
    if (run.sample.size < 0) throw Error(where + ".sample.size must be >= 0");
  }
  run.archs = get_or<std::vector<std::int64_t>>(object, "archs", {}, where);
  if (object.contains("archs") && object.contains("sample")) {
    throw Error(where + ": give either 'sample' or 'archs', not both");
  }
  if (object.contains("archs") && run.archs.empty()) {
    throw Error(where + ": 'archs' must list at least one architecture id");
  }
  run.ground_truth = get_or<std::map<std::string, std::string>>(object, "ground_truth", {}, where);
  run.batch_size = get_or<int>(object, "batch_size", 0, where);
  if (run.batch_size < 0) throw Error(where + ": 'batch_size' must be positive");
  run.proxy_options = parse_proxy_options(object, where);
  run.proxy_batch_size = parse_proxy_batch_size(object, where);
  return run;
}

}  // namespace

RunConfig parse_run_config(const json& raw, const std::filesystem::path& source) {
  const std::string where = source.string();
  check_keys(
      raw,
      {"name", "base_seed", "seeds", "batch_size", "runs", "statistics", "bootstrap", "workers",
       "threads_per_worker", "device", "description", "proxy_options", "proxy_batch_size"},
      where);
  RunConfig config;
  config.source = source;
  config.raw = raw;
  config.name = get_or<std::string>(raw, "name", source.stem().string(), where);
  config.base_seed = get_or<std::uint64_t>(raw, "base_seed", 0, where);
  config.seeds = get_or<std::vector<int>>(raw, "seeds", {0}, where);
  config.batch_size = get_or<int>(raw, "batch_size", 64, where);
  config.statistics = get_or<std::vector<std::string>>(raw, "statistics", config.statistics, where);
  config.workers = get_or<int>(raw, "workers", 2, where);
  config.threads_per_worker = get_or<int>(raw, "threads_per_worker", 1, where);
  config.device = get_or<std::string>(raw, "device", "auto", where);
  if (config.seeds.empty()) throw Error(where + ": 'seeds' must not be empty");
  for (int seed : config.seeds) {
    if (seed < 0) throw Error(where + ": seeds must be >= 0");
  }
  if (config.batch_size <= 0) throw Error(where + ": 'batch_size' must be positive");
  if (config.workers < 0) throw Error(where + ": 'workers' must be >= 0");
  if (config.threads_per_worker <= 0) throw Error(where + ": 'threads_per_worker' must be > 0");
  if (config.device != "auto" && config.device != "cpu" && config.device != "cuda") {
    throw Error(where + ": 'device' must be auto, cpu or cuda");
  }
  if (raw.contains("bootstrap")) {
    const json& boot = raw.at("bootstrap");
    check_keys(boot, {"samples", "confidence", "method"}, where + ".bootstrap");
    config.bootstrap.samples = get_or<int>(boot, "samples", 1000, where + ".bootstrap");
    config.bootstrap.confidence = get_or<double>(boot, "confidence", 0.95, where + ".bootstrap");
    config.bootstrap.method =
        get_or<std::string>(boot, "method", "percentile", where + ".bootstrap");
    if (config.bootstrap.samples < 1 || config.bootstrap.confidence <= 0 ||
        config.bootstrap.confidence >= 1) {
      throw Error(where + ".bootstrap: samples must be >= 1 and 0 < confidence < 1");
    }
  }
  if (!raw.contains("runs") || !raw.at("runs").is_array() || raw.at("runs").empty()) {
    throw Error(where + ": 'runs' must be a non-empty list of {space, tasks, proxies, sample}");
  }
  for (std::size_t i = 0; i < raw.at("runs").size(); ++i) {
    config.runs.push_back(
        parse_space_run(raw.at("runs")[i], where + ".runs[" + std::to_string(i) + "]"));
  }
  config.proxy_options = parse_proxy_options(raw, where);
  config.proxy_batch_size = parse_proxy_batch_size(raw, where);
  // A batch size for a proxy that no run scores is a typo, not a setting.
  for (std::size_t i = 0; i < config.runs.size(); ++i) {
    const std::vector<std::string> scored = scored_proxies(config.runs[i]);
    for (const auto& [name, size] : config.runs[i].proxy_batch_size) {
      if (std::find(scored.begin(), scored.end(), name) == scored.end()) {
        throw Error(where + ".runs[" + std::to_string(i) + "].proxy_batch_size: '" + name +
                    "' is not scored by this run");
      }
    }
  }
  for (const auto& [name, size] : config.proxy_batch_size) {
    const bool scored = std::any_of(config.runs.begin(), config.runs.end(), [&](const SpaceRun& r) {
      const std::vector<std::string> names = scored_proxies(r);
      return std::find(names.begin(), names.end(), name) != names.end();
    });
    if (!scored) {
      throw Error(where + ".proxy_batch_size: '" + name + "' is not scored by any run");
    }
  }
  for (std::size_t i = 0; i < config.runs.size(); ++i) {
    for (const std::string& name : config.runs[i].proxies) {
      if (!is_composite(name)) continue;
      try {
        check_composite_options(composite_definition(name),
                                composite_options_for(config, config.runs[i], name));
      } catch (const Error& e) {
        throw Error(where + ".runs[" + std::to_string(i) + "]: " + e.what());
      }
    }
  }
  // Statistics and the site are per (space, task): two runs may share a space only with
  // explicit, disjoint task lists (e.g. one run per task).
  for (std::size_t i = 0; i < config.runs.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const SpaceRun& a = config.runs[j];
      const SpaceRun& b = config.runs[i];
      if (a.space != b.space) continue;
      std::string shared;
      if (a.tasks.empty() || b.tasks.empty()) {
        shared = "every task (one of them lists no tasks)";
      } else {
        for (const std::string& task : b.tasks) {
          if (std::find(a.tasks.begin(), a.tasks.end(), task) != a.tasks.end()) shared = task;
        }
      }
      if (!shared.empty()) {
        throw Error(where + ": runs[" + std::to_string(j) + "] and runs[" + std::to_string(i) +
                    "] both score " + a.space + " on " + shared +
                    "; statistics are per space and task, so put their proxies in one run or "
                    "give the runs disjoint 'tasks'");
      }
    }
  }
  return config;
}

RunConfig read_run_config(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open run config " + path.string());
  json raw;
  try {
    in >> raw;
  } catch (const json::exception& e) {
    throw Error(path.string() + ": not valid JSON (" + e.what() + ")");
  }
  return parse_run_config(raw, path);
}

std::vector<std::string> scored_proxies(const SpaceRun& run) {
  std::vector<std::string> names;
  auto add = [&names](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const std::string& name : run.proxies) {
    if (is_composite(name)) {
      for (const auto& component : composite_definition(name).components) add(component.proxy);
    } else {
      add(name);
    }
  }
  return names;
}

std::map<std::string, double> composite_options_for(const RunConfig& config, const SpaceRun& run,
                                                    const std::string& name) {
  for (const ProxyOptions* options : {&run.proxy_options, &config.proxy_options}) {
    const auto found = options->find(name);
    if (found != options->end()) return found->second;
  }
  return {};
}

std::string benchmark_of(const SpaceRun& run) {
  return run.benchmark.empty() ? make_search_space(run.space)->benchmark() : run.benchmark;
}

int batch_size_for(const RunConfig& config, const SpaceRun& run) {
  return run.batch_size > 0 ? run.batch_size : config.batch_size;
}

std::map<std::string, int> proxy_batch_sizes_for(const RunConfig& config, const SpaceRun& run) {
  std::map<std::string, int> sizes = config.proxy_batch_size;
  for (const auto& [name, size] : run.proxy_batch_size) sizes[name] = size;
  return sizes;
}

}  // namespace zcb
