#include "zcb/site/history.hpp"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "zcb/error.hpp"
#include "zcb/site/format.hpp"

namespace zcb::site {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr int kHistorySchemaVersion = 1;

json number_or_null(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

std::string text_of(const json& entry, const char* key) {
  const auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A short git sha for file names: hex digits only, at most 12.
std::string short_sha(const std::string& sha) {
  std::string result;
  for (const char c : sha) {
    if (result.size() == 12) break;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) result += c;
  }
  return result.empty() ? "unknown" : result;
}

std::optional<double> read_number(const json& object, const char* key, const fs::path& file,
                                  const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    throw Error(file.string() + ": \"" + where + key + "\" must be a number or null");
  }
  return it->get<double>();
}

HistoryEntry parse_entry(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot read the history entry");
  json root;
  try {
    root = json::parse(in);
  } catch (const json::parse_error& error) {
    throw Error(file.string() + ": not valid JSON (" + error.what() + ")");
  }
  if (!root.is_object() || text_of(root, "kind") != "history_entry") {
    throw Error(file.string() +
                ": not a zcbench history entry (\"kind\" is not \"history_entry\")");
  }
  if (!root.contains("schema_version") || !root["schema_version"].is_number_integer() ||
      root["schema_version"].get<int>() > kHistorySchemaVersion) {
    throw Error(file.string() + ": history schema version " +
                root.value("schema_version", json()).dump() + " is not one this build reads (" +
                std::to_string(kHistorySchemaVersion) + "); update zcbench");
  }
  HistoryEntry entry;
  entry.file = file;
  entry.id = file.stem().string();
  entry.created = text_of(root, "created");
  entry.run_name = text_of(root, "run_name");
  entry.git_sha = text_of(root, "git_sha");
  if (entry.created.empty()) throw Error(file.string() + ": \"created\" is missing");
  const auto tasks = root.find("tasks");
  if (tasks == root.end() || !tasks->is_array()) {
    throw Error(file.string() + ": \"tasks\" must be an array");
  }
  for (std::size_t t = 0; t < tasks->size(); ++t) {
    const json& task = (*tasks)[t];
    const std::string where = "tasks[" + std::to_string(t) + "].";
    if (!task.is_object() || !task.contains("proxies") || !task["proxies"].is_array()) {
      throw Error(file.string() + ": \"" + where + "proxies\" must be an array");
    }
    auto& proxies = entry.tasks[text_of(task, "space") + "/" + text_of(task, "task")];
    for (std::size_t p = 0; p < task["proxies"].size(); ++p) {
      const json& proxy = task["proxies"][p];
      const std::string at = where + "proxies[" + std::to_string(p) + "].";
      if (!proxy.is_object() || text_of(proxy, "name").empty()) {
        throw Error(file.string() + ": \"" + at + "name\" must be a non-empty string");
      }
      HistoryPoint point;
      if (proxy.contains("version") && proxy["version"].is_number_integer()) {
        point.version = proxy["version"].get<std::int64_t>();
      }
      const auto stats = proxy.find("stats");
      if (stats != proxy.end() && stats->is_object()) {
        for (const auto& [key, value] : stats->items()) {
          if (value.is_null()) {
            point.stats[key] = std::nullopt;
            continue;
          }
          if (!value.is_object()) {
            throw Error(file.string() + ": \"" + at + "stats." + key +
                        "\" must be an object or null");
          }
          const std::string stat_where = at + "stats." + key + ".";
          point.stats[key] = Estimate{read_number(value, "estimate", file, stat_where),
                                      read_number(value, "lo", file, stat_where),
                                      read_number(value, "hi", file, stat_where), std::nullopt};
        }
      }
      proxies.emplace_back(text_of(proxy, "name"), std::move(point));
    }
  }
  return entry;
}

/// "0.761 [0.730, 0.789]" with ASCII signs, or "null".
std::string describe(const std::optional<Estimate>& value) {
  if (!value || !value->estimate) return "null";
  return format_plain(value->estimate, 4) + " [" + format_plain(value->lo, 4) + ", " +
         format_plain(value->hi, 4) + "]";
}

std::string version_text(const std::optional<std::int64_t>& version) {
  return version ? "v" + std::to_string(*version) : "v?";
}

}  // namespace

std::optional<Estimate> statistic_at(const HistoryPoint& point, const std::string& key) {
  const auto it = point.stats.find(key);
  return it != point.stats.end() ? it->second : std::nullopt;
}

bool same_value(const std::optional<Estimate>& a, const std::optional<Estimate>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->estimate == b->estimate && a->lo == b->lo && a->hi == b->hi);
}

json history_entry_json(const RunStats& run, const std::string& created) {
  json tasks = json::array();
  for (const TaskStats& task : run.tasks) {
    json proxies = json::array();
    for (const ProxyStats& proxy : task.proxies) {
      json stats = json::object();
      for (const auto& [key, value] : proxy.stats) {
        stats[key] = value ? json{{"estimate", number_or_null(value->estimate)},
                                  {"lo", number_or_null(value->lo)},
                                  {"hi", number_or_null(value->hi)}}
                           : json(nullptr);
      }
      proxies.push_back({{"name", proxy.name},
                         {"version", proxy.version ? json(*proxy.version) : json(nullptr)},
                         {"stats", stats}});
    }
    tasks.push_back({{"space", task.space},
                     {"task", task.task},
                     {"ground_truth", task.ground_truth},
                     {"n_common", task.n_common ? json(*task.n_common) : json(nullptr)},
                     {"proxies", proxies}});
  }
  const auto sha =
      run.provenance.is_object() ? run.provenance.find("git_sha") : run.provenance.end();
  const auto version =
      run.provenance.is_object() ? run.provenance.find("zcbench_version") : run.provenance.end();
  return {{"kind", "history_entry"},
          {"schema_version", kHistorySchemaVersion},
          {"created", created},
          {"run_name", run.name},
          {"git_sha", sha != run.provenance.end() && sha->is_string() ? *sha : json("")},
          {"zcbench_version",
           version != run.provenance.end() && version->is_string() ? *version : json("")},
          {"tasks", tasks}};
}

fs::path add_to_history(const RunStats& run, const fs::path& history_dir,
                        const std::string& created) {
  const json entry = history_entry_json(run, created);
  // ':' is not allowed in file names everywhere; the id keeps the time's digits.
  std::string stamp = created;
  std::replace(stamp.begin(), stamp.end(), ':', '-');
  const fs::path file = history_dir / (stamp + "-" + short_sha(entry["git_sha"]) + ".json");
  std::error_code error;
  fs::create_directories(history_dir, error);
  if (error)
    throw Error(history_dir.string() + ": cannot create the directory: " + error.message());
  if (fs::exists(file))
    throw Error(file.string() + ": a history entry of that time exists already");
  const fs::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << entry.dump(1) << '\n';
    out.close();
    if (!out) throw Error(temporary.string() + ": cannot write the history entry");
  }
  fs::rename(temporary, file, error);
  if (error)
    throw Error(file.string() + ": cannot move the history entry into place: " + error.message());
  return file;
}

std::vector<HistoryEntry> load_history(const fs::path& history_dir) {
  std::vector<HistoryEntry> history;
  std::error_code error;
  if (!fs::is_directory(history_dir, error)) return history;
  for (const auto& item : fs::directory_iterator(history_dir)) {
    if (item.is_regular_file() && item.path().extension() == ".json") {
      history.push_back(parse_entry(item.path()));
    }
  }
  std::sort(history.begin(), history.end(), [](const HistoryEntry& a, const HistoryEntry& b) {
    return a.created != b.created ? a.created < b.created : a.id < b.id;
  });
  return history;
}

std::vector<HistoryChange> history_changes(const HistoryEntry& before, const HistoryEntry& after) {
  std::vector<HistoryChange> changes;
  for (const auto& [task, proxies] : after.tasks) {
    const auto old_task = before.tasks.find(task);
    if (old_task == before.tasks.end()) continue;
    for (const auto& [proxy, point] : proxies) {
      const auto old_point = std::find_if(old_task->second.begin(), old_task->second.end(),
                                          [&](const auto& entry) { return entry.first == proxy; });
      if (old_point == old_task->second.end()) continue;
      const HistoryPoint& previous = old_point->second;
      std::vector<std::string> keys;
      for (const auto& [key, value] : point.stats) keys.push_back(key);
      for (const auto& [key, value] : previous.stats) {
        if (point.stats.count(key) == 0) keys.push_back(key);
      }
      for (const std::string& key : keys) {
        const std::optional<Estimate> a = statistic_at(previous, key);
        const std::optional<Estimate> b = statistic_at(point, key);
        if (same_value(a, b)) continue;
        HistoryChange change;
        change.task = task;
        change.proxy = proxy;
        change.statistic = key;
        change.before = a;
        change.after = b;
        change.version_before = previous.version;
        change.version_after = point.version;
        change.unannounced = previous.version == point.version;
        change.outside_interval = a && b && a->lo && a->hi && b->estimate &&
                                  (*b->estimate < *a->lo || *b->estimate > *a->hi);
        changes.push_back(std::move(change));
      }
    }
  }
  return changes;
}

std::string history_report(const std::vector<HistoryEntry>& history) {
  if (history.empty()) return "The history is empty.\n";
  const HistoryEntry& newest = history.back();
  std::string out = std::to_string(history.size()) + " archived run" +
                    (history.size() == 1 ? "" : "s") + "; newest " + newest.id + ".\n";
  if (history.size() < 2) return out + "Nothing to compare it with yet.\n";
  const HistoryEntry& previous = history[history.size() - 2];
  const std::vector<HistoryChange> changes = history_changes(previous, newest);
  std::size_t unannounced = 0;
  for (const HistoryChange& change : changes) unannounced += change.unannounced ? 1 : 0;
  out += "Against " + previous.id + ": " + std::to_string(changes.size()) + " statistic" +
         (changes.size() == 1 ? "" : "s") + " changed, " + std::to_string(unannounced) +
         " of them with the proxy's version unchanged.\n";
  for (const HistoryChange& change : changes) {
    out += std::string(change.unannounced ? "UNANNOUNCED " : "versioned   ") + change.task + " " +
           change.proxy + " " + change.statistic + ": " + describe(change.before) + " -> " +
           describe(change.after) + " (" + version_text(change.version_before) + " -> " +
           version_text(change.version_after) + ")" +
           (change.outside_interval ? ", outside the previous interval" : "") + "\n";
  }
  return out;
}

}  // namespace zcb::site
