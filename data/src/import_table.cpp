#include "zcb/data/import_table.hpp"

#include <cmath>
#include <limits>
#include <set>

#include "converter_util.hpp"
#include "zcb/data/csv.hpp"
#include "zcb/data/python_json.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Mapping keys: a typo must not silently drop a column.
void check_keys(const json& object, const std::set<std::string>& allowed,
                const std::string& where) {
  if (!object.is_object()) throw Error("import mapping: " + where + " must be a JSON object");
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) {
      std::string known;
      for (const std::string& name : allowed) known += (known.empty() ? "" : ", ") + name;
      throw Error("import mapping: " + where + " has the unknown key '" + key +
                  "' (known: " + known + ")");
    }
  }
}

template <typename T>
T get(const json& object, const std::string& key, const std::string& where) {
  if (!object.contains(key)) throw Error("import mapping: " + where + " needs '" + key + "'");
  try {
    return object.at(key).get<T>();
  } catch (const json::exception&) {
    throw Error("import mapping: " + where + " '" + key + "' has the wrong type");
  }
}

template <typename T>
T get_or(const json& object, const std::string& key, T fallback, const std::string& where) {
  return object.contains(key) ? get<T>(object, key, where) : fallback;
}

// One source file, its rows readable by field.
struct Source {
  std::string name;
  fs::path path;
  bool csv = true;
  CsvTable table;
  json records;                   // JSON: the records (array)
  std::vector<std::string> keys;  // JSON object layout: the key of each record
  std::string arch_field, id_field;

  std::size_t size() const { return csv ? table.rows.size() : records.size(); }

  std::string where(std::size_t row) const {
    return path.string() +
           (csv ? " line " + std::to_string(row + 2) : " record " + std::to_string(row));
  }

  // The value of @p field in @p row: CSV text as a JSON string, JSON the addressed value.
  json value(std::size_t row, const std::string& field) const {
    if (csv) return table.rows[row][table.column(field)];
    if (field == "$key") {
      if (keys.empty()) throw Error(path.string() + ": '$key' needs \"layout\": \"object\"");
      return keys[row];
    }
    const json* node = &records[row];
    std::size_t start = 0;
    while (start <= field.size()) {
      std::size_t end = field.find('.', start);
      if (end == std::string::npos) end = field.size();
      const std::string part = field.substr(start, end - start);
      start = end + 1;
      if (node->is_object() && node->contains(part)) {
        node = &node->at(part);
        continue;
      }
      if (node->is_array() && !part.empty()) {
        try {
          std::size_t used = 0;
          const long long index = std::stoll(part, &used);
          const long long size = static_cast<long long>(node->size());
          const long long at = index < 0 ? size + index : index;
          if (used == part.size() && at >= 0 && at < size) {
            node = &node->at(static_cast<std::size_t>(at));
            continue;
          }
        } catch (const std::exception&) {
        }
      }
      throw Error(where(row) + ": no field '" + field + "' (at '" + part + "')");
    }
    return *node;
  }

  double number(std::size_t row, const std::string& field, bool allow_missing) const {
    const json v = value(row, field);
    const std::string at = where(row) + " field '" + field + "'";
    if (csv) {
      const std::string text = v.get<std::string>();
      if (allow_missing && (text.empty() || text == "nan" || text == "NaN")) return kNaN;
      return parse_double(text, at);
    }
    if (v.is_null() && allow_missing) return kNaN;
    if (!v.is_number()) {
      throw Error(at + ": " + v.dump() + " is not a number" +
                  (v.is_null() ? " (set \"allow_missing\": true to read it as NaN)" : ""));
    }
    return v.get<double>();
  }

  std::string arch(std::size_t row) const {
    const json v = value(row, arch_field);
    return v.is_string() ? v.get<std::string>() : v.dump();
  }

  std::int64_t id(std::size_t row) const {
    const json v = value(row, id_field);
    const std::string at = where(row) + " id field '" + id_field + "'";
    if (v.is_string()) return parse_int(v.get<std::string>(), at);
    if (v.is_number_integer()) return v.get<std::int64_t>();
    throw Error(at + ": " + v.dump() + " is not an integer id");
  }
};

Source load_source(const json& spec, const fs::path& base_dir, std::size_t index) {
  const std::string where = "sources[" + std::to_string(index) + "]";
  check_keys(spec, {"name", "path", "format", "layout", "records", "arch", "id"}, where);
  Source source;
  source.name = get<std::string>(spec, "name", where);
  const fs::path relative = get<std::string>(spec, "path", where);
  source.path = relative.is_absolute() ? relative : base_dir / relative;
  const std::string format = get<std::string>(spec, "format", where);
  source.arch_field = get_or<std::string>(spec, "arch", "", where);
  source.id_field = get_or<std::string>(spec, "id", "", where);
  if (source.arch_field.empty() && source.id_field.empty()) {
    throw Error("import mapping: " + where + " needs 'arch' or 'id' to place its rows");
  }
  if (format == "csv") {
    if (spec.contains("layout") || spec.contains("records")) {
      throw Error("import mapping: " + where + ": 'layout' and 'records' are for JSON sources");
    }
    source.table = read_csv(source.path);
    return source;
  }
  if (format != "json") {
    throw Error("import mapping: " + where + " format '" + format + "' (known: csv, json)");
  }
  source.csv = false;
  json document = parse_python_json(detail::read_text_file(source.path), source.path.string());
  const std::string records = get_or<std::string>(spec, "records", "", where);
  if (!records.empty()) {
    Source probe = source;
    probe.records = json::array({document});
    document = probe.value(0, records);
  }
  const std::string layout = get_or<std::string>(spec, "layout", "list", where);
  if (layout == "list") {
    if (!document.is_array()) {
      throw Error(source.path.string() +
                  ": expected a JSON list of records (or set \"layout\": "
                  "\"object\" / \"records\" in " +
                  where + ")");
    }
    source.records = std::move(document);
  } else if (layout == "object") {
    if (!document.is_object()) throw Error(source.path.string() + ": expected a JSON object");
    source.records = json::array();
    for (auto& [key, record] : document.items()) {
      source.keys.push_back(key);
      source.records.push_back(record);
    }
  } else {
    throw Error("import mapping: " + where + " layout '" + layout + "' (known: list, object)");
  }
  return source;
}

// Column values of @p spec ({source, field, scale, allow_missing}) placed at table rows.
std::vector<double> column_of(const json& spec, const std::vector<Source>& sources,
                              const std::vector<std::vector<std::int64_t>>& rows_of,
                              std::size_t size, const std::string& where,
                              const std::set<std::string>& extra_keys = {}) {
  std::set<std::string> allowed = {"source", "field", "scale", "allow_missing"};
  allowed.insert(extra_keys.begin(), extra_keys.end());
  check_keys(spec, allowed, where);
  const std::string name = get<std::string>(spec, "source", where);
  const std::string field = get<std::string>(spec, "field", where);
  const double scale = get_or<double>(spec, "scale", 1.0, where);
  const bool allow_missing = get_or<bool>(spec, "allow_missing", false, where);
  for (std::size_t s = 0; s < sources.size(); ++s) {
    if (sources[s].name != name) continue;
    std::vector<double> column(size, kNaN);
    for (std::size_t i = 0; i < sources[s].size(); ++i) {
      if (rows_of[s][i] < 0) continue;
      column[rows_of[s][i]] = sources[s].number(i, field, allow_missing) * scale;
    }
    return column;
  }
  throw Error("import mapping: " + where + " names the unknown source '" + name + "'");
}

}  // namespace

BenchmarkTable import_table(const json& mapping, const fs::path& base_dir) {
  check_keys(mapping, {"benchmark", "description", "sources", "params", "flops", "tasks"},
             "the mapping");
  BenchmarkTable table;
  table.benchmark = get<std::string>(mapping, "benchmark", "the mapping");
  const json source_specs = get<json>(mapping, "sources", "the mapping");
  if (!source_specs.is_array() || source_specs.empty()) {
    throw Error("import mapping: 'sources' must be a non-empty list");
  }
  std::vector<Source> sources;
  std::set<std::string> names;
  for (std::size_t i = 0; i < source_specs.size(); ++i) {
    sources.push_back(load_source(source_specs[i], base_dir, i));
    if (!names.insert(sources.back().name).second) {
      throw Error("import mapping: two sources are named '" + sources.back().name + "'");
    }
  }

  // Rows from the first source: by id (0..N-1) or in file order.
  const Source& first = sources.front();
  if (first.arch_field.empty()) {
    throw Error("import mapping: sources[0] defines the rows and needs 'arch'");
  }
  const std::size_t size = first.size();
  if (size == 0) throw Error(first.path.string() + ": no rows to import");
  std::vector<std::vector<std::int64_t>> rows_of(sources.size());
  table.arch_strings.assign(size, "");
  std::vector<bool> filled(size, false);
  for (std::size_t i = 0; i < size; ++i) {
    const std::int64_t row = first.id_field.empty() ? static_cast<std::int64_t>(i) : first.id(i);
    if (row < 0 || static_cast<std::size_t>(row) >= size || filled[row]) {
      throw Error(first.where(i) + ": id " + std::to_string(row) +
                  (row >= 0 && static_cast<std::size_t>(row) < size
                       ? " appears twice"
                       : " is outside 0.." + std::to_string(size - 1)) +
                  "; the ids of the first source must be 0..N-1 (the official index)");
    }
    filled[row] = true;
    table.arch_strings[row] = first.arch(i);
    rows_of[0].push_back(row);
  }
  std::map<std::string, std::int64_t> row_of_arch;
  for (std::size_t row = 0; row < size; ++row) {
    if (!row_of_arch.emplace(table.arch_strings[row], row).second) {
      throw Error(first.path.string() + ": architecture '" + table.arch_strings[row] +
                  "' appears twice; rows must be distinct architectures");
    }
  }
  // Other sources join on id or arch; each table row at most once per source.
  for (std::size_t s = 1; s < sources.size(); ++s) {
    const Source& source = sources[s];
    std::vector<bool> seen(size, false);
    for (std::size_t i = 0; i < source.size(); ++i) {
      std::int64_t row = -1;
      if (!source.id_field.empty()) {
        row = source.id(i);
        if (row < 0 || static_cast<std::size_t>(row) >= size) {
          throw Error(source.where(i) + ": id " + std::to_string(row) + " is not a row of " +
                      first.path.string());
        }
      } else {
        const auto it = row_of_arch.find(source.arch(i));
        if (it == row_of_arch.end()) {
          throw Error(source.where(i) + ": architecture '" + source.arch(i) + "' is not in " +
                      first.path.string());
        }
        row = it->second;
      }
      if (seen[row]) {
        throw Error(source.where(i) + ": row " + std::to_string(row) + " appears twice");
      }
      seen[row] = true;
      rows_of[s].push_back(row);
    }
  }

  table.params = mapping.contains("params")
                     ? column_of(mapping.at("params"), sources, rows_of, size, "'params'")
                     : std::vector<double>(size, kNaN);
  table.flops = mapping.contains("flops")
                    ? column_of(mapping.at("flops"), sources, rows_of, size, "'flops'")
                    : std::vector<double>(size, kNaN);

  const json tasks = get<json>(mapping, "tasks", "the mapping");
  if (!tasks.is_array() || tasks.empty()) {
    throw Error("import mapping: 'tasks' must be a non-empty list");
  }
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const json& spec = tasks[t];
    const std::string where = "tasks[" + std::to_string(t) + "]";
    check_keys(spec,
               {"name", "num_classes", "channels", "height", "width", "image_source", "description",
                "default_metric", "metrics"},
               where);
    TaskTable task = detail::make_task(
        get<std::string>(spec, "name", where), get<int>(spec, "num_classes", where),
        get_or<int>(spec, "channels", 3, where), get<int>(spec, "height", where),
        get<int>(spec, "width", where), get<std::string>(spec, "image_source", where),
        get<std::string>(spec, "description", where));
    const json metrics = get<json>(spec, "metrics", where);
    if (!metrics.is_array() || metrics.empty()) {
      throw Error("import mapping: " + where + " 'metrics' must be a non-empty list");
    }
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const std::string at = where + ".metrics[" + std::to_string(m) + "]";
      const std::string name = get<std::string>(metrics[m], "name", at);
      if (task.metrics.count(name))
        throw Error("import mapping: " + at + " repeats '" + name + "'");
      detail::add_metric(task, name,
                         column_of(metrics[m], sources, rows_of, size, at, {"name", "description"}),
                         get<std::string>(metrics[m], "description", at));
    }
    task.info.default_metric =
        get_or<std::string>(spec, "default_metric", task.info.metrics.front(), where);
    if (task.metrics.count(task.info.default_metric) == 0) {
      throw Error("import mapping: " + where + " default_metric '" + task.info.default_metric +
                  "' is not one of its metrics");
    }
    table.tasks.push_back(std::move(task));
  }

  json source_list = json::array();
  for (const Source& source : sources) {
    source_list.push_back({{"name", source.path.filename().string()},
                           {"mapping_name", source.name},
                           {"sha256", sha256_file(source.path)}});
  }
  table.provenance = {{"converter", "generic importer"},
                      {"converter_version", kImporterVersion},
                      {"sources", source_list},
                      {"mapping", mapping},
                      {"notes", json::array()}};
  if (mapping.contains("description")) {
    table.provenance["notes"].push_back(get<std::string>(mapping, "description", "the mapping"));
  }
  return table;
}

BenchmarkTable import_table_file(const fs::path& mapping_path) {
  json mapping;
  try {
    mapping = json::parse(detail::read_text_file(mapping_path));
  } catch (const json::exception& e) {  // syntax, or a number beyond double
    throw Error(mapping_path.string() + ": not valid JSON: " + e.what());
  }
  try {
    return import_table(mapping, mapping_path.parent_path());
  } catch (const Error& e) {
    throw Error(mapping_path.string() + ": " + e.what());
  }
}

}  // namespace zcb::data
