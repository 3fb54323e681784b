// Helpers shared by the zcb_site tests: temporary directories and fixture copies.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "temp_dir.hpp"

namespace zcb::site::testing {

/// The committed stats fixture (run.json plus nb201/cifar10.json and nb101/cifar10.json).
std::filesystem::path fixture_dir();

/// The committed history fixture: two archived runs of the stats fixture, the older with a lower
/// Spearman for synflow (same version) and naswot at version 0.
std::filesystem::path history_fixture_dir();

using ::zcb::test::TempDir;

std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);

/// Copies the fixture into @p dir (which becomes a stats directory) and returns @p dir.
std::filesystem::path copy_fixture(const std::filesystem::path& dir);

/// Rewrites the JSON file @p file through @p edit.
void edit_json(const std::filesystem::path& file,
               const std::function<void(nlohmann::ordered_json&)>& edit);

/// The message of the zcb::Error that @p action throws, or "" if it throws none.
std::string error_message(const std::function<void()>& action);

/// Number of non-overlapping occurrences of @p needle in @p text.
std::size_t count(const std::string& text, const std::string& needle);

}  // namespace zcb::site::testing
