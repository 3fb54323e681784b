/// @file python_json.hpp
/// @brief JSON as Python's `json.dump` writes it: standard JSON plus the bare tokens `NaN`,
/// `Infinity` and `-Infinity` (e.g. the NDS files, whose diverged runs have NaN losses).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace zcb::data {

/// Parses @p text, reading `NaN`, `Infinity` and `-Infinity` outside strings as JSON null (the
/// caller decides what a missing number means). Throws zcb::Error naming @p source and the
/// byte offset on malformed JSON, and on nesting deeper than 256 levels.
nlohmann::json parse_python_json(std::string_view text, const std::string& source);

}  // namespace zcb::data
