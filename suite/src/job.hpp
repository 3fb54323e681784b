/// @file job.hpp
/// @brief The unit of scoring work and its result, and their one-line JSON wire form between
/// the planner process and the worker processes. Torch-free.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zcb/status.hpp"
#include "zcb/task.hpp"

namespace zcb {

/// Score one architecture of one task with some proxies, for one base seed.
struct Job {
  std::int64_t job_id = 0;
  std::string space;
  TaskInfo task;
  std::int64_t arch_id = 0;
  std::string arch;
  std::uint64_t base_seed = 0;
  int batch_size = 64;  ///< default batch; a proxy may ask for its own size
  /// Batch sizes that replace those proxies' own (the run config's `proxy_batch_size`).
  std::map<std::string, int> proxy_batch_sizes;
  std::vector<std::string> proxies;
  std::map<std::string, std::filesystem::path> image_files;  ///< of the `images` manifest
  std::string device = "cpu";
  /// Compute the proxies that declare the same shared pass (and the same requirements) from one
  /// build and one pass; their scores are bit-identical to computing each alone.
  bool shared_pass = true;
};

/// One proxy's outcome on the job's architecture.
struct ProxyOutcome {
  std::string proxy;
  double score = 0.0;
  RowStatus status = RowStatus::kOk;
  std::string message;
  double build_ms = 0.0;
  double score_ms = 0.0;
  double peak_rss_mib = std::nan("");  ///< see TimingRow::peak_rss_mib
};

struct JobResult {
  std::int64_t job_id = 0;
  std::vector<ProxyOutcome> outcomes;
};

/// Wire form. Scores travel as the hex of their IEEE-754 bits, so NaN, inf and every last
/// bit survive the trip.
nlohmann::json to_json(const Job& job);
Job job_from_json(const nlohmann::json& json);
nlohmann::json to_json(const JobResult& result);
JobResult job_result_from_json(const nlohmann::json& json);

nlohmann::json task_to_json(const TaskInfo& task);
TaskInfo task_from_json(const nlohmann::json& json);

}  // namespace zcb
