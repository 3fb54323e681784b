/// @file fetch.hpp
/// @brief Puts the raw files of a benchmark under the data root, each verified by sha256.
///
/// Sources are tried in this order for every required file: the file already in place; a local
/// mirror directory; a mirror base URL; the manifest's official URLs. Every copy or download is
/// written to `<name>.tmp`, hashed while it is written, and renamed into place only when size and
/// sha256 match, so a failed or corrupt transfer never leaves a file under the final name.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "zcb/data/manifest.hpp"

namespace zcb::data {

/// Where files go and where they may come from.
struct FetchOptions {
  std::filesystem::path data_root;  ///< raw files go to `<data_root>/raw/<benchmark>/<name>`
  /// A mirror root: a local directory, or a base URL (anything with "://", e.g. https://...).
  /// A file is looked up at `<mirror>/<mirror_path>`. Empty: no mirror.
  std::string mirror;
  bool allow_network = true;  ///< false: never download (URLs are still listed in errors)
};

/// `<data_root>/raw/<benchmark>/<name>`: where fetch_benchmark() puts a file.
std::filesystem::path raw_file_path(const std::filesystem::path& data_root,
                                    const std::string& benchmark, const std::string& name);

/// Makes sure every required file of @p manifest is at raw_file_path() with the manifest's
/// size and sha256, copying or downloading what is missing, and returns name -> path for the
/// required files plus any optional file already in place (optional files are never
/// downloaded: they are large and need manual steps, see ManifestFile::how_to_get).
///
/// Throws zcb::Error
/// - when a file already in place has the wrong size or sha256 (the message names the file,
///   expected and actual sha256, and says to delete it and fetch again);
/// - when required files cannot be obtained: one error lists every such file with its expected
///   path, sha256, what was tried and why it failed, its URLs and how_to_get.
std::map<std::string, std::filesystem::path> fetch_benchmark(const Manifest& manifest,
                                                             const FetchOptions& options);

/// The data root from the environment variable `ZCB_DATA_ROOT`, else `./zcb-data`.
std::filesystem::path default_data_root();

/// The mirror from the environment variable `ZCB_MIRROR`, else empty (no mirror).
std::string default_mirror();

}  // namespace zcb::data
