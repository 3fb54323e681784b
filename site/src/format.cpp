#include "zcb/site/format.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace zcb::site {

std::string format_plain(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) {
    return "-";
  }
  // to_chars, unlike printf, ignores the C locale: always a decimal point.
  std::array<char, 400> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), *value,
                                    std::chars_format::fixed, decimals);
  return std::string(buffer.data(), result.ptr);
}

std::string format_fixed(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) {
    return std::string(kMissing);
  }
  std::string text = format_plain(value, decimals);
  if (text.front() == '-') {
    // "-0.000" is zero after rounding: no sign. Otherwise a typographic minus.
    const bool zero = text.find_first_not_of("-0.") == std::string::npos;
    text = zero ? text.substr(1) : "\u2212" + text.substr(1);
  }
  return text;
}

std::string format_statistic(std::optional<double> value) { return format_fixed(value, 3); }

std::string format_interval(std::optional<double> lo, std::optional<double> hi) {
  if (!lo && !hi) {
    return std::string(kMissing);
  }
  return "[" + format_statistic(lo) + ", " + format_statistic(hi) + "]";
}

std::string format_ms(std::optional<double> value) { return format_fixed(value, 1); }

std::string format_percent(std::optional<double> fraction) {
  if (!fraction || !std::isfinite(*fraction)) {
    return std::string(kMissing);
  }
  return format_fixed(*fraction * 100.0, 1) + "%";
}

std::string format_count(std::optional<std::int64_t> value) {
  if (!value) {
    return std::string(kMissing);
  }
  const std::string digits = std::to_string(*value < 0 ? -*value : *value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      text += "\u202f";  // narrow no-break space
    }
    text += digits[i];
  }
  return *value < 0 ? "\u2212" + text : text;
}

std::string format_exact(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) {
    return {};
  }
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), *value);
  return std::string(buffer.data(), result.ptr);
}

}  // namespace zcb::site
