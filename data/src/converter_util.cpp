#include "converter_util.hpp"

#include <fstream>
#include <sstream>

#include "zcb/data/python_json.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/data/zip_archive.hpp"
#include "zcb/error.hpp"

namespace zcb::data::detail {
namespace fs = std::filesystem;

const fs::path& require_file(const std::map<std::string, fs::path>& files, const std::string& name,
                             const std::string& benchmark, const std::vector<std::string>& needed) {
  const auto it = files.find(name);
  if (it != files.end()) return it->second;
  std::string list;
  for (const std::string& file : needed) list += (list.empty() ? "" : ", ") + file;
  throw Error("the '" + benchmark + "' conversion needs the file '" + name +
              "', which was not given; it needs " + list + " (fetch the '" + benchmark +
              "' benchmark first)");
}

std::vector<double> csv_numbers(const CsvTable& csv, const std::string& column) {
  const std::size_t c = csv.column(column);
  std::vector<double> values(csv.rows.size());
  for (std::size_t row = 0; row < values.size(); ++row) {
    const std::string& text = csv.rows[row][c];
    // Line numbers hold because these files have no line breaks inside fields.
    values[row] = parse_double(
        text, csv.source + " line " + std::to_string(row + 2) + " column '" + column + "'");
  }
  return values;
}

TaskTable make_task(const std::string& name, int num_classes, int channels, int height, int width,
                    const std::string& image_source, const std::string& description) {
  TaskTable task;
  task.info.name = name;
  task.info.num_classes = num_classes;
  task.info.channels = channels;
  task.info.height = height;
  task.info.width = width;
  task.info.image_source = image_source;
  task.description = description;
  return task;
}

void add_metric(TaskTable& task, const std::string& name, std::vector<double> values,
                const std::string& description) {
  task.info.metrics.push_back(name);
  task.metrics[name] = std::move(values);
  task.metric_descriptions[name] = description;
}

nlohmann::json source_list(const std::map<std::string, fs::path>& files,
                           const std::vector<std::string>& names) {
  nlohmann::json sources = nlohmann::json::array();
  for (const std::string& name : names) {
    sources.push_back({{"name", name}, {"sha256", sha256_file(files.at(name))}});
  }
  return sources;
}

std::string read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + path.string() + "; check that the file exists (fetch it)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error("cannot read " + path.string() + "; the file is unreadable");
  return text.str();
}

void for_each_naslib_zip_record(const fs::path& archive_path, const std::string& space,
                                const std::string& other_space, const std::string& benchmark,
                                const std::function<void(const std::string&, const nlohmann::json&,
                                                         const std::string&)>& visit) {
  const ZipArchive archive = ZipArchive::open(archive_path);
  for (const ZipEntry& entry : archive.entries()) {
    if (!entry.name.empty() && entry.name.back() == '/') continue;  // folder
    const std::string where = archive.source() + " member " + entry.name;
    const std::string base = entry.name.substr(entry.name.rfind('/') + 1);
    std::vector<std::string> parts;
    for (std::size_t start = 0; start <= base.size();) {
      std::size_t end = base.find("--", start);
      if (end == std::string::npos) end = base.size();
      parts.push_back(base.substr(start, end - start));
      start = end + 2;
    }
    if (parts.size() != 4 || parts[0] != "benchmark" || base.size() < 5 ||
        base.compare(base.size() - 5, 5, ".json") != 0) {
      throw Error(where +
                  ": not a NASLib benchmark--<space>--<task>--<start>.json member: "
                  "re-fetch the archive");
    }
    if (parts[1] == other_space) continue;
    if (parts[1] != space) {
      throw Error(where + ": space '" + parts[1] + "', expected " + space +
                  "; the archive does not belong to " + benchmark + ": re-fetch it");
    }
    const nlohmann::json records = parse_python_json(archive.read(entry), where);
    if (!records.is_array()) throw Error(where + ": not a list of records: re-fetch the archive");
    for (std::size_t i = 0; i < records.size(); ++i) {
      const nlohmann::json& record = records[i];
      const std::string at = where + " record " + std::to_string(i);
      if (!record.is_object() || !record.contains("arch") || !record.at("arch").is_string()) {
        throw Error(at + ": no 'arch' key: re-fetch the archive");
      }
      visit(parts[2], record, at);
    }
  }
}

}  // namespace zcb::data::detail
