#include "zcb/results/merge.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <tuple>

#include "zcb/error.hpp"
#include "zcb/results/score_file.hpp"

namespace zcb {
namespace fs = std::filesystem;
namespace {

/// One `seed-<k>.part-<i>-of-<N>.h5` found on disk.
struct PartFile {
  fs::path path;
  int shard_index = 0;
  int shard_count = 0;
};

/// (space, task, proxy, seed) of a part, from its path; all parts of one key share it.
using KeyName = std::tuple<std::string, std::string, std::string, int>;

bool same_row(const ScoreRow& a, const ScoreRow& b) {
  // Bit-level score equality: NaN equals NaN, and -0.0 differs from 0.0, as in the files.
  return std::memcmp(&a.score, &b.score, sizeof a.score) == 0 && a.status == b.status &&
         a.message == b.message;
}

std::string differing_fields(const nlohmann::json& a, const nlohmann::json& b) {
  std::string fields;
  for (const auto& [name, value] : a.items()) {
    if (!b.contains(name) || b.at(name) != value) fields += (fields.empty() ? "" : ", ") + name;
  }
  for (const auto& [name, value] : b.items()) {
    if (!a.contains(name)) fields += (fields.empty() ? "" : ", ") + name;
  }
  return fields;
}

/// Parts grouped by key, each group sorted by (N, index).
std::map<KeyName, std::vector<PartFile>> find_parts(const fs::path& raw) {
  static const std::regex kPartName(R"(seed-(\d+)\.part-(\d+)-of-(\d+)\.h5)");
  std::map<KeyName, std::vector<PartFile>> groups;
  if (!fs::exists(raw)) return groups;
  for (const auto& entry : fs::recursive_directory_iterator(raw)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !std::regex_match(name, match, kPartName)) continue;
    const fs::path relative = fs::relative(entry.path(), raw);
    std::vector<std::string> parts;
    for (const auto& component : relative.parent_path()) parts.push_back(component.string());
    if (parts.size() != 3) {
      throw Error(entry.path().string() +
                  " is not at raw/<space>/<task>/<proxy>/: move it there or delete it");
    }
    PartFile part{entry.path(), std::stoi(match[2]), std::stoi(match[3])};
    groups[KeyName{parts[0], parts[1], parts[2], std::stoi(match[1])}].push_back(part);
  }
  for (auto& [key, files] : groups) {
    std::sort(files.begin(), files.end(), [](const PartFile& a, const PartFile& b) {
      return std::tie(a.shard_count, a.shard_index) < std::tie(b.shard_count, b.shard_index);
    });
  }
  return groups;
}

/// Rows and timings collected for one key, with where each row came from.
class Union {
 public:
  void add(const ScoreFile& file, const fs::path& from) {
    for (const ScoreRow& row : file.rows) {
      const auto [it, inserted] = rows_.emplace(row.arch_id, std::make_pair(row, from));
      if (!inserted && !same_row(it->second.first, row)) {
        throw Error("architecture " + std::to_string(row.arch_id) + " has different rows in " +
                    it->second.second.string() + " and " + from.string() +
                    " (were they scored from different configs?); delete the wrong file and "
                    "rescore its shard");
      }
    }
  }
  void add_timings(const fs::path& score_file) {
    const fs::path sidecar = timing_path(score_file);
    if (!fs::exists(sidecar)) return;
    // Timings are informative only; a damaged sidecar must not block the scores.
    try {
      for (const TimingRow& row : read_timing_file(sidecar)) timings_.emplace(row.arch_id, row);
    } catch (const Error&) {
    }
  }
  std::vector<ScoreRow> rows() const {
    std::vector<ScoreRow> result;
    for (const auto& [arch, entry] : rows_) result.push_back(entry.first);
    return result;
  }
  std::vector<TimingRow> timings() const {
    std::vector<TimingRow> result;
    for (const auto& [arch, row] : timings_) {
      if (rows_.count(arch) != 0) result.push_back(row);
    }
    return result;
  }

 private:
  std::map<std::int64_t, std::pair<ScoreRow, fs::path>> rows_;
  std::map<std::int64_t, TimingRow> timings_;
};

MergedKey merge_key(const fs::path& results_root, const KeyName& name,
                    const std::vector<PartFile>& parts) {
  const auto& [space, task, proxy, seed] = name;
  MergedKey merged;
  merged.target = score_path(results_root, ScoreKey{space, task, proxy, seed, 0, 1});
  Union all;
  nlohmann::json provenance;
  fs::path provenance_from;
  const auto same_provenance = [&](const ScoreFile& file, const fs::path& path) {
    if (provenance.is_null()) {
      provenance = file.provenance;
      provenance_from = path;
      return;
    }
    if (file.provenance.value("settings_hash", "") != provenance.value("settings_hash", "")) {
      throw Error(path.string() + " and " + provenance_from.string() +
                  " were scored with different settings (" +
                  differing_fields(file.provenance.value("settings", nlohmann::json::object()),
                                   provenance.value("settings", nlohmann::json::object())) +
                  "); rescore one of them with the other's config and build");
    }
    const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json& a =
        file.provenance.contains("environment") ? file.provenance.at("environment") : empty;
    const nlohmann::json& b =
        provenance.contains("environment") ? provenance.at("environment") : empty;
    if (a != b) {
      throw Error(path.string() + " and " + provenance_from.string() +
                  " were scored by different builds or machines (environment fields: " +
                  differing_fields(a, b) +
                  "); their floating-point results may differ, so they are not merged: rescore "
                  "the shards with one build on one kind of machine");
    }
  };

  // Every N found must be complete on its own for the merged file to be complete.
  std::map<int, std::vector<bool>> seen;  // N -> which indices are present and complete
  for (const PartFile& part : parts) {
    const ScoreFile file = read_score_file(part.path);
    const ScoreKey expected{space, task, proxy, seed, part.shard_index, part.shard_count};
    if (file.key != expected) {
      throw Error(part.path.string() + " holds the rows of another key (" + file.key.space + "/" +
                  file.key.task + "/" + file.key.proxy + " seed " + std::to_string(file.key.seed) +
                  " shard " + std::to_string(file.key.shard_index) + " of " +
                  std::to_string(file.key.shard_count) + "); move or delete it");
    }
    same_provenance(file, part.path);
    all.add(file, part.path);
    all.add_timings(part.path);
    auto& flags = seen[part.shard_count];
    flags.resize(static_cast<std::size_t>(part.shard_count), false);
    flags[static_cast<std::size_t>(part.shard_index)] = file.complete;
    ++merged.parts_found;
    merged.shard_count = std::max(merged.shard_count, part.shard_count);
  }
  bool complete = false;
  for (const auto& [count, flags] : seen) {
    bool all_complete = true;
    for (int i = 0; i < count; ++i) {
      if (!flags[static_cast<std::size_t>(i)]) {
        all_complete = false;
        merged.missing_or_incomplete.push_back(
            score_path(results_root, ScoreKey{space, task, proxy, seed, i, count})
                .filename()
                .string());
      }
    }
    complete = complete || all_complete;
  }
  if (fs::exists(merged.target)) {
    const ScoreFile existing = read_score_file(merged.target);
    same_provenance(existing, merged.target);
    all.add(existing, merged.target);
    all.add_timings(merged.target);
    complete = complete || existing.complete;
  }
  ScoreFile out;
  out.key = ScoreKey{space, task, proxy, seed, 0, 1};
  out.rows = all.rows();
  out.provenance = provenance;
  out.complete = complete;
  write_score_file(merged.target, out);
  write_timing_file(timing_path(merged.target), all.timings(),
                    {{"note", "wall-clock milliseconds, merged from the shards' sidecars"}});
  merged.rows = static_cast<std::int64_t>(out.rows.size());
  merged.complete = complete;
  return merged;
}

}  // namespace

std::vector<MergedKey> merge_shards(const fs::path& results_root) {
  std::vector<MergedKey> merged;
  for (const auto& [name, parts] : find_parts(results_root / "raw")) {
    merged.push_back(merge_key(results_root, name, parts));
  }
  return merged;
}

}  // namespace zcb
