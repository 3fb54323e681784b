/// @file merge.hpp
/// @brief Combines the score files of a sharded run (`zcbench score --shard i/N`) into the
/// files a single run writes, so that `stats` reads them unchanged. Torch-free.
///
/// A shard writes `seed-<k>.part-<i>-of-<N>.h5` (score_path() with shard_count N) holding the
/// rows of its own architectures. merge_shards() finds every such file under
/// `<results_root>/raw`, and for each (space, task, proxy, seed) writes `seed-<k>.h5`: the
/// union of the parts' rows and of the rows an existing `seed-<k>.h5` already holds, with the
/// parts' provenance. The part files are left in place, so merging again is harmless.
///
/// The merged file is byte-identical to the one a single run writes, because rows are sorted
/// by arch_id on write and a shard's provenance (settings and environment) is what the single
/// run records. It is `complete` when all N parts are present and complete (or the existing
/// file already was); otherwise it is written incomplete, and a plain `zcbench score` of the
/// same config scores only the rows still missing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace zcb {

/// What merge_shards() did for one (space, task, proxy, seed).
struct MergedKey {
  std::filesystem::path target;  ///< the `seed-<k>.h5` written
  int shard_count = 0;           ///< N of the parts merged (the largest N if several)
  int parts_found = 0;           ///< parts present, of every N found
  std::int64_t rows = 0;         ///< rows in the merged file
  bool complete = false;         ///< the merged file's complete flag
  std::vector<std::string> missing_or_incomplete;  ///< part file names that held it back
};

/// Merges every sharded score file under @p results_root (see the file comment). Throws
/// zcb::Error, naming the files, when parts (or a part and the existing file) were scored with
/// different settings or by different builds/machines (environment), or when one architecture
/// has different rows in two files; nothing is written for that key then. Keys are merged in
/// path order; an error stops at the first bad key, after the earlier ones were written.
std::vector<MergedKey> merge_shards(const std::filesystem::path& results_root);

}  // namespace zcb
