/// @file json_file.hpp
/// @brief Atomic JSON output (stats reports) and the matching reader.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

namespace zcb {

/// Writes @p document to @p path atomically: pretty-printed (2-space indent, keys sorted,
/// trailing newline) to `<path>.tmp`, then renamed, so a reader never sees half a file. Parent
/// folders are created. NaN and infinities are written as `null`. The bytes depend only on the
/// document. Throws zcb::Error naming the path on failure (the temporary file is removed).
void write_json_atomically(const std::filesystem::path& path, const nlohmann::json& document);

/// Parses the JSON file at @p path; throws zcb::Error naming the path if it is missing or
/// not valid JSON.
nlohmann::json read_json_file(const std::filesystem::path& path);

}  // namespace zcb
