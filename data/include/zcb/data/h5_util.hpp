/// @file h5_util.hpp
/// @brief Small helpers over the HDF5 C++ API shared by the table and score stores.
///
/// Files written through these helpers are byte-reproducible (no object timestamps, zeroed
/// padding) and appear atomically (written to `<path>.tmp`, then renamed). Readers turn every
/// HDF5 failure into a zcb::Error naming the file and the object.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace H5 {
class H5File;
class Group;
}  // namespace H5

namespace zcb::h5 {

/// Writes a new file at @p path atomically: @p fill receives a file opened at `<path>.tmp`;
/// after it returns the file is closed, flushed to disk and renamed over @p path. On any
/// failure the temporary file is removed and a zcb::Error is thrown.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(H5::H5File&)>& fill);

/// Opens @p path read-only; throws zcb::Error if it is missing, truncated or not HDF5.
H5::H5File open_for_reading(const std::filesystem::path& path);

/// Creates the group @p name (and its parents) without timestamps.
void create_groups(H5::H5File& file, const std::string& name);

/// 1-D column writers: chunked, shuffled and deflated, no timestamps. Intermediate groups are
/// created as needed.
void write_doubles(H5::H5File& file, const std::string& name, const std::vector<double>& values);
void write_int64s(H5::H5File& file, const std::string& name,
                  const std::vector<std::int64_t>& values);
void write_strings(H5::H5File& file, const std::string& name,
                   const std::vector<std::string>& values);

/// 1-D column readers; throw zcb::Error naming file and dataset when absent or mistyped.
std::vector<double> read_doubles(H5::H5File& file, const std::string& name);
std::vector<std::int64_t> read_int64s(H5::H5File& file, const std::string& name);
std::vector<std::string> read_strings(H5::H5File& file, const std::string& name);

/// True if @p name (a dataset or group path) exists.
bool exists(H5::H5File& file, const std::string& name);

/// Child names of group @p name, sorted.
std::vector<std::string> list_group(H5::H5File& file, const std::string& name);

/// String attribute on the root group (JSON documents are stored this way).
void write_string_attribute(H5::H5File& file, const std::string& name, const std::string& value);
std::string read_string_attribute(H5::H5File& file, const std::string& name);

}  // namespace zcb::h5
