// zcbench: the command-line entry point. Sets the process-wide switches once, records them,
// and dispatches to the stages.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "complexity_check.hpp"
#include "config.hpp"
#include "plan.hpp"
#include "proxy_catalogue.hpp"
#include "score_stage.hpp"
#include "stages.hpp"
#include "worker.hpp"
#include "zcb/data/benchmark_status.hpp"
#include "zcb/data/convert.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/import_table.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/data/table.hpp"
#include "zcb/error.hpp"
#include "zcb/proxy.hpp"
#include "zcb/results/composite.hpp"
#include "zcb/results/merge.hpp"
#include "zcb/search_space.hpp"
#include "zcb/site/history.hpp"
#include "zcb/site/stats_files.hpp"
#include "zcb/site/verify.hpp"

namespace {

namespace fs = std::filesystem;

void on_stop_signal(int) { zcb::request_score_stop(); }

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: poll() returns so the planner can checkpoint
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Workers exec this very binary through /proc/self/exe, which names the running inode even
// after a rebuild replaced the file on disk: planner and workers always run the same code.
fs::path self_executable() {
  if (!fs::exists("/proc/self/exe")) {
    throw zcb::Error("cannot locate the zcbench executable (/proc/self/exe is missing)");
  }
  return "/proc/self/exe";
}

/// "I/N" (0-based shard I of N) -> {I, N}; anything else is a zcb::Error with an example.
std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      std::size_t used_index = 0, used_count = 0;
      const int index = std::stoi(text.substr(0, slash), &used_index);
      const int count = std::stoi(text.substr(slash + 1), &used_count);
      if (used_index == slash && used_count == text.size() - slash - 1 && count >= 1 &&
          index >= 0 && index < count) {
        return {index, count};
      }
    }
  } catch (const std::exception&) {
  }
  throw zcb::Error("--shard '" + text + "': expected I/N with 0 <= I < N, e.g. 0/4 ... 3/4");
}

/// `--retry` names -> statuses. "ok" is refused: rescoring finished rows is --force's job.
std::set<zcb::RowStatus> parse_retry(const std::vector<std::string>& names) {
  std::set<zcb::RowStatus> statuses;
  for (const std::string& name : names) {
    const zcb::RowStatus status = zcb::row_status_from_string(name);
    if (status == zcb::RowStatus::kOk) {
      throw zcb::Error("--retry ok: rows that scored ok are kept; --force rescores everything");
    }
    statuses.insert(status);
  }
  return statuses;
}

/// `zcbench merge`: one line per merged key; exit 0, or 3 when some key is still incomplete.
int print_merge(const fs::path& results_root) {
  const std::vector<zcb::MergedKey> merged = zcb::merge_shards(results_root);
  bool all_complete = true;
  for (const zcb::MergedKey& key : merged) {
    std::cerr << "[merge] " << fs::relative(key.target, results_root).string() << ": " << key.rows
              << " rows from " << key.parts_found << " part file(s)"
              << (key.complete ? ", complete" : ", INCOMPLETE");
    std::string parts;
    for (const std::string& part : key.missing_or_incomplete) {
      parts += (parts.empty() ? "" : ", ") + part;
    }
    std::cerr << (parts.empty() ? "" : " (missing or incomplete: " + parts + ")") << '\n';
    all_complete = all_complete && key.complete;
  }
  if (merged.empty()) {
    std::cerr << "[merge] no part files (seed-<k>.part-<i>-of-<n>.h5) under "
              << (results_root / "raw").string() << '\n';
  }
  if (!all_complete) {
    std::cerr << "[merge] some keys are incomplete: finish their shards and merge again, or run "
                 "`zcbench score` without --shard to score what is missing\n";
    return 3;
  }
  return 0;
}

void print_list(const std::string& what, const zcb::StagePaths& paths) {
  if (what == "proxies") {
    // One line of facts per proxy, then its paper and reference code, indented.
    std::cout << std::left << std::setw(20) << "proxy" << std::setw(5) << "ver" << std::setw(8)
              << "higher" << std::setw(34) << "inputs" << std::setw(16) << "variant of"
              << "formula\n";
    for (const std::string& name : zcb::proxy_names()) {
      const auto proxy = zcb::make_proxy(name);
      const std::string inputs = zcb::proxy_inputs(*proxy);
      const auto info = proxy->info();
      std::cout << std::setw(20) << name << std::setw(5) << proxy->version() << std::setw(8)
                << (proxy->higher_is_better() ? "yes" : "no") << std::setw(34) << inputs
                << std::setw(16) << (info.variant_of.empty() ? "-" : info.variant_of)
                << info.summary << "\n    " << info.paper << "\n    code: " << info.reference
                << '\n';
    }
    for (const std::string& name : zcb::composite_names()) {
      const auto& definition = zcb::composite_definition(name);
      std::string components;
      for (const auto& component : definition.components) {
        components += (components.empty() ? "" : ", ") + component.proxy;
      }
      std::string constants;
      for (const auto& option : definition.options) {
        constants += (constants.empty() ? "; needs proxy_options." + name + ": " : ", ") + option;
      }
      std::cout << std::setw(20) << name << std::setw(5) << definition.version << std::setw(8)
                << "yes" << std::setw(34) << zcb::composite_inputs(definition) << std::setw(16)
                << "-" << definition.summary << "\n    "
                << "computed from " << components << constants << "\n    " << definition.paper
                << "\n    code: " << definition.reference << '\n';
    }
  } else if (what == "spaces") {
    for (const std::string& name : zcb::search_space_names()) {
      std::cout << name << " (benchmark table: " << zcb::make_search_space(name)->benchmark()
                << ")\n";
    }
  } else if (what == "benchmarks") {
    // Every manifest: table installed or not, raw files present or missing, how to get them.
    for (const auto& status : zcb::data::all_benchmark_status(paths.data_root)) {
      std::cout << zcb::data::format_benchmark_status(status);
    }
  } else if (what == "tasks") {
    for (const std::string& name : zcb::data::converter_names()) {
      const fs::path table = zcb::data::table_path(paths.data_root, name);
      if (!fs::exists(table)) continue;
      for (const auto& task : zcb::data::read_table(table).tasks) {
        std::cout << name << "/" << task.info.name << ": " << task.info.num_classes
                  << " classes, input " << task.info.channels << "x" << task.info.height << "x"
                  << task.info.width << ", images '" << task.info.image_source
                  << "', ground truth '" << task.info.default_metric << "'\n";
      }
    }
  } else {
    throw zcb::Error("unknown list '" + what + "' (known: proxies, spaces, tasks, benchmarks)");
  }
}

/// Prints one space's complexity check; false when a params mismatch is unexplained or a
/// published FLOPs count differs (every space that publishes FLOPs matches them exactly). A
/// space whose table is not installed is reported and skipped.
bool print_complexity_check(const std::string& space_name, const zcb::StagePaths& paths,
                            std::int64_t sample_size, std::int64_t build_sample,
                            const std::string& csv_dir) {
  const auto space = zcb::make_search_space(space_name);
  const fs::path table = zcb::data::table_path(paths.data_root, space->benchmark());
  if (!fs::exists(table)) {
    std::cout << space_name << ": skipped, table " << table.string()
              << " not installed (zcbench convert " << space->benchmark() << ")\n";
    return true;
  }
  const auto report = zcb::check_complexity(space_name, paths.data_root, sample_size, build_sample);
  const auto percent = [](std::int64_t part, std::int64_t whole) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2)
        << 100.0 * static_cast<double>(part) / static_cast<double>(std::max<std::int64_t>(1, whole))
        << "%";
    return out.str();
  };
  std::cout << std::fixed << std::setprecision(2) << space_name << ": " << report.pairs
            << " (architecture, task) networks counted analytically, " << report.built
            << " of them built (build ms mean " << report.mean_build_ms << ", max "
            << report.max_build_ms << "); built params differ from the analytic count in "
            << report.analytic_mismatches << "\n";
  if (report.params_source.empty()) {
    std::cout << "  params: nothing published for this space\n";
  } else {
    const std::int64_t other =
        report.params_checked - report.params_matches - report.seed_mean_mismatches;
    std::cout << "  params vs " << report.params_source << ": " << report.params_matches << " / "
              << report.params_checked << " equal ("
              << percent(report.params_matches, report.params_checked) << "); "
              << report.seed_mean_mismatches
              << " differ because the published value is a mean over seeds that recorded"
              << " different counts (not a whole number); " << other << " other mismatches\n";
  }
  if (report.flops_checked > 0) {
    std::cout << "  flops vs table `flops`: " << report.flops_matches << " / "
              << report.flops_checked << " equal ("
              << percent(report.flops_matches, report.flops_checked)
              << "); mean |relative difference| " << std::setprecision(4)
              << report.flops_mean_abs_rel_diff << ", max " << report.flops_max_abs_rel_diff
              << (report.flops_matches == report.flops_checked
                      ? ""
                      : " (the space's file comment documents its FLOPs convention)")
              << "\n";
  }
  if (report.largest_id >= 0) {
    std::cout << "  largest network (analytic FLOPs, task " << report.largest_task << "): arch "
              << report.largest_id << " " << report.largest_arch << ", " << report.largest_flops
              << " FLOPs, " << report.largest_params << " params\n";
  }
  for (const auto& example : report.examples) std::cout << "  mismatch: " << example << '\n';
  if (!csv_dir.empty()) {
    fs::create_directories(csv_dir);
    const fs::path csv = fs::path(csv_dir) / (space_name + ".csv");
    std::ofstream out(csv);
    out << "id,task,arch,analytic_params,published_params,built_params,analytic_flops,"
           "published_flops\n";
    for (const auto& row : report.csv_rows) out << row << '\n';
    if (!out) throw zcb::Error("cannot write " + csv.string());
  }
  return report.params_all_explained() && report.flops_matches == report.flops_checked;
}

/// The current time, UTC, ISO 8601 to the second: "2026-12-07T07:45:00Z".
std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zcbench: reproducible benchmarks of zero-cost NAS proxies"};
  app.require_subcommand(1);
  zcb::StagePaths paths;
  paths.data_root = zcb::data::default_data_root();
  paths.mirror = zcb::data::default_mirror();
  paths.results_root = "zcb-results";
  if (const char* results = std::getenv("ZCB_RESULTS")) paths.results_root = results;
  std::string data_root = paths.data_root.string(), results_root = paths.results_root.string();
  app.add_option("--data-root", data_root, "raw files and tables (env ZCB_DATA_ROOT)");
  app.add_option("--results", results_root, "scores, stats and site (env ZCB_RESULTS)");
  app.add_option("--mirror", paths.mirror, "local folder or base URL tried first (env ZCB_MIRROR)");
  app.add_flag("--offline", paths.offline, "never download: use the data root and the mirror only");
  std::string history_dir;
  app.add_option("--history", history_dir,
                 "archived runs for the history page and `zcbench history` (default: "
                 "<results>/history)");

  std::string config_path;
  bool force = false;
  int workers = -1;
  std::vector<std::string> names;
  int threads = 1;

  auto* run = app.add_subcommand("run", "fetch, convert, score, stats and render for a config");
  run->add_option("--config", config_path, "run config (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  run->add_flag("--force", force, "rescore and reconvert even where results exist");
  run->add_option("--workers", workers, "worker processes (default: the config's)");
  double checkpoint_seconds = 30.0;
  run->add_option("--checkpoint-seconds", checkpoint_seconds, "how often finished rows are saved");
  bool no_shared_pass = false;
  run->add_flag("--no-shared-pass", no_shared_pass,
                "compute every proxy alone (same scores, more time; for checking)");
  std::string shard_text;
  const char* shard_help =
      "score only shard I of N (0-based, e.g. 2/8) into part files; `zcbench merge` joins them";
  run->add_option("--shard", shard_text, shard_help);
  std::vector<std::string> retry_names;
  const char* retry_help =
      "score again the stored rows with these statuses, e.g. crashed,out_of_memory (after a "
      "worker was killed for memory: with fewer --workers); the others are kept";
  run->add_option("--retry", retry_names, retry_help)->delimiter(',');
  std::string allocator_request = "auto";
  const char* allocator_help =
      "malloc of the worker processes: auto (tcmalloc where installed), system, tcmalloc, or a "
      "library path (env ZCB_ALLOCATOR; same scores, see README \"Speed\")";
  run->add_option("--allocator", allocator_request, allocator_help)->envname("ZCB_ALLOCATOR");
  std::vector<std::string> published_files;
  const char* published_help =
      "a published_values file (results/README.md) to set beside ours, besides the built-in "
      "table; may be repeated";
  run->add_option("--published", published_files, published_help)->check(CLI::ExistingFile);

  auto* fetch = app.add_subcommand("fetch", "download and verify raw benchmark files");
  const char* config_benchmarks_help = "only the benchmarks this run config needs";
  fetch->add_option("benchmarks", names, "benchmarks (default: all)");
  fetch->add_option("--config", config_path, config_benchmarks_help)->check(CLI::ExistingFile);
  auto* convert = app.add_subcommand("convert", "convert raw files into HDF5 tables");
  convert->add_option("benchmarks", names, "benchmarks (default: all)");
  convert->add_option("--config", config_path, config_benchmarks_help)->check(CLI::ExistingFile);
  convert->add_flag("--force", force, "reconvert even when the table is up to date");
  std::string mapping_path;
  auto* import = app.add_subcommand("import", "build a table from CSV/JSON files and a mapping");
  import->add_option("mapping", mapping_path, "column mapping (JSON, see data/README.md)")
      ->required()
      ->check(CLI::ExistingFile);
  auto* score = app.add_subcommand("score", "score the config's architectures");
  score->add_option("--config", config_path, "run config (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  score->add_flag("--force", force, "discard existing rows and rescore");
  score->add_option("--workers", workers, "worker processes (default: the config's)");
  score->add_option("--checkpoint-seconds", checkpoint_seconds,
                    "how often finished rows are saved");
  score->add_flag("--no-shared-pass", no_shared_pass,
                  "compute every proxy alone (same scores, more time; for checking)");
  score->add_option("--shard", shard_text, shard_help);
  score->add_option("--retry", retry_names, retry_help)->delimiter(',');
  score->add_option("--allocator", allocator_request, allocator_help)->envname("ZCB_ALLOCATOR");
  auto* merge = app.add_subcommand(
      "merge", "join the part files of sharded score runs into the files `stats` reads");
  auto* stats = app.add_subcommand("stats", "compute statistics from the score files");
  stats->add_option("--config", config_path, "run config (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  stats->add_option("--published", published_files, published_help)->check(CLI::ExistingFile);
  app.add_subcommand("render", "render the static site from the stats");
  bool history_strict = false;
  auto* history = app.add_subcommand(
      "history", "archive this run's statistics and say what changed since the previous entry");
  history->add_flag("--strict", history_strict,
                    "exit 1 when a proxy's statistics changed while its version did not");
  std::string paper_filter;
  bool strict = false;
  auto* verify = app.add_subcommand(
      "verify", "list the published values beside this run's statistics (reads the stats)");
  verify->add_option("--paper", paper_filter, "only papers whose citation contains this text");
  verify->add_flag("--strict", strict,
                   "exit 1 unless some value matched and every one lies within our interval");
  std::string list_what;
  auto* list = app.add_subcommand("list", "list proxies, spaces, tasks or benchmarks");
  list->add_option("what", list_what, "proxies | spaces | tasks | benchmarks")->required();
  std::vector<std::string> check_spaces;
  std::int64_t sample_size = 0;
  auto* check = app.add_subcommand(
      "check-complexity",
      "build architectures and compare params and FLOPs with what the benchmark publishes");
  check->add_option("--space", check_spaces, "search spaces (default, or 'all': every space)");
  check->add_option("--sample", sample_size, "fixed random sample size (default: all)");
  std::int64_t build_sample = 0;
  std::string csv_dir;
  check->add_option("--csv", csv_dir, "also write <dir>/<space>.csv: every pair's counts");
  check->add_option("--build-sample", build_sample,
                    "build only this many of the checked architectures (default: all); the "
                    "analytic counts are compared for all");
  auto* worker = app.add_subcommand("worker", "internal: score jobs read from standard input");
  worker->add_option("--threads", threads, "torch threads");
  worker->group("");  // hidden

  CLI11_PARSE(app, argc, argv);
  paths.data_root = data_root;
  paths.results_root = results_root;
  paths.history = history_dir;

  try {
    if (worker->parsed()) return zcb::worker_main(std::cin, std::cout, threads);
    install_signal_handlers();
    if (list->parsed()) {
      print_list(list_what, paths);
      return 0;
    }
    if (fetch->parsed() || convert->parsed()) {
      if (!config_path.empty()) {
        if (!names.empty()) throw zcb::Error("name benchmarks or give --config, not both");
        names = zcb::benchmarks_of(zcb::read_run_config(config_path));
      }
      const bool all = names.empty();
      if (all) names = zcb::data::manifest_names();
      names.erase(std::remove(names.begin(), names.end(), "images"), names.end());
      if (fetch->parsed()) zcb::fetch_stage(names, paths);
      if (convert->parsed()) {
        // "Every benchmark" means every one whose sources can be had: a benchmark made only of
        // official files that are not in place (e.g. NDS CIFAR's data.zip) is skipped with
        // the reason. Named explicitly, it is converted and fails with the full instructions.
        if (all) {
          const auto converters = zcb::data::converter_names();
          names.erase(std::remove_if(names.begin(), names.end(),
                                     [&](const std::string& name) {
                                       const bool has_converter =
                                           std::find(converters.begin(), converters.end(), name) !=
                                           converters.end();
                                       const auto status = zcb::data::benchmark_status(
                                           zcb::data::manifest_for(name), paths.data_root,
                                           has_converter);
                                       if (status.convertible()) return false;
                                       std::cerr << "[convert] " << name << ": skipped, "
                                                 << status.not_convertible_reason() << '\n';
                                       return true;
                                     }),
                      names.end());
        }
        zcb::convert_stage(names, paths, force);
      }
      return 0;
    }
    if (import->parsed()) {
      const zcb::data::BenchmarkTable table = zcb::data::import_table_file(mapping_path);
      const auto converters = zcb::data::converter_names();
      if (std::find(converters.begin(), converters.end(), table.benchmark) != converters.end()) {
        throw zcb::Error(mapping_path + ": benchmark '" + table.benchmark +
                         "' has a converter; give the imported table another name");
      }
      const fs::path target = zcb::data::table_path(paths.data_root, table.benchmark);
      zcb::data::write_table(table, target);
      std::cerr << "[import] " << table.benchmark << ": " << table.size() << " architectures, "
                << table.tasks.size() << " tasks -> " << target.string() << '\n';
      return 0;
    }
    if (check->parsed()) {
      if (check_spaces.empty() || check_spaces == std::vector<std::string>{"all"}) {
        check_spaces = zcb::search_space_names();
      }
      bool all_explained = true;
      for (const std::string& space_name : check_spaces) {
        all_explained &=
            print_complexity_check(space_name, paths, sample_size, build_sample, csv_dir);
      }
      return all_explained ? 0 : 1;
    }
    if (app.got_subcommand("render")) {
      zcb::render_stage(paths);
      return 0;
    }
    if (merge->parsed()) return print_merge(paths.results_root);
    if (history->parsed()) {
      const zcb::site::RunStats stats = zcb::site::load_stats(paths.results_root / "stats");
      const fs::path entry =
          zcb::site::add_to_history(stats, paths.history_dir(), utc_now_iso8601());
      std::cerr << "[history] " << entry.string() << '\n';
      const auto entries = zcb::site::load_history(paths.history_dir());
      std::cout << zcb::site::history_report(entries);
      bool unannounced = false;
      if (entries.size() >= 2) {
        for (const auto& change :
             zcb::site::history_changes(entries[entries.size() - 2], entries.back())) {
          unannounced = unannounced || change.unannounced;
        }
      }
      return history_strict && unannounced ? 1 : 0;
    }
    if (verify->parsed()) {
      const zcb::site::Verification verification = zcb::site::verification_report(
          zcb::site::load_stats(paths.results_root / "stats"), paper_filter);
      std::cout << verification.report;
      const zcb::site::VerdictCounts& counts = verification.all;
      const bool reproduced = counts.total() > 0 && counts.within == counts.total();
      return !strict || reproduced ? 0 : 1;
    }

    const zcb::RunConfig config = zcb::read_run_config(config_path);
    // Read before any stage runs, so a bad file stops the run before hours of scoring; only
    // the commands that compute statistics need them.
    std::vector<zcb::PublishedValue> published;
    if (run->parsed() || stats->parsed()) {
      published = zcb::builtin_published_values();
      for (const std::string& file : published_files) {
        for (zcb::PublishedValue& value : zcb::read_published_values(file)) {
          published.push_back(std::move(value));
        }
      }
    }
    nlohmann::json provenance = zcb::environment_provenance();
    provenance["torch"] = zcb::torch_versions();
    provenance["determinism"] = zcb::configure_torch(config.threads_per_worker);
    const std::string device = zcb::resolve_device(config.device);
    provenance["device"] = device;
    provenance["threads_per_worker"] = config.threads_per_worker;
    // Resolved before any stage, so that a bad --allocator or --retry stops before fetching.
    const std::set<zcb::RowStatus> retry = parse_retry(retry_names);
    if (!retry.empty() && !shard_text.empty()) {
      throw zcb::Error("--retry works on unsharded score files: merge the shards first");
    }
    zcb::WorkerAllocator worker_allocator{zcb::active_allocator(), ""};  // in-process scoring
    if ((run->parsed() || score->parsed()) && (workers >= 0 ? workers : config.workers) > 0) {
      worker_allocator =
          zcb::resolve_worker_allocator(allocator_request, zcb::default_library_dirs());
    }

    if (run->parsed()) {
      const auto benchmarks = zcb::benchmarks_of(config);
      zcb::fetch_stage(benchmarks, paths);
      zcb::convert_stage(benchmarks, paths, force);
    }
    if (run->parsed() || score->parsed()) {
      zcb::ScoreOptions options;
      options.data_root = paths.data_root;
      options.results_root = paths.results_root;
      options.mirror = paths.mirror;
      options.offline = paths.offline;
      options.checkpoint_seconds = checkpoint_seconds;
      options.workers = workers;
      options.force = force;
      options.retry = retry;
      options.shared_pass = !no_shared_pass;
      if (!shard_text.empty()) {
        std::tie(options.shard_index, options.shard_count) = parse_shard(shard_text);
      }
      options.device = device;
      options.environment = provenance;
      options.worker_executable = self_executable();
      options.allocator = worker_allocator;
      zcb::JobRunner runner;
      options.run_in_process = [&runner](const zcb::Job& job) { return runner.run(job); };
      const auto summary = zcb::run_score_stage(config, options);
      if (summary.interrupted) {
        std::cerr << "[score] interrupted: " << summary.jobs_done
                  << " jobs saved; rerun the same command to resume\n";
        return 130;
      }
      if (options.shard_count > 1) {
        std::cerr << "[score] shard " << options.shard_index << "/" << options.shard_count
                  << " done; once every shard is, run `zcbench merge`, then `zcbench stats`\n";
        return 0;
      }
    }
    if (run->parsed() || stats->parsed()) {
      nlohmann::json run_provenance = provenance;
      run_provenance["workers"] = workers >= 0 ? workers : config.workers;
      zcb::stats_stage(config, paths, run_provenance, published);
    }
    if (run->parsed()) zcb::render_stage(paths);
    return 0;
  } catch (const zcb::Error& e) {
    std::cerr << "zcbench: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "zcbench: unexpected error: " << e.what() << '\n';
    return 3;
  }
}
