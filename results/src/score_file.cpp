#include "zcb/results/score_file.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "zcb/data/h5_util.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace fs = std::filesystem;
namespace {

constexpr int kSchemaVersion = 1;
constexpr const char* kScoresAttribute = "zcb_scores";
constexpr const char* kTimingsAttribute = "zcb_timings";

// Appended to every read error: a bad file is fixed by producing it again.
std::string fix_hint(const fs::path& path) {
  return "; to fix it, delete " + path.string() +
         " and rerun the score stage (or rerun it with --force)";
}

void check_name(const std::string& what, const std::string& value) {
  if (value.empty() || value == "." || value == ".." ||
      value.find_first_of("/\\") != std::string::npos || value.find('\0') != std::string::npos) {
    throw Error("invalid score key: " + what + " '" + value +
                "' must be a non-empty single path component");
  }
}

void check_key(const ScoreKey& key) {
  check_name("space", key.space);
  check_name("task", key.task);
  check_name("proxy", key.proxy);
  if (key.seed < 0) throw Error("invalid score key: seed " + std::to_string(key.seed) + " < 0");
  if (key.shard_count < 1 || key.shard_index < 0 || key.shard_index >= key.shard_count) {
    throw Error("invalid score key: shard " + std::to_string(key.shard_index) + " of " +
                std::to_string(key.shard_count) + " (need 0 <= index < count)");
  }
}

nlohmann::json key_to_json(const ScoreKey& key) {
  return {{"space", key.space},
          {"task", key.task},
          {"proxy", key.proxy},
          {"seed", key.seed},
          {"shard_index", key.shard_index},
          {"shard_count", key.shard_count}};
}

// Throws a plain zcb::Error; the caller adds the path and the fix.
const nlohmann::json& field(const nlohmann::json& object, const char* name,
                            nlohmann::json::value_t type) {
  const auto it = object.find(name);
  if (it == object.end()) throw Error(std::string("metadata field '") + name + "' is missing");
  const bool integer_ok = type == nlohmann::json::value_t::number_integer &&
                          it->type() == nlohmann::json::value_t::number_unsigned;
  if (it->type() != type && !integer_ok) {
    throw Error(std::string("metadata field '") + name + "' has the wrong type");
  }
  return *it;
}

int int_field(const nlohmann::json& object, const char* name) {
  const auto& value = field(object, name, nlohmann::json::value_t::number_integer);
  const auto number = value.get<std::int64_t>();
  if (number < 0 || number > 0x7fffffff) {
    throw Error(std::string("metadata field '") + name + "' is out of range");
  }
  return static_cast<int>(number);
}

ScoreKey key_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw Error("metadata field 'key' is not an object");
  ScoreKey key;
  key.space = field(json, "space", nlohmann::json::value_t::string).get<std::string>();
  key.task = field(json, "task", nlohmann::json::value_t::string).get<std::string>();
  key.proxy = field(json, "proxy", nlohmann::json::value_t::string).get<std::string>();
  key.seed = int_field(json, "seed");
  key.shard_index = int_field(json, "shard_index");
  key.shard_count = int_field(json, "shard_count");
  check_key(key);
  return key;
}

// Parses the root JSON attribute and checks its schema version.
nlohmann::json read_metadata(H5::H5File& file, const char* attribute) {
  const std::string text = h5::read_string_attribute(file, attribute);
  nlohmann::json metadata = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (metadata.is_discarded() || !metadata.is_object()) {
    throw Error(std::string("attribute '") + attribute + "' is not a JSON object");
  }
  const auto version = field(metadata, "schema_version", nlohmann::json::value_t::number_integer)
                           .get<std::int64_t>();
  if (version != kSchemaVersion) {
    throw Error("schema version " + std::to_string(version) + " (this build reads version " +
                std::to_string(kSchemaVersion) + ")");
  }
  return metadata;
}

// nlohmann::json objects are sorted maps, so equal metadata dumps to equal bytes.
std::string dump_metadata(const fs::path& path, const nlohmann::json& metadata) {
  try {
    return metadata.dump();
  } catch (const nlohmann::json::exception& e) {
    throw Error("cannot write " + path.string() + ": metadata is not valid JSON (" + e.what() +
                "); strings must be UTF-8");
  }
}

// Arch ids must be strictly increasing on read: the writer sorts and rejects duplicates.
void check_sorted_ids(const std::vector<std::int64_t>& ids) {
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (ids[i] <= ids[i - 1]) {
      throw Error("column '/arch_id' is not strictly increasing at row " + std::to_string(i));
    }
  }
}

void check_length(const std::string& column, std::size_t size, std::size_t expected) {
  if (size != expected) {
    throw Error("column '" + column + "' has " + std::to_string(size) + " rows, '/arch_id' has " +
                std::to_string(expected));
  }
}

// Runs a reader and turns every failure into one message naming the file and the fix.
template <typename Result, typename Read>
Result read_file(const fs::path& path, const char* what, Read read) {
  if (!fs::exists(path)) {
    throw Error(std::string(what) + " " + path.string() +
                " not found; run the score stage to create it");
  }
  try {
    H5::H5File file = h5::open_for_reading(path);
    return read(file);
  } catch (const Error& e) {
    throw Error("cannot read " + std::string(what) + " " + path.string() + ": " + e.what() +
                fix_hint(path));
  } catch (const H5::Exception& e) {
    throw Error("cannot read " + std::string(what) + " " + path.string() + ": " + e.getDetailMsg() +
                fix_hint(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error("cannot read " + std::string(what) + " " + path.string() + ": " + e.what() +
                fix_hint(path));
  }
}

}  // namespace

bool operator==(const ScoreKey& a, const ScoreKey& b) {
  return a.space == b.space && a.task == b.task && a.proxy == b.proxy && a.seed == b.seed &&
         a.shard_index == b.shard_index && a.shard_count == b.shard_count;
}

bool operator!=(const ScoreKey& a, const ScoreKey& b) { return !(a == b); }

fs::path score_path(const fs::path& results_root, const ScoreKey& key) {
  check_key(key);
  std::string name = "seed-" + std::to_string(key.seed);
  if (key.shard_count > 1) {
    name += ".part-" + std::to_string(key.shard_index) + "-of-" + std::to_string(key.shard_count);
  }
  return results_root / "raw" / key.space / key.task / key.proxy / (name + ".h5");
}

fs::path timing_path(const fs::path& score_file) {
  if (score_file.extension() != ".h5" || score_file.stem().empty()) {
    throw Error("timing_path: '" + score_file.string() + "' is not a score file name (*.h5)");
  }
  return score_file.parent_path() / (score_file.stem().string() + ".timing.h5");
}

void write_score_file(const fs::path& path, const ScoreFile& file) {
  check_key(file.key);
  std::vector<const ScoreRow*> rows;
  rows.reserve(file.rows.size());
  for (const ScoreRow& row : file.rows) rows.push_back(&row);
  std::sort(rows.begin(), rows.end(),
            [](const ScoreRow* a, const ScoreRow* b) { return a->arch_id < b->arch_id; });

  std::vector<std::int64_t> ids, statuses;
  std::vector<double> scores;
  std::vector<std::string> messages;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ScoreRow& row = *rows[i];
    if (i > 0 && row.arch_id == rows[i - 1]->arch_id) {
      throw Error("cannot write " + path.string() + ": arch_id " + std::to_string(row.arch_id) +
                  " appears twice");
    }
    if (row.status == RowStatus::kOk && !std::isfinite(row.score)) {
      throw Error("cannot write " + path.string() + ": arch_id " + std::to_string(row.arch_id) +
                  " has status ok but a non-finite score (use status non_finite)");
    }
    // Fixed-size strings end at the first NUL; reject it so the round trip stays exact.
    if (row.message.find('\0') != std::string::npos) {
      throw Error("cannot write " + path.string() + ": the message of arch_id " +
                  std::to_string(row.arch_id) + " contains a NUL byte");
    }
    ids.push_back(row.arch_id);
    scores.push_back(row.score);
    statuses.push_back(static_cast<std::int64_t>(row.status));
    messages.push_back(row.message);
  }
  const std::string metadata = dump_metadata(path, {{"schema_version", kSchemaVersion},
                                                    {"key", key_to_json(file.key)},
                                                    {"complete", file.complete},
                                                    {"provenance", file.provenance}});
  h5::write_atomically(path, [&](H5::H5File& out) {
    h5::write_int64s(out, "/arch_id", ids);
    h5::write_doubles(out, "/score", scores);
    h5::write_int64s(out, "/status", statuses);
    h5::write_strings(out, "/message", messages);
    h5::write_string_attribute(out, kScoresAttribute, metadata);
  });
}

ScoreFile read_score_file(const fs::path& path) {
  return read_file<ScoreFile>(path, "score file", [](H5::H5File& in) {
    const nlohmann::json metadata = read_metadata(in, kScoresAttribute);
    ScoreFile file;
    file.key = key_from_json(field(metadata, "key", nlohmann::json::value_t::object));
    file.complete = field(metadata, "complete", nlohmann::json::value_t::boolean).get<bool>();
    const auto provenance = metadata.find("provenance");
    if (provenance == metadata.end()) throw Error("metadata field 'provenance' is missing");
    file.provenance = *provenance;

    const auto ids = h5::read_int64s(in, "/arch_id");
    const auto scores = h5::read_doubles(in, "/score");
    const auto statuses = h5::read_int64s(in, "/status");
    const auto messages = h5::read_strings(in, "/message");
    check_length("/score", scores.size(), ids.size());
    check_length("/status", statuses.size(), ids.size());
    check_length("/message", messages.size(), ids.size());
    check_sorted_ids(ids);
    file.rows.resize(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (statuses[i] < 0 || statuses[i] > 255) {
        throw Error("unknown row status code " + std::to_string(statuses[i]));
      }
      file.rows[i] = {ids[i], scores[i], row_status_from_int(static_cast<int>(statuses[i])),
                      messages[i]};
    }
    return file;
  });
}

void write_timing_file(const fs::path& path, const std::vector<TimingRow>& rows,
                       const nlohmann::json& info) {
  std::vector<TimingRow> sorted = rows;
  std::sort(sorted.begin(), sorted.end(),
            [](const TimingRow& a, const TimingRow& b) { return a.arch_id < b.arch_id; });
  std::vector<std::int64_t> ids;
  std::vector<double> build_ms, score_ms, peak_rss_mib;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i].arch_id == sorted[i - 1].arch_id) {
      throw Error("cannot write " + path.string() + ": arch_id " +
                  std::to_string(sorted[i].arch_id) + " appears twice");
    }
    ids.push_back(sorted[i].arch_id);
    build_ms.push_back(sorted[i].build_ms);
    score_ms.push_back(sorted[i].score_ms);
    peak_rss_mib.push_back(sorted[i].peak_rss_mib);
  }
  const std::string metadata =
      dump_metadata(path, {{"schema_version", kSchemaVersion}, {"info", info}});
  h5::write_atomically(path, [&](H5::H5File& out) {
    h5::write_int64s(out, "/arch_id", ids);
    h5::write_doubles(out, "/build_ms", build_ms);
    h5::write_doubles(out, "/score_ms", score_ms);
    h5::write_doubles(out, "/peak_rss_mib", peak_rss_mib);
    h5::write_string_attribute(out, kTimingsAttribute, metadata);
  });
}

std::vector<TimingRow> read_timing_file(const fs::path& path) {
  return read_file<std::vector<TimingRow>>(path, "timing file", [](H5::H5File& in) {
    read_metadata(in, kTimingsAttribute);
    const auto ids = h5::read_int64s(in, "/arch_id");
    const auto build_ms = h5::read_doubles(in, "/build_ms");
    const auto score_ms = h5::read_doubles(in, "/score_ms");
    check_length("/build_ms", build_ms.size(), ids.size());
    check_length("/score_ms", score_ms.size(), ids.size());
    // Optional: sidecars written before peak memory was recorded lack it.
    std::vector<double> peak_rss_mib(ids.size(), std::numeric_limits<double>::quiet_NaN());
    if (h5::exists(in, "/peak_rss_mib")) peak_rss_mib = h5::read_doubles(in, "/peak_rss_mib");
    check_length("/peak_rss_mib", peak_rss_mib.size(), ids.size());
    check_sorted_ids(ids);
    std::vector<TimingRow> rows(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      rows[i] = {ids[i], build_ms[i], score_ms[i], peak_rss_mib[i]};
    }
    return rows;
  });
}

}  // namespace zcb
