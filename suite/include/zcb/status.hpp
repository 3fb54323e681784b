/// @file status.hpp
/// @brief Per-row status of a score: every architecture gets one, failures are never dropped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zcb {

/// Outcome of scoring one architecture with one proxy. Stored as an integer in score files, so
/// the numeric values are part of the file format: append new values, never renumber.
enum class RowStatus : std::uint8_t {
  kOk = 0,           ///< finite score
  kNonFinite = 1,    ///< the proxy returned NaN or +-inf (kept in the file, never clamped)
  kError = 2,        ///< the build or the proxy threw; the message is stored
  kOutOfMemory = 3,  ///< allocation failed; never retried with a smaller batch
  kCrashed = 4,      ///< the worker process died while scoring this row
  kUnsupported = 5,  ///< the proxy is not defined for this space or task
};

/// Stable lower-case name ("ok", "non_finite", ...), used in files, JSON and the site.
std::string_view to_string(RowStatus status);

/// Inverse of to_string(); throws zcb::Error on an unknown name.
RowStatus row_status_from_string(std::string_view name);

/// Inverse of the integer encoding; throws zcb::Error on an unknown value.
RowStatus row_status_from_int(int value);

}  // namespace zcb
