#include "job.hpp"

#include <cstdio>
#include <cstring>

#include "zcb/error.hpp"

namespace zcb {
namespace {

std::string double_bits(double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  char text[19];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(bits));
  return text;
}

double double_from_bits(const std::string& text) {
  if (text.size() != 16) throw Error("worker protocol: bad score encoding '" + text + "'");
  const std::uint64_t bits = std::stoull(text, nullptr, 16);
  double value = 0.0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

}  // namespace

nlohmann::json task_to_json(const TaskInfo& task) {
  return {{"name", task.name},         {"num_classes", task.num_classes},
          {"channels", task.channels}, {"height", task.height},
          {"width", task.width},       {"image_source", task.image_source},
          {"loss", task.loss},         {"default_metric", task.default_metric},
          {"metrics", task.metrics}};
}

TaskInfo task_from_json(const nlohmann::json& json) {
  TaskInfo task;
  task.name = json.at("name").get<std::string>();
  task.num_classes = json.at("num_classes").get<int>();
  task.channels = json.at("channels").get<int>();
  task.height = json.at("height").get<int>();
  task.width = json.at("width").get<int>();
  task.image_source = json.at("image_source").get<std::string>();
  task.loss = json.value("loss", "cross_entropy");
  task.default_metric = json.value("default_metric", "");
  task.metrics = json.value("metrics", std::vector<std::string>{});
  return task;
}

nlohmann::json to_json(const Job& job) {
  nlohmann::json images = nlohmann::json::object();
  for (const auto& [name, path] : job.image_files) images[name] = path.string();
  return {{"job_id", job.job_id},
          {"space", job.space},
          {"task", task_to_json(job.task)},
          {"arch_id", job.arch_id},
          {"arch", job.arch},
          {"base_seed", job.base_seed},
          {"batch_size", job.batch_size},
          {"proxy_batch_sizes", job.proxy_batch_sizes},
          {"proxies", job.proxies},
          {"image_files", images},
          {"device", job.device},
          {"shared_pass", job.shared_pass}};
}

Job job_from_json(const nlohmann::json& json) {
  Job job;
  job.job_id = json.at("job_id").get<std::int64_t>();
  job.space = json.at("space").get<std::string>();
  job.task = task_from_json(json.at("task"));
  job.arch_id = json.at("arch_id").get<std::int64_t>();
  job.arch = json.at("arch").get<std::string>();
  job.base_seed = json.at("base_seed").get<std::uint64_t>();
  job.batch_size = json.at("batch_size").get<int>();
  job.proxy_batch_sizes = json.value("proxy_batch_sizes", std::map<std::string, int>());
  job.proxies = json.at("proxies").get<std::vector<std::string>>();
  for (const auto& item : json.at("image_files").items()) {
    job.image_files[item.key()] = item.value().get<std::string>();
  }
  job.device = json.at("device").get<std::string>();
  job.shared_pass = json.value("shared_pass", true);
  return job;
}

nlohmann::json to_json(const JobResult& result) {
  nlohmann::json outcomes = nlohmann::json::array();
  for (const auto& outcome : result.outcomes) {
    outcomes.push_back(
        {{"proxy", outcome.proxy},
         {"score_bits", double_bits(outcome.score)},
         {"status", static_cast<int>(outcome.status)},
         {"message", outcome.message},
         {"build_ms", outcome.build_ms},
         {"score_ms", outcome.score_ms},
         {"peak_rss_mib", std::isfinite(outcome.peak_rss_mib) ? nlohmann::json(outcome.peak_rss_mib)
                                                              : nlohmann::json(nullptr)}});
  }
  return {{"job_id", result.job_id}, {"outcomes", outcomes}};
}

JobResult job_result_from_json(const nlohmann::json& json) {
  JobResult result;
  result.job_id = json.at("job_id").get<std::int64_t>();
  for (const auto& item : json.at("outcomes")) {
    ProxyOutcome outcome;
    outcome.proxy = item.at("proxy").get<std::string>();
    outcome.score = double_from_bits(item.at("score_bits").get<std::string>());
    outcome.status = row_status_from_int(item.at("status").get<int>());
    outcome.message = item.at("message").get<std::string>();
    outcome.build_ms = item.at("build_ms").get<double>();
    outcome.score_ms = item.at("score_ms").get<double>();
    const auto peak = item.find("peak_rss_mib");
    if (peak != item.end() && peak->is_number()) outcome.peak_rss_mib = peak->get<double>();
    result.outcomes.push_back(std::move(outcome));
  }
  return result;
}

}  // namespace zcb
