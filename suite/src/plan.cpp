#include "plan.hpp"

#include <algorithm>
#include <numeric>

#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"
#include "zcb/random.hpp"
#include "zcb/search_space.hpp"

namespace zcb {

std::vector<std::int64_t> sample_arch_ids(std::int64_t total, const SampleSpec& spec) {
  std::vector<std::int64_t> ids(static_cast<std::size_t>(total));
  std::iota(ids.begin(), ids.end(), 0);
  if (spec.size == 0 || spec.size >= total) return ids;
  // Partial Fisher-Yates: the first `size` slots become a uniform sample without replacement.
  PortableRng rng(spec.seed);
  for (std::int64_t i = 0; i < spec.size; ++i) {
    const auto j = i + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total - i)));
    std::swap(ids[i], ids[j]);
  }
  ids.resize(static_cast<std::size_t>(spec.size));
  std::sort(ids.begin(), ids.end());
  return ids;
}

int shard_of(const std::string& space, const std::string& task, int seed, std::int64_t position,
             int shard_count) {
  if (shard_count < 1) throw Error("shard count " + std::to_string(shard_count) + " < 1");
  if (shard_count == 1) return 0;
  // The first 8 hex digits of a sha256: the same offset on every platform and compiler.
  const std::string digest = data::sha256_hex(space + "/" + task + "/" + std::to_string(seed));
  const auto offset = static_cast<std::int64_t>(std::stoull(digest.substr(0, 8), nullptr, 16));
  return static_cast<int>((offset + position) % shard_count);
}

SpacePlan plan_space(const SpaceRun& run, const std::filesystem::path& data_root) {
  const std::string benchmark = benchmark_of(run);
  const std::filesystem::path file = data::table_path(data_root, benchmark);
  if (!std::filesystem::exists(file)) {
    throw Error("benchmark table " + file.string() + " is missing: run `zcbench convert " +
                benchmark + "` (or `zcbench run`, which converts first)");
  }
  SpacePlan plan;
  plan.table = data::read_table(file);
  plan.table_sha256 = data::sha256_file(file);
  const auto total = static_cast<std::int64_t>(plan.table.size());
  if (run.archs.empty()) {
    plan.archs = sample_arch_ids(total, run.sample);
  } else {
    for (std::int64_t id : run.archs) {
      if (id < 0 || id >= total) {
        throw Error("run of space '" + run.space + "': architecture id " + std::to_string(id) +
                    " is not a row of " + file.string() + " (0.." + std::to_string(total - 1) +
                    ")");
      }
    }
    plan.archs = run.archs;
    std::sort(plan.archs.begin(), plan.archs.end());
    plan.archs.erase(std::unique(plan.archs.begin(), plan.archs.end()), plan.archs.end());
  }
  plan.tasks = run.tasks;
  if (plan.tasks.empty()) {
    for (const auto& task : plan.table.tasks) plan.tasks.push_back(task.info.name);
  }
  for (const std::string& task : plan.tasks) plan.table.task(task);  // unknown: lists known
  return plan;
}

}  // namespace zcb
