/// @file nats_table.hpp
/// @brief NATS-Bench converters (`nats-tss`, `nats-sss`) reading the official `*-simple`
/// folders: `meta.pickle.pbz2` plus one `NNNNNN.pickle.pbz2` per architecture.
///
/// Layout (D-X-Y/NATS-Bench, nats_bench/api_utils.py, `ArchResults` / `ResultsCount`): each
/// arch file is a bzip2'd pickle of `{hp: ArchResults-dict}` with hp '12'/'200' (TSS) or
/// '01'/'12'/'90' (SSS); an ArchResults-dict holds `arch_index`, `arch_str`, `dataset_seed`
/// (dataset -> seeds) and `all_results` ((dataset, seed) -> ResultsCount-dict with
/// `eval_acc1es` {"<split>@<epoch>": acc}, `params` (M), `flop` (M), `epochs`). The meta file
/// holds `meta_archs` (arch string of every official index) and `total_archs`.
///
/// Rows are the official index 0..N-1 with the arch strings of `meta_archs`; an architecture
/// without an arch file gets NaN everywhere, and the provenance says how many had results (the
/// shared mirror holds only 3 per space). Values follow `get_more_info(index, dataset, hp,
/// is_random=False)` and `get_cost_info` (means over the seeds of `dataset_seed`):
/// - `cifar10`: test = dataset 'cifar10' ori-test (trained on train+valid); valid = dataset
///   'cifar10-valid' x-valid;
/// - `cifar100`, `ImageNet16-120`: test = x-test, valid = x-valid;
/// - metrics `params`, `flops` per task (the classifier and input size change them); the
///   `/archs` columns are the cifar10 values. Params are counts, FLOPs are FLOPs (the files
///   store millions).
/// TSS uses hp '200' (metrics `test_acc_200ep`, `valid_acc_200ep`), SSS hp '90'.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Version of the NATS conversion; bumped whenever the tables it produces would change.
inline constexpr int kNatsConverterVersion = 1;

/// Folder names the converters expect in their file maps (the official archive names).
inline constexpr const char* kNatsTssFolder = "NATS-tss-v1_0-3ffb9-simple";
inline constexpr const char* kNatsSssFolder = "NATS-sss-v1_0-50262-simple";

/// `nats-tss`: @p files must map kNatsTssFolder to the extracted folder. Throws zcb::Error
/// naming the file for a missing folder or meta file, a file name that is not an index below
/// total_archs, an arch file whose index or string disagrees with the meta file, and any
/// missing key or value of the wrong type (with the pickle offset).
BenchmarkTable convert_nats_tss(const std::map<std::string, std::filesystem::path>& files);

/// `nats-sss`: the same for kNatsSssFolder (32,768 channel configurations, hp '90').
BenchmarkTable convert_nats_sss(const std::map<std::string, std::filesystem::path>& files);

/// The digest the converters record as the folder's `sha256` in the table provenance: sha256
/// of the lines "<file> <sha256>\n" for meta.pickle.pbz2 and then every NNNNNN.pickle.pbz2 in
/// index order. For an up-to-date check of a converted table (sha256_file() cannot hash a
/// folder). Throws zcb::Error naming the folder when it cannot be listed or read.
std::string nats_folder_digest(const std::filesystem::path& folder);

}  // namespace zcb::data
