#include "complexity_check.hpp"

#include <chrono>
#include <cmath>

#include "zcb/data/table.hpp"
#include "zcb/network.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
using namespace ::zcb::data;  // NOLINT(build/namespaces): tables, fetch, images

ComplexityReport check_complexity(const std::string& space_name, const std::filesystem::path& path,
                                  const std::vector<std::int64_t>& arch_ids) {
  const BenchmarkTable table = read_table(path);
  const auto space = make_search_space(space_name);
  const TaskInfo& task = table.tasks.front().info;
  std::vector<std::int64_t> ids = arch_ids;
  if (ids.empty()) {
    for (std::size_t i = 0; i < table.size(); ++i) ids.push_back(static_cast<std::int64_t>(i));
  }
  ComplexityReport report;
  double total_ms = 0.0;
  torch::NoGradGuard no_grad;
  for (std::int64_t id : ids) {
    const std::string& arch = table.arch_strings.at(static_cast<std::size_t>(id));
    const auto start = std::chrono::steady_clock::now();
    const auto network = space->build(arch, task);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    total_ms += ms;
    report.max_build_ms = std::max(report.max_build_ms, ms);
    std::int64_t built = 0;
    for (const auto& parameter : network->parameters()) built += parameter.numel();
    const Complexity analytic = space->complexity(arch, task);
    const double expected = table.params.at(static_cast<std::size_t>(id));
    ++report.checked;
    const bool table_ok = std::isnan(expected) || static_cast<double>(built) == expected;
    const bool seed_mean = !table_ok && expected != std::round(expected);
    if (!table_ok) ++report.table_mismatches;
    if (seed_mean) ++report.seed_mean_mismatches;
    if (analytic.params != built) ++report.analytic_mismatches;
    if (((!table_ok && !seed_mean) || analytic.params != built) && report.examples.size() < 10) {
      report.examples.push_back("arch " + std::to_string(id) + " " + arch + ": built " +
                                std::to_string(built) + ", table " + std::to_string(expected) +
                                ", analytic " + std::to_string(analytic.params));
    }
  }
  report.mean_build_ms = ids.empty() ? 0.0 : total_ms / static_cast<double>(ids.size());
  return report;
}

}  // namespace zcb
