/// @file manifest.hpp
/// @brief What each benchmark needs on disk: file names, official URLs, sha256, sizes,
/// licenses, citations, the mirror path, and how to get a file by hand.
///
/// Manifests are the JSON files in `data/manifests/`; they are compiled into the library, so
/// the binary works from any directory. `data/README.md` describes the format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zcb::data {

/// One file of a benchmark.
struct ManifestFile {
  std::string name;               ///< file name under `<data_root>/raw/<benchmark>/`
  std::string role;               ///< "table", "images" or "official" (optional originals)
  std::vector<std::string> urls;  ///< official download URLs, tried in order (may be empty)
  std::string sha256;             ///< expected sha256 (64 lower-case hex); empty if unpublished
  std::int64_t size = -1;         ///< expected size in bytes; -1 if unknown
  std::string license;            ///< license of the file (or "unknown: ..." with what is known)
  std::string citation;           ///< what to cite when using the file
  std::string mirror_path;        ///< path relative to a mirror root (may be empty)
  std::string how_to_get;         ///< manual instructions when no URL or mirror works
  bool required = true;           ///< fetch_benchmark() fails unless a required file is obtained
  /// The URLs need a browser (e.g. Google Drive's confirmation page for large files): fetch
  /// never downloads them and its error says what to download and where to put it. Optional in
  /// the JSON (default false).
  bool interactive_only = false;
  /// What to know about the host (e.g. "Google Drive: open in a browser or use gdown").
  /// Optional in the JSON (default empty).
  std::string host_note;
};

/// Everything one benchmark needs.
struct Manifest {
  std::string benchmark;  ///< benchmark key, e.g. "nb201"
  std::string description;
  std::vector<ManifestFile> files;

  /// The file called @p name; throws zcb::Error listing the benchmark's files if absent.
  const ManifestFile& file(const std::string& name) const;
};

/// The embedded manifest for @p name. Throws zcb::Error listing the known names if unknown.
Manifest manifest_for(const std::string& name);

/// Names of all embedded manifests, sorted.
std::vector<std::string> manifest_names();

/// Parses and validates one manifest document (the format of `data/manifests/*.json`).
/// @p source names the document in error messages. Throws zcb::Error on a JSON syntax error, a
/// missing or mistyped key, a file name that is not a plain file name, a duplicate file name, a
/// malformed sha256, or a required file without a sha256.
Manifest parse_manifest(const std::string& json_text, const std::string& source);

}  // namespace zcb::data
