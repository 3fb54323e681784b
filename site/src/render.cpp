#include "zcb/site/render.hpp"

#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <system_error>

#include "pages.hpp"
#include "resources.hpp"
#include "zcb/error.hpp"
#include "zcb/site/csv.hpp"
#include "zcb/site/history.hpp"
#include "zcb/site/stats_files.hpp"

namespace zcb::site {
namespace {

namespace fs = std::filesystem;

/// Marks a directory written by render_site, so that only such a directory is ever replaced.
constexpr const char* kMarker = ".zcb-site";

/// Space and task names become file names: letters, digits, '.', '_', '-', not starting with '.'.
void check_file_name(const TaskStats& task, const std::string& what, const std::string& name) {
  bool safe = !name.empty() && name.front() != '.' && name.front() != '-';
  for (const char c : name) {
    safe = safe && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-');
  }
  if (!safe) {
    throw Error(task.file.string() + ": " + what + " \"" + name +
                "\" cannot be used in a file name; use letters, digits, '.', '_' and '-' only");
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    throw Error(path.string() + ": cannot read the file");
  }
  return text.str();
}

/// Every file of the site, by path relative to the site root, rendered in memory.
std::map<std::string, std::string> build_site(const RunStats& run,
                                              const std::vector<HistoryEntry>& history) {
  std::map<std::string, std::string> files;
  std::map<std::string, const TaskStats*> stems;
  for (const auto& task : run.tasks) {
    check_file_name(task, "space", task.space);
    check_file_name(task, "task", task.task);
    const std::string stem = detail::task_stem(task);
    if (const auto [it, inserted] = stems.emplace(stem, &task); !inserted) {
      throw Error(task.file.string() + " and " + it->second->file.string() +
                  " would both be published as " + stem + ".html; rename a space or task");
    }
  }

  files["index.html"] = detail::render_index_page(run);
  files["provenance.html"] = detail::render_provenance_page(run);

  if (run.has_history) {
    files["history.html"] = detail::render_history_page(run, history);
  }
  files["published.html"] = detail::render_published_page(run);
  files["published.csv"] = published_csv(run);
  files["run.json"] = read_file(run.dir / "run.json");
  for (std::size_t t = 0; t < run.tasks.size(); ++t) {
    const TaskStats& task = run.tasks[t];
    const std::string stem = detail::task_stem(task);
    files[stem + ".html"] = detail::render_task_page(run, t);
    files[stem + ".csv"] = task_csv(task);
    if (!task.comparisons.empty()) {
      files[stem + ".pairwise.csv"] = pairwise_csv(task);
    }
    files[stem + ".json"] = read_file(task.file);
  }
  for (const auto& [proxy, page] : detail::proxy_page_names(run)) {
    if (!files.emplace(page, detail::render_proxy_page(run, proxy)).second) {
      throw Error("the page of proxy \"" + proxy + "\" would be " + page +
                  ", which another page of the site already is; rename the proxy or the task");
    }
  }
  for (const detail::Resource& resource : detail::resources()) {
    if (resource.name.substr(0, 7) == "assets/") {
      files[std::string(resource.name)] = std::string(resource.content);
    }
  }
  files[kMarker] =
      "This directory was written by zcbench (zcb::site::render_site); the next render "
      "replaces all of it.\n";
  return files;
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    throw Error(path.string() + ": cannot write the file (disk full or no permission?)");
  }
}

/// A sibling of @p target that does not exist yet: "<name>.<tag>-<random>".
fs::path unused_sibling(const fs::path& target, const std::string& tag) {
  std::random_device device;
  std::mt19937_64 generator(device());
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::ostringstream name;
    name << target.filename().string() << '.' << tag << '-' << std::hex << generator();
    fs::path candidate = target.parent_path() / name.str();
    std::error_code error;
    if (!fs::exists(candidate, error) && !error) {
      return candidate;
    }
  }
  throw Error(target.string() + ": cannot find an unused temporary name next to it");
}

/// Removes a temporary directory unless released (the render failed before the swap).
class TemporaryDirectory {
 public:
  explicit TemporaryDirectory(fs::path path) : path_(std::move(path)) {}
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    if (!path_.empty()) {
      std::error_code ignored;  // best effort: the render already failed with a clearer error
      fs::remove_all(path_, ignored);
    }
  }
  const fs::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

/// Throws unless @p out_dir is absent, an empty directory, or a site written by render_site.
void check_replaceable(const fs::path& out_dir) {
  std::error_code error;
  const fs::file_status status = fs::symlink_status(out_dir, error);
  if (!fs::exists(status)) {
    return;
  }
  if (!fs::is_directory(status)) {
    throw Error(out_dir.string() + ": exists and is not a directory; choose another output");
  }
  if (!fs::is_empty(out_dir, error) && !fs::exists(out_dir / kMarker, error)) {
    throw Error(out_dir.string() +
                ": exists, is not empty and was not written by zcbench render (no " + kMarker +
                " file); choose another output directory or remove it");
  }
}

void check(const std::error_code& error, const std::string& what) {
  if (error) {
    throw Error(what + ": " + error.message());
  }
}

}  // namespace

void render_site(const fs::path& stats_dir, const fs::path& out_dir, const fs::path& history_dir) {
  // Read, check and render everything before touching the output.
  RunStats run = load_stats(stats_dir);
  const std::vector<HistoryEntry> history =
      history_dir.empty() ? std::vector<HistoryEntry>() : load_history(history_dir);
  run.has_history = !history.empty();
  const std::map<std::string, std::string> files = build_site(run, history);

  fs::path target = fs::absolute(out_dir).lexically_normal();
  if (!target.has_filename()) {
    target = target.parent_path();  // "out/" names the directory "out"
  }
  check_replaceable(target);
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  check(error, target.parent_path().string() + ": cannot create the directory");

  TemporaryDirectory staging(unused_sibling(target, "tmp"));
  fs::create_directory(staging.path(), error);
  check(error, staging.path().string() + ": cannot create the directory");
  for (const auto& [name, content] : files) {
    const fs::path path = staging.path() / name;
    fs::create_directories(path.parent_path(), error);
    check(error, path.parent_path().string() + ": cannot create the directory");
    write_file(path, content);
  }

  // Swap: the old site moves aside, the new one moves in, the old one is deleted. A directory
  // cannot be renamed over a non-empty one, so this takes two renames.
  const bool replacing = fs::exists(target);
  const fs::path old_site = replacing ? unused_sibling(target, "old") : fs::path();
  if (replacing) {
    fs::rename(target, old_site, error);
    check(error, target.string() + ": cannot move the previous site aside");
  }
  fs::rename(staging.path(), target, error);
  if (error) {
    if (replacing) {
      std::error_code restore_error;
      fs::rename(old_site, target, restore_error);
    }
    check(error, target.string() + ": cannot move the new site into place");
  }
  staging.release();
  if (replacing) {
    fs::remove_all(old_site, error);
    check(error, old_site.string() +
                     ": the new site is in place but the previous one could "
                     "not be deleted; remove it by hand");
  }
}

}  // namespace zcb::site
