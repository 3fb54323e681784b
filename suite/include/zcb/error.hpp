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

}  // namespace zcb
