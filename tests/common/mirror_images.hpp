/// @file mirror_images.hpp
/// @brief The `images` manifest's files in the data mirror, for torch tests that run jobs
/// through the harness on real images.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "zcb/data/manifest.hpp"

namespace zcb::test {

/// Name -> path of every `images` manifest file in the mirror ($ZCB_MIRROR, else
/// ZCB_DEFAULT_MIRROR). Empty, with @p missing naming what is absent, when the mirror or any
/// file is missing: callers skip.
inline std::map<std::string, std::filesystem::path> mirror_image_files(std::string& missing) {
  namespace fs = std::filesystem;
  const char* env = std::getenv("ZCB_MIRROR");
  const fs::path mirror = env != nullptr && *env != '\0' ? fs::path(env) : ZCB_DEFAULT_MIRROR;
  std::map<std::string, fs::path> files;
  for (const auto& file : data::manifest_for("images").files) {
    files[file.name] = mirror / file.mirror_path;
    if (!fs::exists(files[file.name])) {
      missing = (mirror / file.mirror_path).string() + " (set ZCB_MIRROR to the data mirror)";
      return {};
    }
  }
  return files;
}

}  // namespace zcb::test
