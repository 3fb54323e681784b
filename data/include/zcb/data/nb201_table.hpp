/// @file nb201_table.hpp
/// @brief Builds the NAS-Bench-201 table (15,625 architectures, 3 tasks) from the community
/// CSV files of the `nb201` manifest.
///
/// Rows are the official NB201 / NATS-TSS index 0..15624. Every source must give the same
/// architecture string at each index. Metric names say what they are; each description names
/// the split, epochs, averaging over seeds and benchmark version:
/// - `cifar10`: `test_acc_200ep_nb201v11` (default; ori-test of the model trained on
///   train+valid), `test_acc_200ep_natstss`, `valid_acc_200ep_nb201v11` (cifar10-valid x-valid),
///   `cifar10valid_test_acc_200ep_nb201v11`, `train_acc_200ep_nb201v11`;
/// - `cifar100`, `ImageNet16-120`: `test_acc_200ep_nb201v11` (default; x-test),
///   `test_acc_200ep_natstss`, `valid_acc_200ep_nb201v11`, `train_acc_200ep_nb201v11`.
/// Params come from the NB201 CIFAR-10 network; FLOPs are NaN (only the official file has them).
/// Cost columns (converter version 2): every task has the ten HW-NAS-Bench metrics of its
/// dataset (`hwnas_<device>_<latency_ms|energy_mj>`, `hwnas_eyeriss_arithmetic_intensity`);
/// `cifar10` also has HELP's 23 own device latencies (`help_<device>_latency_ms`).
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Version of the NB201 conversion; bumped whenever the table it produces would change.
inline constexpr int kNb201ConverterVersion = 2;

/// Builds the NB201 table from @p files (file name -> path, as returned by fetch_benchmark()
/// for the `nb201` manifest). Throws zcb::Error when a file is missing from @p files, a column
/// is missing, a value is not a number, a file does not have 15,625 rows in index order, or two
/// sources disagree on an architecture string (naming both files, the row and both strings).
BenchmarkTable convert_nb201(const std::map<std::string, std::filesystem::path>& files);

}  // namespace zcb::data
