/// @file error.hpp
/// @brief The one exception type of zcbench.
#pragma once

#include <stdexcept>
#include <string>

namespace zcb {

/// Every error zcbench raises on purpose. The message says what went wrong, on which file or
/// name, and how to fix it, so the CLI can print it as is.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// A proxy that is not defined for this space or task (e.g. a topology metric on a space
/// without cells). The harness records the row as `unsupported`, not as an error.
class UnsupportedError : public Error {
 public:
  explicit UnsupportedError(const std::string& message) : Error(message) {}
};

}  // namespace zcb
