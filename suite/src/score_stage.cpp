#include "score_stage.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "plan.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/images.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/data/table.hpp"
#include "zcb/error.hpp"
#include "zcb/proxy.hpp"
#include "zcb/results/score_file.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
using namespace ::zcb::data;  // NOLINT(build/namespaces): tables, fetch, images
namespace fs = std::filesystem;
namespace {

std::atomic<bool> g_stop_requested{false};
using Clock = std::chrono::steady_clock;

/// Everything stored under one score key, kept in memory and checkpointed atomically.
struct KeyState {
  ScoreKey key;
  fs::path path;
  std::map<std::int64_t, ScoreRow> rows;
  std::map<std::int64_t, TimingRow> timings;
  nlohmann::json provenance;
  std::set<std::int64_t> planned;
  /// Sharded runs: planned rows an unsharded file of the key already holds (not rescored).
  std::set<std::int64_t> done_elsewhere;
  bool dirty = false;
};

struct KeyId {
  std::string space, task, proxy;
  int seed;
  bool operator<(const KeyId& other) const {
    return std::tie(space, task, proxy, seed) <
           std::tie(other.space, other.task, other.proxy, other.seed);
  }
};

/// One `zcbench worker` child process, talking JSON lines over two pipes.
struct WorkerProcess {
  pid_t pid = -1;
  int to_child = -1;
  int from_child = -1;
  std::string buffer;
  std::optional<Job> job;
};

WorkerProcess spawn_worker(const fs::path& executable, int threads,
                           const WorkerAllocator& allocator) {
  // Everything the child needs is built here: between fork() and exec() it must not allocate.
  const std::string exe = executable.string();
  const std::string thread_arg = std::to_string(threads);
  const std::vector<std::string> environment = worker_environment(allocator, environ);
  std::vector<char*> envp;
  for (const std::string& variable : environment)
    envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);
  const char* argv[] = {exe.c_str(), "worker", "--threads", thread_arg.c_str(), nullptr};
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
    throw Error(std::string("cannot create worker pipes: ") + std::strerror(errno));
  }
  const pid_t pid = fork();
  if (pid < 0) throw Error(std::string("cannot start a worker: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    execve(exe.c_str(), const_cast<char* const*>(argv), envp.data());
    std::perror("zcbench: cannot exec the worker");
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  WorkerProcess worker;
  worker.pid = pid;
  worker.to_child = to_child[1];
  worker.from_child = from_child[0];
  return worker;
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    // SIGKILL is most often the kernel's out-of-memory killer.
    return "worker process killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ") while scoring this architecture" +
           (WTERMSIG(status) == SIGKILL ? " (out of memory? score it again with fewer --workers "
                                          "and --retry crashed)"
                                        : "");
  }
  return "worker process exited with code " + std::to_string(WEXITSTATUS(status)) +
         " while scoring this architecture";
}

bool write_line(int fd, const std::string& line) {
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const long total = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ldh%02ldm%02lds", total / 3600, total / 60 % 60, total % 60);
  return text;
}

class ScoreStage {
 public:
  ScoreStage(const RunConfig& config, const ScoreOptions& options)
      : config_(config), options_(options) {}

  ScoreSummary run() {
    plan();
    summary_.jobs_planned = static_cast<std::int64_t>(queue_.size());
    {
      std::cerr << "[score] " << queue_.size() << " jobs to run, " << summary_.rows_skipped
                << " rows already done";
      if (!options_.retry.empty()) {
        std::cerr << ", " << summary_.rows_retried << " stored rows to score again (--retry)";
      }
      std::cerr << '\n';
    }
    const int workers = options_.workers >= 0 ? options_.workers : config_.workers;
    started_ = last_checkpoint_ = last_progress_ = Clock::now();
    if (!queue_.empty()) {
      if (workers == 0) {
        run_in_process();
      } else {
        run_with_workers(workers);
      }
    }
    checkpoint(/*all=*/true);
    summary_.interrupted = g_stop_requested.load();
    return summary_;
  }

 private:
  void plan() {
    FetchOptions fetch_options;
    fetch_options.data_root = options_.data_root;
    fetch_options.mirror = options_.mirror;
    fetch_options.allow_network = !options_.offline;
    image_files_ = fetch_benchmark(manifest_for("images"), fetch_options);
    nlohmann::json image_hashes = nlohmann::json::object();
    for (const auto& file : manifest_for("images").files) image_hashes[file.name] = file.sha256;

    for (const SpaceRun& run : config_.runs) {
      const SpacePlan plan = plan_space(run, options_.data_root);
      const BenchmarkTable& table = plan.table;
      const std::string& table_sha = plan.table_sha256;
      const std::vector<std::int64_t>& archs = plan.archs;
      const std::vector<std::string>& tasks = plan.tasks;
      const std::map<std::string, int> proxy_batches = proxy_batch_sizes_for(config_, run);
      for (const std::string& task_name : tasks) {
        const TaskInfo& task = table.task(task_name).info;
        for (int seed : config_.seeds) {
          const std::uint64_t base_seed = config_.base_seed + static_cast<std::uint64_t>(seed);
          // arch -> proxies it still needs, in config order
          std::map<std::int64_t, std::vector<std::string>> missing;
          for (const std::string& proxy_name : scored_proxies(run)) {
            const auto proxy = make_proxy(proxy_name);  // unknown names fail here, early
            KeyState& state =
                open_key(run.space, task, proxy_name, seed, *proxy, base_seed,
                         batch_size_for(config_, run), proxy_batches, table_sha, image_hashes);
            for (std::size_t position = 0; position < archs.size(); ++position) {
              const std::int64_t arch = archs[position];
              if (shard_of(run.space, task.name, seed, static_cast<std::int64_t>(position),
                           options_.shard_count) != options_.shard_index) {
                continue;
              }
              state.planned.insert(arch);
              const auto stored = state.rows.find(arch);
              const bool retried =
                  stored != state.rows.end() && options_.retry.count(stored->second.status) != 0;
              if ((stored != state.rows.end() && !retried) ||
                  state.done_elsewhere.count(arch) != 0) {
                ++summary_.rows_skipped;
              } else {
                // A retried row stays stored until record() replaces it.
                if (retried) ++summary_.rows_retried;
                missing[arch].push_back(proxy_name);
              }
            }
          }
          for (auto& [arch, proxies] : missing) {
            Job job;
            job.job_id = static_cast<std::int64_t>(queue_.size());
            job.space = run.space;
            job.task = task;
            job.arch_id = arch;
            job.arch = table.arch_strings.at(static_cast<std::size_t>(arch));
            job.base_seed = base_seed;
            job.batch_size = batch_size_for(config_, run);
            job.proxy_batch_sizes = proxy_batches;
            job.proxies = std::move(proxies);
            // image_files are attached when the job starts (with_image_files): a copy of the
            // whole manifest (1,300 ImageNet JPEG paths) in every queued job took 150 kB a job.
            job.device = options_.device;
            job.shared_pass = options_.shared_pass;
            job_seed_[job.job_id] = seed;
            queue_.push_back(std::move(job));
          }
        }
      }
    }
  }

  KeyState& open_key(const std::string& space, const TaskInfo& task, const std::string& proxy_name,
                     int seed, const Proxy& proxy, std::uint64_t base_seed, int batch_size,
                     const std::map<std::string, int>& proxy_batches, const std::string& table_sha,
                     const nlohmann::json& image_hashes) {
    const KeyId id{space, task.name, proxy_name, seed};
    auto found = keys_.find(id);
    if (found != keys_.end()) return found->second;
    KeyState& state = keys_[id];
    state.key =
        ScoreKey{space, task.name, proxy_name, seed, options_.shard_index, options_.shard_count};
    state.path = score_path(options_.results_root, state.key);

    const ProxyRequirements needs = requirements_with_batch_sizes(proxy, proxy_batches);
    if (proxy_batches.count(proxy_name) != 0 && !needs.needs_data) {
      throw Error("proxy_batch_size: '" + proxy_name +
                  "' reads no images, so it takes no batch size");
    }
    // The imagenet-val-227-approx files count only where they are read, so score files of
    // other tasks keep the settings hash they had before those files joined the manifest.
    nlohmann::json task_images = nlohmann::json::object();
    if (needs.needs_data) {
      std::vector<std::string> names;
      for (const auto& [name, sha] : image_hashes.items()) names.push_back(name);
      const auto val_files = image_source_files("imagenet-val-227-approx", names);
      const std::set<std::string> val_set(val_files.begin(), val_files.end());
      for (const auto& [name, sha] : image_hashes.items()) {
        if (val_set.count(name) == 0 || task.image_source == "imagenet-val-227-approx") {
          task_images[name] = sha;
        }
      }
    }
    nlohmann::json task_settings = {{"name", task.name},
                                    {"num_classes", task.num_classes},
                                    {"input", {task.channels, task.height, task.width}},
                                    {"image_source", task.image_source}};
    // Only where it is not the default, for the same reason.
    if (task.loss != "cross_entropy") task_settings["loss"] = task.loss;
    nlohmann::json settings = {
        {"space", space},
        {"task", task_settings},
        {"proxy", proxy_name},
        {"proxy_version", proxy.version()},
        {"higher_is_better", proxy.higher_is_better()},
        {"base_seed", base_seed},
        {"batch_size",
         needs.needs_data ? (needs.batch_size > 0 ? needs.batch_size : batch_size) : 0},
        {"batch_norm", needs.batch_norm},
        {"float64", needs.float64},
        {"table_sha256", table_sha},
        {"images_sha256", task_images},
        {"threads_per_worker", config_.threads_per_worker},
        {"device", options_.device}};
    // Only where they differ from the defaults, so that earlier settings hashes stay valid.
    if (needs.batch_up_to_image_count) settings["batch_up_to_image_count"] = true;
    if (needs.network != NetworkVariant::kBenchmark) settings["network"] = to_string(needs.network);
    if (!needs.seed_name.empty()) settings["seed_name"] = needs.seed_name;
    const std::string settings_hash = sha256_hex(settings.dump());
    state.provenance = {{"settings", settings},
                        {"settings_hash", settings_hash},
                        {"environment", options_.environment}};

    const auto check_settings = [&](const ScoreFile& existing, const fs::path& path) {
      const std::string old_hash = existing.provenance.value("settings_hash", "");
      if (old_hash != settings_hash) {
        throw Error(path.string() + " was scored with different settings (" +
                    existing.provenance.value("settings", nlohmann::json()).dump() +
                    "); rerun with --force to rescore, or use another results root");
      }
    };
    const fs::path unsharded =
        score_path(options_.results_root, ScoreKey{space, task.name, proxy_name, seed, 0, 1});
    if (options_.shard_count > 1 && fs::exists(unsharded) && !options_.force) {
      // An earlier merge (or unsharded run) holds these rows: the shard skips them.
      const ScoreFile merged = read_score_file(unsharded);
      check_settings(merged, unsharded);
      for (const ScoreRow& row : merged.rows) state.done_elsewhere.insert(row.arch_id);
    }
    if (fs::exists(state.path) && !options_.force) {
      ScoreFile existing = read_score_file(state.path);
      check_settings(existing, state.path);
      for (ScoreRow& row : existing.rows) state.rows[row.arch_id] = std::move(row);
      const fs::path timing_file = timing_path(state.path);
      if (fs::exists(timing_file)) {
        try {
          for (const TimingRow& row : read_timing_file(timing_file))
            state.timings[row.arch_id] = row;
        } catch (const Error& e) {
          // Timings are informative only; a damaged sidecar must not block the scores.
          std::cerr << "[score] warning: ignoring " << e.what() << '\n';
        }
      }
    }
    return state;
  }

  void record(const Job& job, const JobResult& result) {
    const int seed = job_seed_.at(job.job_id);
    for (const ProxyOutcome& outcome : result.outcomes) {
      KeyState& state = keys_.at(KeyId{job.space, job.task.name, outcome.proxy, seed});
      state.rows[job.arch_id] =
          ScoreRow{job.arch_id, outcome.score, outcome.status, outcome.message};
      state.timings[job.arch_id] =
          TimingRow{job.arch_id, outcome.build_ms, outcome.score_ms, outcome.peak_rss_mib};
      state.dirty = true;
    }
    ++summary_.jobs_done;
    maybe_checkpoint();
    report_progress(false);
  }

  void record_crash(const Job& job, const std::string& message) {
    JobResult result;
    result.job_id = job.job_id;
    for (const std::string& proxy : job.proxies) {
      ProxyOutcome outcome;
      outcome.proxy = proxy;
      outcome.score = std::nan("");
      outcome.status = RowStatus::kCrashed;
      outcome.message = message;
      result.outcomes.push_back(outcome);
    }
    record(job, result);
  }

  void maybe_checkpoint() {
    const double since = std::chrono::duration<double>(Clock::now() - last_checkpoint_).count();
    if (since >= options_.checkpoint_seconds) checkpoint(false);
  }

  void checkpoint(bool all) {
    for (auto& [id, state] : keys_) {
      if (!state.dirty && !(all && !fs::exists(state.path))) continue;
      ScoreFile file;
      file.key = state.key;
      file.provenance = state.provenance;
      for (const auto& [arch, row] : state.rows) file.rows.push_back(row);
      file.complete =
          std::all_of(state.planned.begin(), state.planned.end(), [&](std::int64_t arch) {
            return state.rows.count(arch) != 0 || state.done_elsewhere.count(arch) != 0;
          });
      write_score_file(state.path, file);
      std::vector<TimingRow> timings;
      for (const auto& [arch, row] : state.timings) timings.push_back(row);
      write_timing_file(timing_path(state.path), timings,
                        {{"note",
                          "wall-clock milliseconds; kept apart from the scores, which "
                          "are bit-reproducible"},
                         {"device", options_.device},
                         // Timings and peak memory depend on it; the scores do not.
                         {"worker_allocator", options_.allocator.describe()}});
      state.dirty = false;
    }
    last_checkpoint_ = Clock::now();
  }

  void report_progress(bool force) {
    const auto now = Clock::now();
    if (!force && std::chrono::duration<double>(now - last_progress_).count() < 5.0) return;
    last_progress_ = now;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const double rate = summary_.jobs_done / std::max(elapsed, 1e-9);
    const double left = static_cast<double>(summary_.jobs_planned - summary_.jobs_done);
    char done[64];
    std::snprintf(done, sizeof done, "%.1f%%), %.2f jobs/s",
                  100.0 * summary_.jobs_done / std::max<std::int64_t>(1, summary_.jobs_planned),
                  rate);
    std::cerr << "[score] " << summary_.jobs_done << "/" << summary_.jobs_planned << " jobs ("
              << done << ", elapsed " << format_duration(elapsed) << ", ETA "
              << format_duration(left / rate) << std::endl;
  }

  /// @p job with the image files its task reads (image_files_for_source), and no others, so
  /// that the wire form of a CIFAR job names one file instead of the whole `images` manifest.
  Job with_image_files(Job job) {
    auto found = task_image_files_.find(job.task.image_source);
    if (found == task_image_files_.end()) {
      found = task_image_files_
                  .emplace(job.task.image_source,
                           image_files_for_source(job.task.image_source, image_files_))
                  .first;
    }
    job.image_files = found->second;
    return job;
  }

  void run_in_process() {
    if (!options_.run_in_process) throw Error("no in-process job runner was provided");
    while (!queue_.empty() && !g_stop_requested.load()) {
      Job job = with_image_files(std::move(queue_.front()));
      queue_.pop_front();
      record(job, options_.run_in_process(job));
    }
  }

  void run_with_workers(int count) {
    signal(SIGPIPE, SIG_IGN);  // a dead worker must surface as EPIPE, not kill the planner
    count = std::min<int>(count, static_cast<int>(queue_.size()));
    auto spawn = [this] {
      return spawn_worker(options_.worker_executable, config_.threads_per_worker,
                          options_.allocator);
    };
    std::vector<WorkerProcess> workers;
    for (int i = 0; i < count; ++i) workers.push_back(spawn());
    auto busy = [&]() {
      return std::any_of(workers.begin(), workers.end(),
                         [](const WorkerProcess& w) { return w.job.has_value(); });
    };
    while ((!queue_.empty() || busy()) && !g_stop_requested.load()) {
      for (WorkerProcess& worker : workers) {
        if (worker.job || queue_.empty() || worker.pid < 0) continue;
        worker.job = with_image_files(std::move(queue_.front()));
        queue_.pop_front();
        if (!write_line(worker.to_child, to_json(*worker.job).dump() + "\n")) {
          // The worker died before it got this job: the job goes back to the queue, it did
          // not cause the crash.
          queue_.push_front(std::move(*worker.job));
          worker.job.reset();
          handle_worker_exit(worker);
          worker = spawn();
        }
      }
      std::vector<pollfd> fds;
      for (const WorkerProcess& worker : workers) fds.push_back({worker.from_child, POLLIN, 0});
      const int ready = poll(fds.data(), fds.size(), 1000);
      if (ready < 0 && errno != EINTR) throw Error(std::string("poll: ") + std::strerror(errno));
      for (std::size_t i = 0; i < workers.size() && ready > 0; ++i) {
        WorkerProcess& worker = workers[i];
        if (fds[i].revents == 0 || worker.pid < 0) continue;
        char chunk[65536];
        const ssize_t n = read(worker.from_child, chunk, sizeof chunk);
        if (n > 0) {
          worker.buffer.append(chunk, static_cast<std::size_t>(n));
          std::size_t newline;
          while ((newline = worker.buffer.find('\n')) != std::string::npos) {
            const std::string line = worker.buffer.substr(0, newline);
            worker.buffer.erase(0, newline + 1);
            JobResult result = job_result_from_json(nlohmann::json::parse(line));
            if (!worker.job || result.job_id != worker.job->job_id) {
              throw Error("worker protocol: unexpected result for job " +
                          std::to_string(result.job_id));
            }
            const Job job = std::move(*worker.job);
            worker.job.reset();
            record(job, result);
          }
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          handle_worker_exit(worker);
          if (!g_stop_requested.load() && (!queue_.empty() || busy())) {
            worker = spawn();
          }
        }
      }
      report_progress(false);
    }
    for (WorkerProcess& worker : workers) {
      if (worker.pid < 0) continue;
      close(worker.to_child);  // end of input: the worker exits
      if (g_stop_requested.load()) kill(worker.pid, SIGTERM);
      int status = 0;
      waitpid(worker.pid, &status, 0);
      close(worker.from_child);
    }
    report_progress(true);
  }

  void handle_worker_exit(WorkerProcess& worker) {
    int status = 0;
    close(worker.to_child);
    close(worker.from_child);
    waitpid(worker.pid, &status, 0);
    worker.pid = worker.to_child = worker.from_child = -1;
    if (worker.job && !g_stop_requested.load()) {
      const Job job = std::move(*worker.job);
      std::cerr << "[score] " << describe_exit(status) << " " << job.space << "/" << job.task.name
                << " arch " << job.arch_id << '\n';
      record_crash(job, describe_exit(status));
    }
    worker.job.reset();
  }

  const RunConfig& config_;
  const ScoreOptions& options_;
  std::map<std::string, fs::path> image_files_;
  /// image_files_ cut to what each image source reads (with_image_files), by source name.
  std::map<std::string, std::map<std::string, fs::path>> task_image_files_;
  std::map<KeyId, KeyState> keys_;
  std::deque<Job> queue_;
  std::map<std::int64_t, int> job_seed_;
  ScoreSummary summary_;
  Clock::time_point started_, last_checkpoint_, last_progress_;
};

}  // namespace

ScoreSummary run_score_stage(const RunConfig& config, const ScoreOptions& options) {
  g_stop_requested = false;
  ScoreStage stage(config, options);
  return stage.run();
}

void request_score_stop() { g_stop_requested = true; }

bool score_stop_requested() { return g_stop_requested.load(); }

}  // namespace zcb
