#include "stages.hpp"

#include <H5public.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "plan.hpp"
#include "proxy_catalogue.hpp"
#include "score_stage.hpp"
#include "zcb/data/convert.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/fetch_progress.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/data/nats_table.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/data/table.hpp"
#include "zcb/error.hpp"
#include "zcb/results/composite.hpp"
#include "zcb/results/json_file.hpp"
#include "zcb/results/reference_agreement.hpp"
#include "zcb/results/score_file.hpp"
#include "zcb/results/task_stats.hpp"
#include "zcb/search_space.hpp"
#include "zcb/seeds.hpp"
#include "zcb/site/render.hpp"

#ifndef ZCB_VERSION
#define ZCB_VERSION "unknown"
#endif

namespace zcb {
const char* build_git_sha();  // generated at build time by suite/cmake/git_sha.cmake
using namespace ::zcb::data;  // NOLINT(build/namespaces): tables, fetch, images
namespace fs = std::filesystem;
namespace {

// One progress line on stderr for the whole process: rewritten in place on a terminal, a
// line every 10 s in a CI log.
ProgressLine& stderr_progress() {
  static const bool terminal = ::isatty(STDERR_FILENO) == 1;
  static ProgressLine line(std::cerr, terminal, std::chrono::milliseconds(terminal ? 250 : 10000));
  return line;
}

FetchOptions fetch_options(const StagePaths& paths) {
  FetchOptions options;
  options.data_root = paths.data_root;
  options.mirror = paths.mirror;
  options.allow_network = !paths.offline;
  options.on_progress = [](const FetchProgress& progress) { stderr_progress().update(progress); };
  options.on_notice = [](const std::string& line) { stderr_progress().notice(line); };
  // Ctrl-C / SIGTERM (main's handlers) end a download at once; its .part is resumed next time.
  options.should_stop = [] { return score_stop_requested(); };
  return options;
}

std::string run_command(const std::string& command) {
  std::string output;
  if (std::FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    pclose(pipe);
  }
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return output;
}

std::string cpu_field(const std::string& field) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind(field, 0) == 0) {
      const auto colon = line.find(':');
      return colon == std::string::npos ? "" : line.substr(colon + 2);
    }
  }
  return "";
}

std::set<std::string> source_hashes(const nlohmann::json& provenance) {
  std::set<std::string> hashes;
  if (provenance.contains("sources")) {
    for (const auto& source : provenance.at("sources")) hashes.insert(source.value("sha256", ""));
  }
  return hashes;
}

}  // namespace

std::vector<std::string> benchmarks_of(const RunConfig& config) {
  std::vector<std::string> benchmarks;
  for (const SpaceRun& run : config.runs) {
    const std::string benchmark = benchmark_of(run);
    // The space's table, then NAS-Bench-Suite-Zero's scores for it when they exist (the stats
    // stage compares our scores with them, results/reference_agreement.hpp).
    for (const std::string& name : {benchmark, suite_zero_benchmark_for(benchmark)}) {
      if (!name.empty() &&
          std::find(benchmarks.begin(), benchmarks.end(), name) == benchmarks.end()) {
        benchmarks.push_back(name);
      }
    }
  }
  return benchmarks;
}

void fetch_stage(const std::vector<std::string>& benchmarks, const StagePaths& paths) {
  std::vector<std::string> all = benchmarks;
  if (std::find(all.begin(), all.end(), "images") == all.end()) all.push_back("images");
  for (const std::string& benchmark : all) {
    const auto files = fetch_benchmark(manifest_for(benchmark), fetch_options(paths));
    std::cerr << "[fetch] " << benchmark << ": " << files.size() << " files verified in "
              << (paths.data_root / "raw" / benchmark).string() << '\n';
  }
}

void convert_stage(const std::vector<std::string>& benchmarks, const StagePaths& paths,
                   bool force) {
  for (const std::string& benchmark : benchmarks) {
    const Manifest manifest = manifest_for(benchmark);
    const auto files = fetch_benchmark(manifest, fetch_options(paths));
    const fs::path target = table_path(paths.data_root, benchmark);
    if (fs::exists(target) && !force) {
      // fetch_benchmark has just verified each file against the manifest's sha256: reuse those
      // rather than hashing the files again (only files without a published hash are read).
      std::set<std::string> wanted;
      for (const auto& [name, path] : files) {
        const std::string& known = manifest.file(name).sha256;
        // An official folder (NATS-Bench `*-simple`) is identified by one digest of its files.
        const bool folder = fs::is_directory(path);
        wanted.insert(!known.empty() ? known
                      : folder       ? nats_folder_digest(path)
                                     : sha256_file(path));
      }
      if (source_hashes(read_table(target).provenance) == wanted) {
        std::cerr << "[convert] " << benchmark << ": " << target.string() << " is up to date\n";
        continue;
      }
    }
    const BenchmarkTable table = convert_benchmark(benchmark, files);
    write_table(table, target);
    std::cerr << "[convert] " << benchmark << ": " << table.size() << " architectures, "
              << table.tasks.size() << " tasks -> " << target.string() << '\n';
  }
}

namespace {

/// One proxy's scores of one seed on one (space, task), from its merged score file.
ProxyResult load_scores(const fs::path& results_root, const std::string& space,
                        const std::string& task, const std::string& proxy, int seed) {
  const fs::path file = score_path(results_root, {space, task, proxy, seed, 0, 1});
  if (!fs::exists(file)) {
    bool sharded = false;
    if (fs::is_directory(file.parent_path())) {
      for (const auto& entry : fs::directory_iterator(file.parent_path())) {
        sharded = sharded ||
                  entry.path().filename().string().rfind(file.stem().string() + ".part-", 0) == 0;
      }
    }
    throw Error("score file " + file.string() + " is missing: " +
                (sharded ? "its shards' part files are there, run `zcbench merge` first"
                         : "run `zcbench score` first"));
  }
  ScoreFile scores = read_score_file(file);
  const nlohmann::json& settings = scores.provenance.at("settings");
  ProxyResult result;
  result.name = proxy;
  result.version = settings.value("proxy_version", 0);
  result.higher_is_better = settings.value("higher_is_better", true);
  result.rows = std::move(scores.rows);
  if (fs::exists(timing_path(file))) result.timings = read_timing_file(timing_path(file));
  result.score_file_sha256 = sha256_file(file);
  return result;
}

}  // namespace

void stats_stage(const RunConfig& config, const StagePaths& paths, const nlohmann::json& provenance,
                 const std::vector<PublishedValue>& published) {
  const fs::path stats_root = paths.results_root / "stats";
  nlohmann::json task_list = nlohmann::json::array();
  std::map<std::string, std::size_t> published_matched;  // origin -> values set beside ours
  for (const SpaceRun& run : config.runs) {
    const SpacePlan plan = plan_space(run, paths.data_root);
    const BenchmarkTable& table = plan.table;
    const std::vector<std::int64_t>& archs = plan.archs;
    const std::vector<std::string>& tasks = plan.tasks;
    // Rows with one architecture string are one network trained again (NDS reruns).
    std::vector<std::int64_t> network_of(table.arch_strings.size());
    std::map<std::string, std::int64_t> first_row;
    for (std::size_t row = 0; row < table.arch_strings.size(); ++row) {
      network_of[row] =
          first_row.emplace(table.arch_strings[row], static_cast<std::int64_t>(row)).first->second;
    }
    for (const std::string& task_name : tasks) {
      const TaskTable& task = table.task(task_name);
      const auto chosen = run.ground_truth.find(task_name);
      const std::string metric =
          chosen != run.ground_truth.end() ? chosen->second : task.info.default_metric;
      if (task.metrics.count(metric) == 0) {
        std::string known;
        for (const auto& [name, values] : task.metrics) known += (known.empty() ? "" : ", ") + name;
        throw Error("task '" + task_name + "' has no ground-truth metric '" + metric +
                    "' (known: " + known + ")");
      }
      // The statistics of one seed's score files; intervals only for the first seed, whose
      // document is the one reported (the others give the spread across seeds).
      const auto input_for = [&](int seed, bool intervals) {
        TaskStatsInput input;
        input.space = run.space;
        input.task = task_name;
        input.ground_truth_metric = metric;
        input.truth = task.metrics.at(metric);
        input.planned_archs = archs;
        input.network_of = network_of;
        input.statistics = config.statistics;
        input.bootstrap.samples = config.bootstrap.samples;
        input.bootstrap.confidence = config.bootstrap.confidence;
        input.bootstrap.method = config.bootstrap.method;
        input.bootstrap.seed = seed_for(
            SeedPurpose::kBootstrap,
            {config.base_seed + static_cast<std::uint64_t>(seed), run.space, task_name, "", 0});
        input.intervals = intervals;
        input.table_sha256 = plan.table_sha256;
        input.provenance = provenance;
        for (const std::string& proxy : run.proxies) {
          if (!is_composite(proxy)) {
            input.proxies.push_back(
                load_scores(paths.results_root, run.space, task_name, proxy, seed));
            continue;
          }
          // A composite of its components' scores (see results/composite.hpp).
          const CompositeDefinition& definition = composite_definition(proxy);
          std::vector<ProxyResult> components;
          for (const auto& component : definition.components) {
            components.push_back(
                load_scores(paths.results_root, run.space, task_name, component.proxy, seed));
          }
          input.proxies.push_back(
              compute_composite(definition, components, composite_options_for(config, run, proxy)));
        }
        return input;
      };
      const TaskStatsInput input = input_for(config.seeds.front(), true);
      nlohmann::json document = compute_task_stats(input);
      if (config.seeds.size() > 1) {
        std::vector<nlohmann::json> others;
        for (std::size_t k = 1; k < config.seeds.size(); ++k) {
          others.push_back(compute_task_stats(input_for(config.seeds[k], false)));
        }
        std::vector<const nlohmann::json*> per_seed = {&document};
        for (const nlohmann::json& other : others) per_seed.push_back(&other);
        add_seed_spread(document, config.seeds, per_seed);
      }
      // Agreement with NAS-Bench-Suite-Zero's precomputed scores, per proxy, where it has them.
      const std::string reference = suite_zero_benchmark_for(table.benchmark);
      const fs::path reference_path = table_path(paths.data_root, reference);
      if (!reference.empty() && fs::exists(reference_path)) {
        const BenchmarkTable reference_table = read_table(reference_path);
        for (std::size_t i = 0; i < input.proxies.size(); ++i) {
          document["proxies"][i]["reference"] = suite_zero_agreement(
              input.proxies[i], reference_table, table, task_name, input.bootstrap);
        }
      }
      // Published values beside ours, each under the paper's ground truth where the table has
      // it (our statistics again under that metric), else under the run's.
      const std::size_t n_common = document.value("n_common", std::size_t{0});
      std::map<std::string, nlohmann::json> under_paper_metric;
      for (const std::string& paper_metric :
           published_metrics(published, run.space, task_name, run.proxies)) {
        if (paper_metric == metric || task.metrics.count(paper_metric) == 0) continue;
        TaskStatsInput paper_input = input;
        paper_input.ground_truth_metric = paper_metric;
        paper_input.truth = task.metrics.at(paper_metric);
        under_paper_metric[paper_metric] = compute_task_stats(paper_input);
      }
      std::size_t n_published = 0;
      for (std::size_t i = 0; i < document["proxies"].size(); ++i) {
        std::map<std::string, OurStatistics> ours = {{metric, {&document["proxies"][i], n_common}}};
        for (const auto& [paper_metric, paper_document] : under_paper_metric) {
          ours[paper_metric] = {&paper_document["proxies"][i],
                                paper_document.value("n_common", std::size_t{0})};
        }
        nlohmann::json comparisons =
            compare_with_published(published, run.space, task_name,
                                   document["proxies"][i]["name"].get<std::string>(), metric, ours);
        n_published += comparisons.size();
        for (const auto& comparison : comparisons) {
          ++published_matched[comparison["origin"].get<std::string>()];
        }
        document["proxies"][i]["published"] = std::move(comparisons);
      }
      if (task.metric_descriptions.count(metric) != 0) {
        document["ground_truth_description"] = task.metric_descriptions.at(metric);
      }
      const std::string relative = run.space + "/" + task_name + ".json";
      write_json_atomically(stats_root / relative, document);
      task_list.push_back({{"space", run.space}, {"task", task_name}, {"file", relative}});
      std::cerr << "[stats] " << relative << ": " << n_common << " architectures in common, "
                << n_published << " published values beside ours\n";
    }
  }
  // Where the published values came from (the built-in table, --published files), and how many
  // matched a proxy and task of this run: a user's file that matches nothing has a typo.
  std::map<std::string, std::size_t> published_origins;
  for (const PublishedValue& value : published) ++published_origins[value.origin];
  nlohmann::json published_sources = nlohmann::json::array();
  for (const auto& [origin, count] : published_origins) {
    published_sources.push_back(
        {{"origin", origin}, {"values", count}, {"matched", published_matched[origin]}});
    std::cerr << "[stats] published values from " << origin << ": " << published_matched[origin]
              << " of " << count << " match a proxy and task of this run\n";
  }
  // What the site's proxy pages say about each proxy of the run, in first-use order, with the
  // constants a composite was computed with ("this run: mu = 1000, ..." or one entry per space)
  // and any batch size the config gave a proxy in place of its own.
  std::vector<std::string> catalogued;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> settings_by_space;
  for (const SpaceRun& run : config.runs) {
    const std::map<std::string, int> batches = proxy_batch_sizes_for(config, run);
    for (const std::string& proxy : run.proxies) {
      if (std::find(catalogued.begin(), catalogued.end(), proxy) == catalogued.end()) {
        catalogued.push_back(proxy);
      }
      const auto batch = batches.find(proxy);
      const std::string text =
          batch != batches.end()
              ? "batch " + std::to_string(batch->second) + " (the run config's proxy_batch_size)"
              : describe_options(composite_options_for(config, run, proxy));
      settings_by_space[proxy].emplace_back(run.space, text);
    }
  }
  std::map<std::string, std::string> constants;
  for (const auto& [proxy, entries] : settings_by_space) {
    const bool same = std::all_of(entries.begin(), entries.end(), [&](const auto& entry) {
      return entry.second == entries[0].second;
    });
    if (same && entries[0].second.empty()) continue;
    std::string text = same ? "this run: " + entries[0].second : "";
    for (std::size_t i = 0; !same && i < entries.size(); ++i) {
      text += (i == 0 ? "" : "; ") + entries[i].first + ": " +
              (entries[i].second.empty() ? "its own" : entries[i].second);
    }
    constants[proxy] = text;
  }
  nlohmann::json run_document = {{"kind", "run"},
                                 {"schema_version", 1},
                                 {"name", config.name},
                                 {"config", config.raw},
                                 {"provenance", provenance},
                                 {"tasks", task_list},
                                 {"published_values", published_sources},
                                 {"proxy_catalogue", proxy_catalogue(catalogued, constants)}};
  write_json_atomically(stats_root / "run.json", run_document);
}

fs::path render_stage(const StagePaths& paths) {
  const fs::path out = paths.results_root / "site";
  site::render_site(paths.results_root / "stats", out, paths.history_dir());
  std::cerr << "[render] " << (out / "index.html").string() << '\n';
  return out;
}

nlohmann::json environment_provenance() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  const std::string flags = cpu_field("flags");
  std::string isa = "baseline";
  if (flags.find(" avx2") != std::string::npos) isa = "avx2";
  if (flags.find(" avx512f") != std::string::npos) isa = "avx512";
  auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
  };
  std::error_code ignored;
  const fs::path blas =
      fs::read_symlink("/etc/alternatives/libblas.so.3-x86_64-linux-gnu", ignored);
  return {
      {"zcbench_version", ZCB_VERSION},
      {"git_sha", build_git_sha()},
      {"hdf5", std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release)},
      {"libtorch_package", run_command("dpkg-query -W -f='${Version}' libtorch1.13 2>/dev/null")},
      {"blas", blas.string()},
      {"cpu", cpu_field("model name")},
      {"cpu_isa", isa},
      {"env",
       {{"ONEDNN_MAX_CPU_ISA", env("ONEDNN_MAX_CPU_ISA")},
        {"OPENBLAS_CORETYPE", env("OPENBLAS_CORETYPE")},
        {"OMP_NUM_THREADS", env("OMP_NUM_THREADS")}}}};
}

}  // namespace zcb
