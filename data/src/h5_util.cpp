#include "zcb/data/h5_util.hpp"

#include <H5Cpp.h>

#include <algorithm>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#endif

#include "zcb/error.hpp"

namespace zcb::h5 {
namespace fs = std::filesystem;
namespace {

constexpr hsize_t kChunkRows = 4096;

// Chunked, compressed and timestamp-free, so identical content gives identical bytes.
H5::DSetCreatPropList column_properties(hsize_t rows) {
  H5::DSetCreatPropList properties;
  H5Pset_obj_track_times(properties.getId(), 0);
  if (rows > 0) {
    const hsize_t chunk = std::min(rows, kChunkRows);
    properties.setChunk(1, &chunk);
    properties.setShuffle();
    properties.setDeflate(6);
  }
  return properties;
}

std::string parent_of(const std::string& name) {
  const auto slash = name.find_last_of('/');
  return slash == std::string::npos || slash == 0 ? std::string() : name.substr(0, slash);
}

std::string file_name_of(const H5::H5Location& location) {
  try {
    return location.getFileName();
  } catch (const H5::Exception&) {
    return "<unknown file>";
  }
}

template <typename T>
void write_column(H5::H5File& file, const std::string& name, const H5::DataType& type,
                  const std::vector<T>& values) {
  const std::string parent = parent_of(name);
  if (!parent.empty()) create_groups(file, parent);
  const hsize_t rows = values.size();
  H5::DataSpace space(1, &rows);
  H5::DataSet data = file.createDataSet(name, type, space, column_properties(rows));
  if (rows > 0) data.write(values.data(), type);
}

H5::DataSet open_dataset(H5::H5File& file, const std::string& name) {
  if (!exists(file, name)) {
    throw Error(file_name_of(file) + ": dataset '" + name + "' is missing");
  }
  return file.openDataSet(name);
}

template <typename T>
std::vector<T> read_column(H5::H5File& file, const std::string& name, H5T_class_t expected,
                           const H5::DataType& memory_type) {
  try {
    H5::DataSet data = open_dataset(file, name);
    if (data.getTypeClass() != expected) {
      throw Error(file_name_of(file) + ": dataset '" + name + "' has the wrong type");
    }
    H5::DataSpace space = data.getSpace();
    if (space.getSimpleExtentNdims() != 1) {
      throw Error(file_name_of(file) + ": dataset '" + name + "' is not one-dimensional");
    }
    hsize_t rows = 0;
    space.getSimpleExtentDims(&rows);
    std::vector<T> values(rows);
    if (rows > 0) data.read(values.data(), memory_type);
    return values;
  } catch (const H5::Exception& e) {
    throw Error(file_name_of(file) + ": cannot read dataset '" + name + "' (" + e.getDetailMsg() +
                "); the file may be truncated or corrupt");
  }
}

void sync_to_disk(const fs::path& path) {
#if defined(__unix__) || defined(__APPLE__)
  const int descriptor = ::open(path.c_str(), O_RDONLY);
  if (descriptor < 0) throw Error("cannot open " + path.string() + " to sync it to disk");
  const int status = ::fsync(descriptor);
  ::close(descriptor);
  if (status != 0) throw Error("cannot sync " + path.string() + " to disk (disk full?)");
#endif
}

}  // namespace

void write_atomically(const fs::path& path, const std::function<void(H5::H5File&)>& fill) {
  H5::Exception::dontPrint();
  const fs::path temporary = path.string() + ".tmp";
  std::error_code ignored;
  try {
    if (!path.parent_path().empty()) fs::create_directories(path.parent_path());
    {
      // The JSON headers are root attributes and may pass HDF5's 64 KiB limit for compact
      // attributes (a table's provenance lists every source): store attributes densely, which
      // needs the HDF5 1.8 file format. Pinned bounds keep the bytes reproducible.
      H5::FileCreatPropList create;
      H5Pset_attr_phase_change(create.getId(), 0, 0);
      H5Pset_obj_track_times(create.getId(), 0);  // the root group's header: no timestamps
      H5::FileAccPropList access;
      H5Pset_libver_bounds(access.getId(), H5F_LIBVER_V18, H5F_LIBVER_V18);
      H5::H5File file(temporary.string(), H5F_ACC_TRUNC, create, access);
      fill(file);
      file.flush(H5F_SCOPE_GLOBAL);
    }
    // Sync the bytes to disk before the rename makes them visible under the final name, so a
    // crash cannot leave a complete-looking but empty file (fflush alone does not sync).
    sync_to_disk(temporary);
    fs::rename(temporary, path);
  } catch (const H5::Exception& e) {
    fs::remove(temporary, ignored);
    throw Error("cannot write " + path.string() + ": " + e.getDetailMsg());
  } catch (const fs::filesystem_error& e) {
    fs::remove(temporary, ignored);
    throw Error("cannot write " + path.string() + ": " + e.what());
  } catch (...) {
    fs::remove(temporary, ignored);
    throw;
  }
}

H5::H5File open_for_reading(const fs::path& path) {
  H5::Exception::dontPrint();
  if (!fs::exists(path)) throw Error(path.string() + ": file not found");
  try {
    if (!H5::H5File::isHdf5(path.string())) {
      throw Error(path.string() + ": not an HDF5 file (truncated or corrupt?); delete it and " +
                  "rerun the stage that wrote it");
    }
    return H5::H5File(path.string(), H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    throw Error(path.string() + ": cannot open HDF5 file (" + e.getDetailMsg() +
                "); it may be truncated or corrupt: delete it and rerun the stage that wrote it");
  }
}

void create_groups(H5::H5File& file, const std::string& name) {
  std::string path;
  std::size_t start = 1;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    path = name.substr(0, end);
    if (!path.empty() && path != "/" && !exists(file, path)) {
      hid_t properties = H5Pcreate(H5P_GROUP_CREATE);
      H5Pset_obj_track_times(properties, 0);
      hid_t group = H5Gcreate2(file.getId(), path.c_str(), H5P_DEFAULT, properties, H5P_DEFAULT);
      H5Pclose(properties);
      if (group < 0) throw Error(file_name_of(file) + ": cannot create group '" + path + "'");
      H5Gclose(group);
    }
    start = end + 1;
  }
}

void write_doubles(H5::H5File& file, const std::string& name, const std::vector<double>& values) {
  write_column(file, name, H5::PredType::NATIVE_DOUBLE, values);
}

void write_int64s(H5::H5File& file, const std::string& name,
                  const std::vector<std::int64_t>& values) {
  write_column(file, name, H5::PredType::NATIVE_INT64, values);
}

void write_strings(H5::H5File& file, const std::string& name,
                   const std::vector<std::string>& values) {
  std::size_t width = 1;
  for (const auto& value : values) width = std::max(width, value.size() + 1);
  std::vector<char> packed(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::copy(values[i].begin(), values[i].end(), packed.begin() + i * width);
  }
  H5::StrType type(H5::PredType::C_S1, width);
  type.setStrpad(H5T_STR_NULLTERM);
  const std::string parent = parent_of(name);
  if (!parent.empty()) create_groups(file, parent);
  const hsize_t rows = values.size();
  H5::DataSpace space(1, &rows);
  H5::DataSet data = file.createDataSet(name, type, space, column_properties(rows));
  if (rows > 0) data.write(packed.data(), type);
}

std::vector<double> read_doubles(H5::H5File& file, const std::string& name) {
  return read_column<double>(file, name, H5T_FLOAT, H5::PredType::NATIVE_DOUBLE);
}

std::vector<std::int64_t> read_int64s(H5::H5File& file, const std::string& name) {
  return read_column<std::int64_t>(file, name, H5T_INTEGER, H5::PredType::NATIVE_INT64);
}

std::vector<std::string> read_strings(H5::H5File& file, const std::string& name) {
  try {
    H5::DataSet data = open_dataset(file, name);
    if (data.getTypeClass() != H5T_STRING) {
      throw Error(file_name_of(file) + ": dataset '" + name + "' is not a string column");
    }
    H5::StrType stored = data.getStrType();
    if (stored.isVariableStr()) {
      throw Error(file_name_of(file) + ": dataset '" + name + "' uses variable-length strings");
    }
    const std::size_t width = stored.getSize();
    H5::DataSpace space = data.getSpace();
    hsize_t rows = 0;
    space.getSimpleExtentDims(&rows);
    std::vector<char> packed(rows * width);
    H5::StrType type(H5::PredType::C_S1, width);
    type.setStrpad(H5T_STR_NULLTERM);
    if (rows > 0) data.read(packed.data(), type);
    std::vector<std::string> values(rows);
    for (hsize_t i = 0; i < rows; ++i) {
      const char* begin = packed.data() + i * width;
      values[i].assign(begin, std::find(begin, begin + width, '\0'));
    }
    return values;
  } catch (const H5::Exception& e) {
    throw Error(file_name_of(file) + ": cannot read dataset '" + name + "' (" + e.getDetailMsg() +
                "); the file may be truncated or corrupt");
  }
}

bool exists(H5::H5File& file, const std::string& name) {
  // H5Lexists fails on a missing intermediate group, so walk the path one link at a time.
  std::size_t start = 1;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string prefix = name.substr(0, end);
    if (H5Lexists(file.getId(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    start = end + 1;
  }
  return true;
}

std::vector<std::string> list_group(H5::H5File& file, const std::string& name) {
  if (!exists(file, name)) return {};
  H5::Group group = file.openGroup(name);
  std::vector<std::string> names;
  for (hsize_t i = 0; i < group.getNumObjs(); ++i) names.push_back(group.getObjnameByIdx(i));
  std::sort(names.begin(), names.end());
  return names;
}

void write_string_attribute(H5::H5File& file, const std::string& name, const std::string& value) {
  H5::Group root = file.openGroup("/");
  H5::StrType type(H5::PredType::C_S1, std::max<std::size_t>(1, value.size()));
  type.setStrpad(H5T_STR_NULLPAD);
  H5::Attribute attribute = root.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  attribute.write(type, value.empty() ? std::string(1, '\0') : value);
}

std::string read_string_attribute(H5::H5File& file, const std::string& name) {
  try {
    H5::Group root = file.openGroup("/");
    if (!root.attrExists(name)) {
      throw Error(file_name_of(file) + ": attribute '" + name + "' is missing");
    }
    H5::Attribute attribute = root.openAttribute(name);
    H5::StrType type = attribute.getStrType();
    std::string value;
    attribute.read(type, value);
    value.erase(std::find(value.begin(), value.end(), '\0'), value.end());
    return value;
  } catch (const H5::Exception& e) {
    throw Error(file_name_of(file) + ": cannot read attribute '" + name + "' (" + e.getDetailMsg() +
                ")");
  }
}

}  // namespace zcb::h5
