#include "zcb/data/table.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <set>

#include "zcb/data/h5_util.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

using nlohmann::ordered_json;

constexpr const char* kAttribute = "zcb_table";

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

// Names become HDF5 link names: no '/', not "." and not empty.
bool is_link_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

void check_table(const BenchmarkTable& table, const fs::path& path) {
  const std::string where = "cannot write table " + path.string() + ": ";
  if (!is_link_name(table.benchmark)) throw Error(where + "the benchmark name is empty or has '/'");
  const std::size_t rows = table.arch_strings.size();
  if (table.params.size() != rows || table.flops.size() != rows) {
    throw Error(where + std::to_string(rows) + " arch strings but " +
                std::to_string(table.params.size()) + " params and " +
                std::to_string(table.flops.size()) + " flops (use NaN for unknown values)");
  }
  if (!table.arch_keys.empty() &&
      (table.arch_keys.size() != rows || !is_link_name(table.arch_key_name))) {
    throw Error(where + std::to_string(table.arch_keys.size()) + " arch keys for " +
                std::to_string(rows) + " architectures (or an empty key name)");
  }
  if (!table.provenance.is_object() || !table.provenance.contains("converter_version")) {
    throw Error(where + "provenance must be a JSON object with a 'converter_version'");
  }
  std::set<std::string> task_names;
  for (const TaskTable& task : table.tasks) {
    const TaskInfo& info = task.info;
    const std::string at = where + "task '" + info.name + "': ";
    if (!is_link_name(info.name)) throw Error(where + "a task name is empty or has '/'");
    if (!task_names.insert(info.name).second) throw Error(at + "listed twice");
    if (task.metrics.empty()) throw Error(at + "has no metrics");
    std::vector<std::string> keys;
    for (const auto& [name, column] : task.metrics) {
      keys.push_back(name);
      if (!is_link_name(name)) throw Error(at + "metric name '" + name + "' is empty or has '/'");
      if (column.size() != rows) {
        throw Error(at + "metric '" + name + "' has " + std::to_string(column.size()) +
                    " values for " + std::to_string(rows) + " architectures");
      }
      if (task.metric_descriptions.count(name) == 0) {
        throw Error(at + "metric '" + name + "' has no description (say which split, epochs, " +
                    "seeds and benchmark version it is)");
      }
    }
    if (task.metric_descriptions.size() != task.metrics.size()) {
      throw Error(at + "metric_descriptions has entries for metrics that have no column");
    }
    std::vector<std::string> listed = info.metrics;
    std::sort(listed.begin(), listed.end());
    if (listed != keys) {
      throw Error(at + "info.metrics (" + join(info.metrics) +
                  ") must list exactly the metric columns (" + join(keys) + ")");
    }
    if (task.metrics.count(info.default_metric) == 0) {
      throw Error(at + "default metric '" + info.default_metric + "' is not one of " + join(keys));
    }
  }
  if (!table.official_index.empty() && table.official_index.size() != rows) {
    throw Error(where + std::to_string(rows) + " arch strings but " +
                std::to_string(table.official_index.size()) +
                " official indexes (leave it empty when row i is official index i)");
  }
}

ordered_json header_of(const BenchmarkTable& table) {
  ordered_json header;
  header["schema_version"] = kTableSchemaVersion;
  header["benchmark"] = table.benchmark;
  // Round trip through text: provenance is a sorted json, the header keeps insertion order.
  const ordered_json provenance = ordered_json::parse(table.provenance.dump());
  header["converter_version"] = provenance.at("converter_version");
  header["provenance"] = provenance;
  if (!table.arch_keys.empty()) header["arch_key"] = table.arch_key_name;
  ordered_json tasks = ordered_json::object();
  for (const TaskTable& task : table.tasks) {
    const TaskInfo& info = task.info;
    ordered_json entry;
    entry["description"] = task.description;
    entry["num_classes"] = info.num_classes;
    entry["channels"] = info.channels;
    entry["height"] = info.height;
    entry["width"] = info.width;
    entry["image_source"] = info.image_source;
    entry["loss"] = info.loss;
    entry["default_metric"] = info.default_metric;
    ordered_json metrics = ordered_json::object();
    for (const auto& name : info.metrics) metrics[name] = task.metric_descriptions.at(name);
    entry["metrics"] = metrics;
    tasks[info.name] = entry;
  }
  header["tasks"] = tasks;
  return header;
}

// The fix for every read failure: the table is derived data, so rebuild it.
std::string corrupt(const fs::path& path, const std::string& what) {
  return path.string() + ": " + what + "; delete the file and run convert again";
}

template <typename T>
T header_value(const ordered_json& object, const std::string& key, const fs::path& path,
               const std::string& where) {
  if (!object.is_object() || !object.contains(key)) {
    throw Error(corrupt(path, "header " + where + " has no '" + key + "'"));
  }
  try {
    return object.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Error(corrupt(path, "header " + where + " key '" + key + "' has the wrong type"));
  }
}

}  // namespace

const std::vector<double>& TaskTable::metric(const std::string& name) const {
  const auto it = metrics.find(name);
  if (it != metrics.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& entry : metrics) names.push_back(entry.first);
  throw Error("task '" + info.name + "' has no metric '" + name + "'; its metrics are " +
              join(names));
}

std::size_t BenchmarkTable::size() const { return arch_strings.size(); }

const TaskTable& BenchmarkTable::task(const std::string& name) const {
  std::vector<std::string> names;
  for (const TaskTable& entry : tasks) {
    if (entry.info.name == name) return entry;
    names.push_back(entry.info.name);
  }
  throw Error("benchmark '" + benchmark + "' has no task '" + name + "'; its tasks are " +
              join(names));
}

std::int64_t BenchmarkTable::index_of(const std::string& arch) const {
  const auto it = std::find(arch_strings.begin(), arch_strings.end(), arch);
  return it == arch_strings.end() ? -1 : static_cast<std::int64_t>(it - arch_strings.begin());
}

std::int64_t BenchmarkTable::index_of_key(const std::string& key) const {
  const auto it = std::find(arch_keys.begin(), arch_keys.end(), key);
  return it == arch_keys.end() ? -1 : static_cast<std::int64_t>(it - arch_keys.begin());
}

void write_table(const BenchmarkTable& table, const fs::path& path) {
  check_table(table, path);
  const std::string header = header_of(table).dump();
  h5::write_atomically(path, [&](H5::H5File& file) {
    h5::write_strings(file, "/archs/string", table.arch_strings);
    h5::write_doubles(file, "/archs/params", table.params);
    h5::write_doubles(file, "/archs/flops", table.flops);
    if (!table.arch_keys.empty()) h5::write_strings(file, "/archs/key", table.arch_keys);
    h5::create_groups(file, "/tasks");
    for (const TaskTable& task : table.tasks) {
      for (const auto& name : task.info.metrics) {
        h5::write_doubles(file, "/tasks/" + task.info.name + "/" + name, task.metrics.at(name));
      }
    }
    if (!table.official_index.empty()) {
      h5::write_int64s(file, "/archs/official_index", table.official_index);
    }
    h5::write_string_attribute(file, kAttribute, header);
  });
}

BenchmarkTable read_table(const fs::path& path) {
  H5::H5File file = h5::open_for_reading(path);
  BenchmarkTable table;
  try {
    ordered_json header;
    try {
      header = ordered_json::parse(h5::read_string_attribute(file, kAttribute));
    } catch (const nlohmann::json::exception&) {
      throw Error(corrupt(path, "the '" + std::string(kAttribute) + "' header is not valid JSON"));
    }
    const int version = header_value<int>(header, "schema_version", path, "");
    if (version != kTableSchemaVersion) {
      throw Error(path.string() + ": table schema version " + std::to_string(version) +
                  ", but this zcbench reads version " + std::to_string(kTableSchemaVersion) +
                  "; run convert again with this zcbench (or use the zcbench that wrote it)");
    }
    table.benchmark = header_value<std::string>(header, "benchmark", path, "");
    table.provenance =
        nlohmann::json::parse(header_value<ordered_json>(header, "provenance", path, "").dump());
    table.arch_strings = h5::read_strings(file, "/archs/string");
    table.params = h5::read_doubles(file, "/archs/params");
    table.flops = h5::read_doubles(file, "/archs/flops");
    const std::size_t rows = table.arch_strings.size();
    if (table.params.size() != rows || table.flops.size() != rows) {
      throw Error(corrupt(path, "/archs columns have different lengths"));
    }
    if (header.contains("arch_key")) {
      table.arch_key_name = header_value<std::string>(header, "arch_key", path, "");
      table.arch_keys = h5::read_strings(file, "/archs/key");
      if (table.arch_keys.size() != rows) {
        throw Error(corrupt(path, "/archs/key has " + std::to_string(table.arch_keys.size()) +
                                      " entries for " + std::to_string(rows) + " architectures"));
      }
    }

    const auto tasks = header_value<ordered_json>(header, "tasks", path, "");
    std::vector<std::string> listed_tasks;
    for (const auto& [name, entry] : tasks.items()) {
      const std::string where = "task '" + name + "'";
      TaskTable task;
      TaskInfo& info = task.info;
      info.name = name;
      task.description = header_value<std::string>(entry, "description", path, where);
      info.num_classes = header_value<int>(entry, "num_classes", path, where);
      info.channels = header_value<int>(entry, "channels", path, where);
      info.height = header_value<int>(entry, "height", path, where);
      info.width = header_value<int>(entry, "width", path, where);
      info.image_source = header_value<std::string>(entry, "image_source", path, where);
      // Added later: tables written before it was stored trained with cross-entropy.
      if (entry.contains("loss")) info.loss = header_value<std::string>(entry, "loss", path, where);
      info.default_metric = header_value<std::string>(entry, "default_metric", path, where);
      const auto metrics = header_value<ordered_json>(entry, "metrics", path, where);
      for (const auto& [metric, description] : metrics.items()) {
        if (!description.is_string()) {
          throw Error(corrupt(path, where + " metric '" + metric + "' has no text description"));
        }
        info.metrics.push_back(metric);
        task.metric_descriptions[metric] = description.get<std::string>();
        std::vector<double> column = h5::read_doubles(file, "/tasks/" + name + "/" + metric);
        if (column.size() != rows) {
          throw Error(corrupt(path, "/tasks/" + name + "/" + metric + " has " +
                                        std::to_string(column.size()) + " values for " +
                                        std::to_string(rows) + " architectures"));
        }
        task.metrics[metric] = std::move(column);
      }
      std::vector<std::string> stored = h5::list_group(file, "/tasks/" + name);
      std::vector<std::string> expected = info.metrics;
      std::sort(expected.begin(), expected.end());
      if (stored != expected) {
        throw Error(corrupt(path, "/tasks/" + name + " holds [" + join(stored) +
                                      "] but the header lists [" + join(expected) + "]"));
      }
      if (task.metrics.count(info.default_metric) == 0) {
        throw Error(
            corrupt(path, where + " default metric '" + info.default_metric + "' has no column"));
      }
      listed_tasks.push_back(name);
      table.tasks.push_back(std::move(task));
    }
    std::sort(listed_tasks.begin(), listed_tasks.end());
    if (h5::list_group(file, "/tasks") != listed_tasks) {
      throw Error(corrupt(path, "/tasks holds [" + join(h5::list_group(file, "/tasks")) +
                                    "] but the header lists [" + join(listed_tasks) + "]"));
    }
    if (h5::exists(file, "/archs/official_index")) {
      table.official_index = h5::read_int64s(file, "/archs/official_index");
      if (table.official_index.size() != rows) {
        throw Error(corrupt(path, "/archs/official_index has a different length"));
      }
    }
  } catch (const H5::Exception& e) {
    throw Error(corrupt(path, "HDF5 error (" + e.getDetailMsg() + "); it may be truncated"));
  }
  return table;
}

fs::path table_path(const fs::path& data_root, const std::string& benchmark) {
  return data_root / "tables" / (benchmark + ".h5");
}

}  // namespace zcb::data
