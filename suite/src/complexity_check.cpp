#include "complexity_check.hpp"

#include <chrono>
#include <cmath>
#include <set>

#include "plan.hpp"
#include "zcb/data/table.hpp"
#include "zcb/network.hpp"
#include "zcb/results/reference_agreement.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
using namespace ::zcb::data;  // NOLINT(build/namespaces): tables

namespace {

/// The published params of one task: one value per row of the space's table (NaN = none).
struct PublishedParams {
  std::string task;
  std::vector<double> values;
};

bool any_finite(const std::vector<double>& values, const std::vector<std::int64_t>& ids) {
  for (std::int64_t id : ids) {
    if (std::isfinite(values.at(static_cast<std::size_t>(id)))) return true;
  }
  return false;
}

/// NAS-Bench-Suite-Zero records NASLib's parameter count (millions, 6 decimals) per task as the
/// `params@<source>` columns of `suite-zero-<benchmark>`, rows aligned with the space's table.
/// Only tables keyed by the same row ids qualify (NB101's is keyed by module hash, and NB101's
/// own table publishes params anyway).
std::vector<PublishedParams> suite_zero_params(const std::filesystem::path& data_root,
                                               const BenchmarkTable& table, std::string& source) {
  std::vector<PublishedParams> out;
  const std::string reference_name = suite_zero_benchmark_for(table.benchmark);
  if (reference_name.empty()) return out;
  const auto path = table_path(data_root, reference_name);
  if (!std::filesystem::exists(path)) return out;
  const BenchmarkTable reference = read_table(path);
  if (reference.size() != table.size()) return out;
  for (const TaskTable& task : reference.tasks) {
    bool known_task = false;
    for (const TaskTable& own : table.tasks) known_task |= own.info.name == task.info.name;
    if (!known_task) continue;
    PublishedParams published{task.info.name, std::vector<double>(table.size(), std::nan(""))};
    for (const auto& [column, values] : task.metrics) {
      if (column.rfind("params@", 0) != 0) continue;
      for (std::size_t row = 0; row < values.size(); ++row) {
        if (std::isfinite(values[row]) && std::isnan(published.values[row])) {
          published.values[row] = std::round(values[row] * 1e6);
        }
      }
      if (source.find(column) == std::string::npos) {
        source += std::string(source.empty() ? "" : ", ") + column;
      }
    }
    out.push_back(std::move(published));
  }
  if (!out.empty()) source = reference_name + " `" + source + "`, every task";
  return out;
}

}  // namespace

ComplexityReport check_complexity(const std::string& space_name,
                                  const std::filesystem::path& data_root, std::int64_t sample_size,
                                  std::int64_t build_sample) {
  const auto space = make_search_space(space_name);
  const BenchmarkTable table = read_table(table_path(data_root, space->benchmark()));
  const auto total = static_cast<std::int64_t>(table.size());
  const std::vector<std::int64_t> ids = sample_arch_ids(total, {sample_size, 1});
  std::set<std::int64_t> build_set;  // empty = build every checked architecture
  if (build_sample > 0) {
    for (std::int64_t pick :
         sample_arch_ids(static_cast<std::int64_t>(ids.size()), {build_sample, 2})) {
      build_set.insert(ids.at(static_cast<std::size_t>(pick)));
    }
  }
  ComplexityReport report;
  // The table's own counts describe its first (reference) task's network.
  std::vector<PublishedParams> published;
  if (any_finite(table.params, ids)) {
    published.push_back({table.tasks.front().info.name, table.params});
    report.params_source =
        table.benchmark + " table `params` (task " + table.tasks.front().info.name + ")";
  } else {
    std::string source;
    published = suite_zero_params(data_root, table, source);
    report.params_source = source;
  }
  if (published.empty()) published.push_back({table.tasks.front().info.name, {}});
  const bool check_flops = any_finite(table.flops, ids);

  double total_ms = 0.0, flops_rel_sum = 0.0;
  torch::NoGradGuard no_grad;
  for (const PublishedParams& reference : published) {
    const TaskInfo& task = table.task(reference.task).info;
    const bool reference_task = reference.task == table.tasks.front().info.name;
    for (std::int64_t id : ids) {
      const auto row = static_cast<std::size_t>(id);
      const double expected = reference.values.empty() ? std::nan("") : reference.values.at(row);
      // Per-task references are sparse: build only where something is published.
      if (!reference_task && std::isnan(expected)) continue;
      const std::string& arch = table.arch_strings.at(row);
      const Complexity analytic = space->complexity(arch, task);
      ++report.pairs;
      if (reference_task && analytic.flops > report.largest_flops) {
        report.largest_id = id;
        report.largest_task = task.name;
        report.largest_arch = arch;
        report.largest_flops = analytic.flops;
        report.largest_params = analytic.params;
      }
      std::string problem;
      std::string built_column;
      if (build_set.empty() || build_set.count(id) != 0) {
        const auto start = std::chrono::steady_clock::now();
        const auto network = space->build(arch, task);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        total_ms += ms;
        report.max_build_ms = std::max(report.max_build_ms, ms);
        ++report.built;
        std::int64_t built = 0;
        for (const auto& parameter : network->parameters()) built += parameter.numel();
        built_column = std::to_string(built);
        if (analytic.params != built) {
          ++report.analytic_mismatches;
          problem = "built " + std::to_string(built);
        }
      }
      if (std::isfinite(expected)) {
        ++report.params_checked;
        if (static_cast<double>(analytic.params) == expected) {
          ++report.params_matches;
        } else if (expected != std::round(expected)) {
          ++report.seed_mean_mismatches;
        } else {
          problem += (problem.empty() ? "" : ", ") + std::string("published params ") +
                     std::to_string(static_cast<std::int64_t>(expected));
        }
      }
      const double published_flops = reference_task ? table.flops.at(row) : std::nan("");
      if (check_flops && std::isfinite(published_flops) && published_flops > 0) {
        ++report.flops_checked;
        const double diff =
            std::abs(static_cast<double>(analytic.flops) - published_flops) / published_flops;
        if (static_cast<double>(analytic.flops) == published_flops) ++report.flops_matches;
        flops_rel_sum += diff;
        report.flops_max_abs_rel_diff = std::max(report.flops_max_abs_rel_diff, diff);
      }
      const auto number = [](double value) {
        return std::isfinite(value) ? std::to_string(static_cast<std::int64_t>(value))
                                    : std::string();
      };
      // Architecture strings may hold commas and quotes (NDS JSON): CSV-quote them.
      std::string quoted = "\"";
      for (char ch : arch) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      quoted += '"';
      report.csv_rows.push_back(std::to_string(id) + "," + task.name + "," + quoted + "," +
                                std::to_string(analytic.params) + "," + number(expected) + "," +
                                built_column + "," + std::to_string(analytic.flops) + "," +
                                number(published_flops));
      if (!problem.empty() && report.examples.size() < 10) {
        report.examples.push_back("arch " + std::to_string(id) + " " + arch + " (" + task.name +
                                  "): analytic " + std::to_string(analytic.params) + ", " +
                                  problem);
      }
    }
  }
  report.mean_build_ms = report.built == 0 ? 0.0 : total_ms / static_cast<double>(report.built);
  report.flops_mean_abs_rel_diff =
      report.flops_checked == 0 ? 0.0 : flops_rel_sum / static_cast<double>(report.flops_checked);
  return report;
}

}  // namespace zcb
