#include "zcb/site/stats_files.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "zcb/error.hpp"

namespace zcb::site {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

/// Reads and checks the JSON fields of one file; every message names the file and the field.
class Reader {
 public:
  explicit Reader(fs::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(file_.string() + ": " + what);
  }

  json parse() const {
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
      fail("cannot open the file; run `zcbench stats` first or check the stats directory");
    }
    std::ostringstream text;
    text << in.rdbuf();
    try {
      return json::parse(text.str());
    } catch (const json::exception& e) {
      fail(std::string("not valid JSON (") + e.what() + ")");
    }
  }

  /// Checks `kind` and `schema_version` of a top-level object.
  void check_header(const json& root, const std::string& kind) const {
    if (!root.is_object()) {
      fail("expected a JSON object at the top level");
    }
    const auto found_kind = root.find("kind");
    if (found_kind == root.end() || !found_kind->is_string() || *found_kind != kind) {
      fail("expected \"kind\": \"" + kind + "\", found " +
           (found_kind == root.end() ? std::string("no kind") : found_kind->dump()) +
           "; is this the right file?");
    }
    const auto version = root.find("schema_version");
    if (version == root.end() || !version->is_number_integer()) {
      fail("missing or non-integer \"schema_version\"; the file is not from `zcbench stats`");
    }
    const auto value = version->get<std::int64_t>();
    if (value > kStatsSchemaVersion) {
      fail("schema_version " + std::to_string(value) + " is newer than this renderer reads (" +
           std::to_string(kStatsSchemaVersion) + "); update zcbench");
    }
    if (value < 1) {
      fail("invalid schema_version " + std::to_string(value));
    }
  }

  const json* field(const json& object, const std::string& key) const {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }

  std::string required_string(const json& object, const std::string& key,
                              const std::string& where) const {
    const json* value = field(object, key);
    if (value == nullptr || !value->is_string() || value->get_ref<const std::string&>().empty()) {
      fail("\"" + where + key + "\" must be a non-empty string");
    }
    return value->get<std::string>();
  }

  std::string optional_string(const json& object, const std::string& key,
                              const std::string& where) const {
    const json* value = field(object, key);
    if (value == nullptr) {
      return {};
    }
    if (!value->is_string()) {
      fail("\"" + where + key + "\" must be a string or null, found " + value->type_name());
    }
    return value->get<std::string>();
  }

  /// An array of strings; empty when missing or null.
  std::vector<std::string> strings(const json& object, const std::string& key,
                                   const std::string& where) const {
    const json* value = field(object, key);
    if (value == nullptr) {
      return {};
    }
    if (!value->is_array() || !std::all_of(value->begin(), value->end(),
                                           [](const json& item) { return item.is_string(); })) {
      fail("\"" + where + key + "\" must be an array of strings");
    }
    return value->get<std::vector<std::string>>();
  }

  std::optional<double> number(const json& object, const std::string& key,
                               const std::string& where) const {
    const json* value = field(object, key);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_number()) {
      fail("\"" + where + key + "\" must be a number or null, found " + value->type_name());
    }
    return value->get<double>();
  }

  std::optional<std::int64_t> integer(const json& object, const std::string& key,
                                      const std::string& where) const {
    const json* value = field(object, key);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_number_integer() ||
        (value->is_number_unsigned() &&
         value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
      fail("\"" + where + key + "\" must be an integer or null, found " + value->dump());
    }
    return value->get<std::int64_t>();
  }

  std::optional<bool> boolean(const json& object, const std::string& key,
                              const std::string& where) const {
    const json* value = field(object, key);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_boolean()) {
      fail("\"" + where + key + "\" must be true, false or null, found " + value->dump());
    }
    return value->get<bool>();
  }

  /// An integer or a string, kept as text (seeds may exceed what a double holds).
  std::optional<std::string> scalar_text(const json& object, const std::string& key,
                                         const std::string& where) const {
    const json* value = field(object, key);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (value->is_string()) {
      return value->get<std::string>();
    }
    if (!value->is_number_integer()) {
      fail("\"" + where + key + "\" must be an integer, a string or null");
    }
    return value->dump();
  }

  /// An object, or an empty object when missing or null.
  const json& object(const json& parent, const std::string& key, const std::string& where) const {
    static const json kEmpty = json::object();
    const json* value = field(parent, key);
    if (value == nullptr) {
      return kEmpty;
    }
    if (!value->is_object()) {
      fail("\"" + where + key + "\" must be an object or null, found " + value->type_name());
    }
    return *value;
  }

  /// Keeps an object-valued field (provenance, config) as JSON; null when missing.
  json any_object(const json& parent, const std::string& key) const {
    const json* value = field(parent, key);
    if (value == nullptr) {
      return nullptr;
    }
    if (!value->is_object()) {
      fail("\"" + key + "\" must be an object or null, found " + value->type_name());
    }
    return *value;
  }

  const fs::path& file() const { return file_; }

 private:
  fs::path file_;
};

Estimate read_estimate(const Reader& reader, const json& value, const std::string& where) {
  Estimate estimate;
  estimate.estimate = reader.number(value, "estimate", where);
  estimate.lo = reader.number(value, "lo", where);
  estimate.hi = reader.number(value, "hi", where);
  estimate.n_nan_resamples = reader.integer(value, "n_nan_resamples", where);
  return estimate;
}

PublishedComparison read_published(const Reader& reader, const json& value,
                                   const std::string& where) {
  if (!value.is_object()) {
    reader.fail("\"" + where + "\" must be an object");
  }
  const std::string prefix = where + ".";
  PublishedComparison published;
  published.paper = reader.required_string(value, "paper", prefix);
  published.where = reader.optional_string(value, "where", prefix);
  published.statistic = reader.required_string(value, "statistic", prefix);
  published.absolute = reader.boolean(value, "absolute", prefix).value_or(false);
  published.value = reader.number(value, "value", prefix);
  published.decimals = reader.integer(value, "decimals", prefix);
  published.sample = reader.optional_string(value, "sample", prefix);
  published.ground_truth = reader.optional_string(value, "ground_truth", prefix);
  published.notes = reader.optional_string(value, "notes", prefix);
  published.origin = reader.optional_string(value, "origin", prefix);
  published.verdict = reader.required_string(value, "verdict", prefix);
  const json& ours = reader.object(value, "ours", prefix);
  published.over = reader.optional_string(ours, "over", prefix + "ours.");
  published.n = reader.integer(ours, "n", prefix + "ours.");
  published.ours = read_estimate(reader, ours, prefix + "ours.");
  published.difference = reader.number(value, "difference", prefix);
  published.ground_truth_metric = reader.optional_string(value, "ground_truth_metric", prefix);
  published.same_ground_truth = reader.boolean(value, "same_ground_truth", prefix);
  return published;
}

/// One statistic's {values, mean, sd, min, max} of a proxy's `seed_spread`.
SeedSpread read_spread(const Reader& reader, const json& value,
                       const std::vector<std::int64_t>& seeds, const std::string& where) {
  if (!value.is_object()) {
    reader.fail("\"" + where + "\" must be an object");
  }
  const std::string prefix = where + ".";
  SeedSpread spread;
  spread.seeds = seeds;
  const json* values = reader.field(value, "values");
  if (values == nullptr || !values->is_array() || values->size() != seeds.size()) {
    reader.fail("\"" + prefix + "values\" must be an array of one number or null per seed");
  }
  for (const json& v : *values) {
    if (!v.is_null() && !v.is_number()) {
      reader.fail("\"" + prefix + "values\" must be an array of one number or null per seed");
    }
    spread.values.push_back(v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt);
  }
  spread.mean = reader.number(value, "mean", prefix);
  spread.sd = reader.number(value, "sd", prefix);
  spread.min = reader.number(value, "min", prefix);
  spread.max = reader.number(value, "max", prefix);
  return spread;
}

/// A proxy's `seed_spread`, keyed like its `stats` ("spearman_all" for stats_all's Spearman).
std::map<std::string, SeedSpread> read_seed_spread(const Reader& reader, const json& proxy,
                                                   const std::string& where) {
  std::map<std::string, SeedSpread> result;
  const json& spread = reader.object(proxy, "seed_spread", where);
  if (spread.empty()) {
    return result;
  }
  const std::string prefix = where + "seed_spread.";
  const json* seeds = reader.field(spread, "seeds");
  if (seeds == nullptr || !seeds->is_array() ||
      !std::all_of(seeds->begin(), seeds->end(),
                   [](const json& seed) { return seed.is_number_integer(); })) {
    reader.fail("\"" + prefix + "seeds\" must be an array of integers");
  }
  const auto seed_list = seeds->get<std::vector<std::int64_t>>();
  for (const auto& [key, value] : reader.object(spread, "stats", prefix).items()) {
    result[key] = read_spread(reader, value, seed_list, prefix + "stats." + key);
  }
  const json& all = reader.object(spread, "stats_all", prefix);
  if (const auto it = all.find("spearman"); it != all.end()) {
    result["spearman_all"] = read_spread(reader, *it, seed_list, prefix + "stats_all.spearman");
  }
  return result;
}

ProxyStats read_proxy(const Reader& reader, const json& value, std::size_t index) {
  const std::string where = "proxies[" + std::to_string(index) + "].";
  if (!value.is_object()) {
    reader.fail("\"proxies[" + std::to_string(index) + "]\" must be an object");
  }
  ProxyStats proxy;
  proxy.name = reader.required_string(value, "name", where);
  proxy.version = reader.integer(value, "version", where);
  proxy.higher_is_better = reader.boolean(value, "higher_is_better", where);
  proxy.n_scored = reader.integer(value, "n_scored", where);
  proxy.n_ok = reader.integer(value, "n_ok", where);
  proxy.coverage = reader.number(value, "coverage", where);
  proxy.n_missing = reader.integer(value, "n_missing", where);
  proxy.mean_build_ms = reader.number(value, "mean_build_ms", where);
  proxy.mean_score_ms = reader.number(value, "mean_score_ms", where);

  const json& counts = reader.object(value, "status_counts", where);
  for (const auto& [status, count] : counts.items()) {
    if (const auto n = reader.integer(counts, status, where + "status_counts.")) {
      proxy.status_counts[status] = *n;
    }
  }

  proxy.errors = reader.strings(value, "errors", where);

  const json& stats = reader.object(value, "stats", where);
  for (const auto& [key, stat] : stats.items()) {
    if (stat.is_null()) {
      proxy.stats[key] = std::nullopt;
    } else if (stat.is_object()) {
      proxy.stats[key] = read_estimate(reader, stat, where + "stats." + key + ".");
    } else {
      reader.fail("\"" + where + "stats." + key + "\" must be an object or null");
    }
  }
  if (const json* published = reader.field(value, "published")) {
    if (!published->is_array()) {
      reader.fail("\"" + where + "published\" must be an array");
    }
    for (std::size_t i = 0; i < published->size(); ++i) {
      proxy.published.push_back(
          read_published(reader, (*published)[i], where + "published[" + std::to_string(i) + "]"));
    }
  }
  proxy.seed_spread = read_seed_spread(reader, value, where);
  // The Spearman over every architecture the proxy scored (non-finite ranked last), shown
  // beside the common-set statistics as "spearman_all".
  if (const json* all = reader.field(value, "stats_all"); all != nullptr && all->is_object()) {
    const auto stats_all = all->find("stats");
    if (stats_all != all->end() && stats_all->is_object() && stats_all->contains("spearman")) {
      const json& spearman = stats_all->at("spearman");
      proxy.stats["spearman_all"] =
          spearman.is_object() ? std::optional<Estimate>(read_estimate(
                                     reader, spearman, where + "stats_all.stats.spearman."))
                               : std::nullopt;
    }
  }
  return proxy;
}

/// The `comparisons` object: statistic key -> array of {a, b, difference, share_a_better}, each
/// naming two different proxies of the file.
std::map<std::string, std::vector<PairedComparison>> read_comparisons(
    const Reader& reader, const json& root, const std::set<std::string>& proxy_names) {
  std::map<std::string, std::vector<PairedComparison>> comparisons;
  const json& object = reader.object(root, "comparisons", "");
  for (const auto& [key, pairs] : object.items()) {
    const std::string where = "comparisons." + key;
    if (!pairs.is_array()) {
      reader.fail("\"" + where + "\" must be an array");
    }
    std::vector<PairedComparison>& list = comparisons[key];
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const std::string prefix = where + "[" + std::to_string(i) + "].";
      const json& pair = pairs[i];
      if (!pair.is_object()) {
        reader.fail("\"" + where + "[" + std::to_string(i) + "]\" must be an object");
      }
      PairedComparison comparison;
      comparison.a = reader.required_string(pair, "a", prefix);
      comparison.b = reader.required_string(pair, "b", prefix);
      for (const std::string* name : {&comparison.a, &comparison.b}) {
        if (proxy_names.count(*name) == 0) {
          reader.fail("\"" + prefix + (name == &comparison.a ? "a" : "b") + "\" names proxy \"" +
                      *name + "\", which the file does not list");
        }
      }
      if (comparison.a == comparison.b) {
        reader.fail("\"" + prefix + "b\" compares proxy \"" + comparison.a + "\" with itself");
      }
      comparison.difference =
          read_estimate(reader, reader.object(pair, "difference", prefix), prefix + "difference.");
      comparison.share_a_better = reader.number(pair, "share_a_better", prefix);
      list.push_back(std::move(comparison));
    }
  }
  return comparisons;
}

/// The `scatter` object: {n, truth, places: {proxy: [...]}}, every array of n numbers.
Scatter read_scatter(const Reader& reader, const json& root,
                     const std::set<std::string>& proxy_names) {
  Scatter scatter;
  const json& object = reader.object(root, "scatter", "");
  if (object.empty()) {
    return scatter;
  }
  const auto numbers = [&](const json& array, const std::string& where) {
    if (!array.is_array() ||
        !std::all_of(array.begin(), array.end(), [](const json& v) { return v.is_number(); })) {
      reader.fail("\"" + where + "\" must be an array of numbers");
    }
    return array.get<std::vector<double>>();
  };
  const json* truth = reader.field(object, "truth");
  scatter.truth = numbers(truth != nullptr ? *truth : json(), "scatter.truth");
  for (const auto& [name, places] : reader.object(object, "places", "scatter.").items()) {
    if (proxy_names.count(name) == 0) {
      reader.fail("\"scatter.places\" names proxy \"" + name + "\", which the file does not list");
    }
    scatter.places[name] = numbers(places, "scatter.places." + name);
    if (scatter.places[name].size() != scatter.truth.size()) {
      reader.fail("\"scatter.places." + name +
                  "\" must have one value per \"scatter.truth\" value");
    }
  }
  return scatter;
}

/// A relative path without "..", so a task file can never lie outside the stats directory.
fs::path safe_relative_path(const Reader& reader, const std::string& file) {
  const fs::path path(file);
  bool safe = !file.empty() && path.is_relative() && !path.has_root_name();
  for (const auto& part : path) {
    safe = safe && part != ".." && part != ".";
  }
  if (!safe) {
    reader.fail("task file \"" + file +
                "\" must be a relative path inside the stats directory, without \"..\"");
  }
  return path;
}

}  // namespace

TaskStats load_task_stats(const fs::path& file) {
  const Reader reader(file);
  const json root = reader.parse();
  reader.check_header(root, "task_stats");

  TaskStats task;
  task.file = file;
  task.space = reader.required_string(root, "space", "");
  task.task = reader.required_string(root, "task", "");
  task.ground_truth = reader.optional_string(root, "ground_truth", "");
  task.ground_truth_description = reader.optional_string(root, "ground_truth_description", "");
  task.n_planned = reader.integer(root, "n_planned", "");
  task.n_common = reader.integer(root, "n_common", "");
  task.n_truth_nonfinite = reader.integer(root, "n_truth_nonfinite", "");
  task.n_distinct_networks = reader.integer(root, "n_distinct_networks", "");
  task.oriented = reader.boolean(root, "oriented", "");
  task.stats_reason = reader.optional_string(root, "stats_reason", "");
  task.statistics = reader.strings(root, "statistics", "");

  const json& bootstrap = reader.object(root, "bootstrap", "");
  const std::string bootstrap_where = "bootstrap.";
  if (auto method = reader.optional_string(bootstrap, "method", bootstrap_where); !method.empty()) {
    task.bootstrap.method = std::move(method);
  }
  task.bootstrap.samples = reader.integer(bootstrap, "samples", bootstrap_where);
  task.bootstrap.confidence = reader.number(bootstrap, "confidence", bootstrap_where);
  task.bootstrap.seed = reader.scalar_text(bootstrap, "seed", bootstrap_where);

  const json& inputs = reader.object(root, "inputs", "");
  if (auto sha = reader.optional_string(inputs, "table_sha256", "inputs."); !sha.empty()) {
    task.table_sha256 = std::move(sha);
  }
  const json& score_files = reader.object(inputs, "score_files", "inputs.");
  for (const auto& [proxy, sha] : score_files.items()) {
    task.score_files[proxy] = reader.optional_string(score_files, proxy, "inputs.score_files.");
  }
  task.provenance = reader.any_object(root, "provenance");

  const json* proxies = reader.field(root, "proxies");
  if (proxies == nullptr || !proxies->is_array()) {
    reader.fail("\"proxies\" must be an array");
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < proxies->size(); ++i) {
    ProxyStats proxy = read_proxy(reader, (*proxies)[i], i);
    if (!names.insert(proxy.name).second) {
      reader.fail("proxy \"" + proxy.name + "\" is listed twice");
    }
    task.proxies.push_back(std::move(proxy));
  }
  task.comparisons = read_comparisons(reader, root, names);
  task.scatter = read_scatter(reader, root, names);
  return task;
}

RunStats load_stats(const fs::path& stats_dir) {
  const Reader reader(stats_dir / "run.json");
  const json root = reader.parse();
  reader.check_header(root, "run");

  RunStats run;
  run.dir = stats_dir;
  run.name = reader.optional_string(root, "name", "");
  run.config = reader.any_object(root, "config");
  run.provenance = reader.any_object(root, "provenance");

  for (const auto& [name, entry] : reader.object(root, "proxy_catalogue", "").items()) {
    const std::string where = "proxy_catalogue." + name + ".";
    if (!entry.is_object()) {
      reader.fail("\"proxy_catalogue." + name + "\" must be an object");
    }
    ProxyCatalogueEntry catalogued;
    catalogued.version = reader.integer(entry, "version", where);
    catalogued.higher_is_better = reader.boolean(entry, "higher_is_better", where);
    catalogued.paper = reader.optional_string(entry, "paper", where);
    catalogued.reference = reader.optional_string(entry, "reference", where);
    catalogued.variant_of = reader.optional_string(entry, "variant_of", where);
    catalogued.summary = reader.optional_string(entry, "summary", where);
    catalogued.inputs = reader.optional_string(entry, "inputs", where);
    catalogued.components = reader.strings(entry, "components", where);
    run.proxy_catalogue[name] = std::move(catalogued);
  }

  const json* tasks = reader.field(root, "tasks");
  if (tasks == nullptr || !tasks->is_array()) {
    reader.fail("\"tasks\" must be an array");
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < tasks->size(); ++i) {
    const json& entry = (*tasks)[i];
    const std::string where = "tasks[" + std::to_string(i) + "].";
    if (!entry.is_object()) {
      reader.fail("\"tasks[" + std::to_string(i) + "]\" must be an object");
    }
    const std::string space = reader.required_string(entry, "space", where);
    const std::string task_name = reader.required_string(entry, "task", where);
    const fs::path file =
        stats_dir / safe_relative_path(reader, reader.required_string(entry, "file", where));
    TaskStats task = load_task_stats(file);
    if (task.space != space || task.task != task_name) {
      throw Error(file.string() + ": holds " + task.space + "/" + task.task + " but " +
                  reader.file().string() + " lists it as " + space + "/" + task_name);
    }
    if (!seen.emplace(space, task_name).second) {
      reader.fail("lists " + space + "/" + task_name + " twice");
    }
    run.tasks.push_back(std::move(task));
  }
  return run;
}

}  // namespace zcb::site
