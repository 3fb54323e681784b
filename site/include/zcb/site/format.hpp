/// @file format.hpp
/// @brief Number formatting shared by every page, so that the site reads consistently.
///
/// Correlations have 3 decimals, times 1 decimal, coverage is a percentage with 1 decimal.
/// A missing value is rendered as kMissing. HTML text uses the typographic minus (U+2212);
/// CSV uses plain ASCII and round-trip precision.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zcb::site {

/// Shown wherever a value is missing or null (an em dash).
inline constexpr std::string_view kMissing = "\u2014";

/// @p value with @p decimals decimals and a typographic minus; "-0.000" becomes "0.000".
std::string format_fixed(std::optional<double> value, int decimals);

/// @p value with @p decimals decimals and an ASCII minus, "-" when missing: for plain-text
/// reports a terminal or a CI log greps (`zcbench verify`, `zcbench history`).
std::string format_plain(std::optional<double> value, int decimals);

/// A correlation or precision: 3 decimals.
std::string format_statistic(std::optional<double> value);

/// "[lo, hi]" with 3 decimals; a missing bound shows as kMissing; both missing gives kMissing.
std::string format_interval(std::optional<double> lo, std::optional<double> hi);

/// A time in milliseconds: 1 decimal.
std::string format_ms(std::optional<double> value);

/// A fraction in [0, 1] as a percentage with 1 decimal, e.g. 0.9915 -> "99.2%".
std::string format_percent(std::optional<double> fraction);

/// An integer with thin-space thousands separators, e.g. 15625 -> "15 625".
std::string format_count(std::optional<std::int64_t> value);

/// Shortest text that reads back as exactly @p value (for CSV and data-sort attributes); empty
/// when missing.
std::string format_exact(std::optional<double> value);

}  // namespace zcb::site
