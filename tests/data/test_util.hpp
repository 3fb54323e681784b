// Helpers shared by the zcb_data tests.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "temp_dir.hpp"

namespace zcb::data::testing {

using ::zcb::test::TempDir;

/// Writes @p bytes to @p path (creating parent directories).
void write_file(const std::filesystem::path& path, const std::string& bytes);

/// Reads the whole file at @p path.
std::string read_file(const std::filesystem::path& path);

/// Runs @p action and returns the message of the zcb::Error it throws, or a text saying that it
/// threw none (so a missing error fails the substring checks with a clear message).
std::string error_message(const std::function<void()>& action);

/// The shared data mirror: $ZCB_MIRROR if set, else ZCB_DEFAULT_MIRROR; empty if that
/// directory does not exist (real-data tests then skip).
std::filesystem::path shared_mirror();

}  // namespace zcb::data::testing

/// Skips the current test unless the shared mirror exists; binds it to `mirror`.
#define ZCB_REQUIRE_MIRROR(mirror)                                                          \
  const std::filesystem::path mirror = ::zcb::data::testing::shared_mirror();               \
  if (mirror.empty()) {                                                                     \
    GTEST_SKIP() << "shared data mirror not found: set ZCB_MIRROR to the mirror directory"; \
  }
