/// @file convert.hpp
/// @brief The converter registry: benchmark name -> function that builds its table from the
/// raw files of its manifest.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Builds the table of @p benchmark from its raw @p files (name -> path, as returned by
/// fetch_benchmark()). Throws zcb::Error listing the known benchmarks when @p benchmark has no
/// converter, and whatever the converter throws for bad input.
BenchmarkTable convert_benchmark(const std::string& benchmark,
                                 const std::map<std::string, std::filesystem::path>& files);

/// Benchmarks that have a converter, sorted.
std::vector<std::string> converter_names();

}  // namespace zcb::data
