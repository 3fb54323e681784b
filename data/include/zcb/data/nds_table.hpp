/// @file nds_table.hpp
/// @brief Builds the NDS tables (Radosavovic et al., "On Network Design Spaces for Visual
/// Recognition", ICCV 2019), one per published sweep file: `nds-<space>-<setting>`.
///
/// The CIFAR-10 sweeps (`nds-<space>-cifar`) read their file (e.g. `DARTS.json`) as a member of
/// the official `data.zip`, the only file of their manifest.
///
/// Row i = record i of the file (for `*_reruns` files: `top` then `mid`). The architecture
/// string is the record's `net` object as canonical JSON (keys sorted, no spaces): a cell
/// genotype with width and depth (Amoeba, DARTS, ENAS, NASNet, PNAS) or an AnyNet config
/// (`block_type, ds, ws, ss, bot_muls, num_gs`; ResNet, ResNeXt, Vanilla). Accuracy is
/// `100 - test_ep_top1[-1]` (final-epoch top-1 error in the file). `data/README.md` lists the
/// benchmarks and columns.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Version of the NDS conversion; bumped whenever the tables would change.
inline constexpr int kNdsConverterVersion = 1;

/// The NDS benchmarks (`nds-darts-in`, ..., `nds-resnet-reruns`), sorted.
std::vector<std::string> nds_benchmarks();

/// Builds NDS benchmark @p benchmark (one of nds_benchmarks()) from @p files (name -> path, its
/// manifest). Throws zcb::Error on an unknown benchmark, a missing file (for `nds-*-cifar`:
/// "data.zip not present: download <url> to <path>"), a data.zip without exactly one member of
/// the sweep's name, malformed JSON, a
/// record without `net`, `params`, `flops`, `test_ep_top1` or `optim`, a `net` that is not of
/// the space's form (cell genotype with width and depth, or AnyNet config), or an error outside [0,
/// 100].
BenchmarkTable convert_nds(const std::string& benchmark,
                           const std::map<std::string, std::filesystem::path>& files);

}  // namespace zcb::data
