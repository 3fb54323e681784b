// Helpers shared by the benchmark converters (internal to zcb_data).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zcb/data/csv.hpp"
#include "zcb/data/table.hpp"

namespace zcb::data::detail {

/// The path of raw file @p name in @p files. Throws zcb::Error naming @p benchmark, the file and
/// every file the converter needs (@p needed) when it was not given.
const std::filesystem::path& require_file(const std::map<std::string, std::filesystem::path>& files,
                                          const std::string& name, const std::string& benchmark,
                                          const std::vector<std::string>& needed);

/// Column @p column of @p csv parsed as numbers (parse_double()); errors name file, line and
/// column.
std::vector<double> csv_numbers(const CsvTable& csv, const std::string& column);

/// A task with its shape and description and no metrics yet.
TaskTable make_task(const std::string& name, int num_classes, int channels, int height, int width,
                    const std::string& image_source, const std::string& description);

/// Appends metric @p name (table order) with its column and description.
void add_metric(TaskTable& task, const std::string& name, std::vector<double> values,
                const std::string& description);

/// `[{name, sha256}]` of @p names in that order, hashing the given files.
nlohmann::json source_list(const std::map<std::string, std::filesystem::path>& files,
                           const std::vector<std::string>& names);

/// Reads a whole file into memory; throws zcb::Error naming it when it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

/// Walks a NASLib benchmark run archive (members
/// `<proxy>/benchmark--<space>--<task>--<start>.json`, each a list of records `{idx, arch, <proxy>:
/// {score, time}, val_accuracy}`): calls
/// @p visit(task, record, where) for every record of a member of @p space; members of
/// @p other_space are skipped, folders ignored. Throws zcb::Error naming the archive and member
/// for another space, a badly named member, malformed JSON or a record without a string `arch`.
void for_each_naslib_zip_record(const std::filesystem::path& archive_path, const std::string& space,
                                const std::string& other_space, const std::string& benchmark,
                                const std::function<void(const std::string&, const nlohmann::json&,
                                                         const std::string&)>& visit);

}  // namespace zcb::data::detail
