#include "zcb/data/benchmark_status.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <system_error>

#include "zcb/data/convert.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/fetch_progress.hpp"
#include "zcb/data/h5_util.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/data/table.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

std::int64_t regular_file_size(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return -1;
  const auto size = fs::file_size(path, error);
  return error ? -1 : static_cast<std::int64_t>(size);
}

// Rows from the extent of /archs/params alone: a listing must not read every column of a
// large table.
std::int64_t table_rows(const fs::path& path) {
  H5::H5File file = h5::open_for_reading(path);
  if (!h5::exists(file, "/archs/params")) {
    throw Error(path.string() + ": no /archs/params; convert the benchmark again");
  }
  try {
    return static_cast<std::int64_t>(
        file.openDataSet("/archs/params").getSpace().getSimpleExtentNpoints());
  } catch (const H5::Exception& e) {
    throw Error(path.string() + ": cannot read /archs/params (" + e.getDetailMsg() +
                "); convert the benchmark again");
  }
}

std::string size_or_unknown(std::int64_t size) {
  return size < 0 ? std::string("size unknown") : format_bytes(size);
}

}  // namespace

bool BenchmarkStatus::raw_complete() const {
  return std::all_of(files.begin(), files.end(), [](const RawFileStatus& status) {
    return !status.file.required || status.state == RawFileStatus::State::kPresent;
  });
}

namespace {

bool has_required_file(const BenchmarkStatus& status) {
  return std::any_of(status.files.begin(), status.files.end(),
                     [](const RawFileStatus& raw) { return raw.file.required; });
}

}  // namespace

bool BenchmarkStatus::convertible() const { return not_convertible_reason().empty(); }

std::string BenchmarkStatus::not_convertible_reason() const {
  if (!table.has_converter) return benchmark + " has no converter (raw files only)";
  if (has_required_file(*this)) return "";
  std::string reason;
  for (const RawFileStatus& raw : files) {
    if (raw.state == RawFileStatus::State::kPresent) continue;
    reason += (reason.empty() ? "" : "; ") + raw.file.name + " not present at " +
              raw.path.string() + " (get: " + how_to_get_line(benchmark, raw) + ")";
  }
  return reason;
}

BenchmarkStatus benchmark_status(const Manifest& manifest, const fs::path& data_root,
                                 bool has_converter) {
  BenchmarkStatus status;
  status.benchmark = manifest.benchmark;
  status.description = manifest.description;
  status.table.has_converter = has_converter;
  if (has_converter) {
    status.table.path = table_path(data_root, manifest.benchmark);
    std::error_code error;
    status.table.installed = fs::exists(status.table.path, error);
    if (status.table.installed) {
      try {
        status.table.sha256 = sha256_file(status.table.path);
        status.table.rows = table_rows(status.table.path);
      } catch (const Error& e) {
        status.table.problem = e.what();
      }
    }
  }
  for (const ManifestFile& file : manifest.files) {
    RawFileStatus raw;
    raw.file = file;
    raw.path = raw_file_path(data_root, manifest.benchmark, file.name);
    raw.size = regular_file_size(raw.path);
    if (raw.size < 0) {
      raw.state = RawFileStatus::State::kMissing;
    } else if (file.size >= 0 && raw.size != file.size) {
      raw.state = RawFileStatus::State::kWrongSize;
    } else {
      raw.state = RawFileStatus::State::kPresent;
    }
    raw.partial_bytes =
        regular_file_size(partial_file_path(data_root, manifest.benchmark, file.name));
    status.files.push_back(std::move(raw));
  }
  return status;
}

std::vector<BenchmarkStatus> all_benchmark_status(const fs::path& data_root) {
  const std::vector<std::string> converters = converter_names();
  std::vector<BenchmarkStatus> statuses;
  for (const std::string& name : manifest_names()) {
    const bool has_converter =
        std::find(converters.begin(), converters.end(), name) != converters.end();
    statuses.push_back(benchmark_status(manifest_for(name), data_root, has_converter));
  }
  return statuses;
}

std::string how_to_get_line(const std::string& benchmark, const RawFileStatus& status) {
  const ManifestFile& file = status.file;
  if (file.interactive_only) {
    return "download it in a browser" +
           (file.host_note.empty() ? std::string() : " (" + file.host_note + ")") + ": open " +
           file.urls.front() + " and save it as " + status.path.string() +
           (file.size >= 0 ? ", " + std::to_string(file.size) + " bytes" : std::string()) +
           (file.sha256.empty() ? std::string() : ", sha256 " + file.sha256);
  }
  if (file.required && !file.urls.empty()) {
    return "zcbench fetch " + benchmark + " (downloads " + file.urls.front() + ")";
  }
  if (file.required && !file.mirror_path.empty()) {
    return "zcbench fetch " + benchmark + " with ZCB_MIRROR set to a mirror holding " +
           file.mirror_path + "; without one: " + file.how_to_get;
  }
  return file.how_to_get;
}

std::string format_benchmark_status(const BenchmarkStatus& status) {
  std::string text = status.benchmark + "\n";
  const TableStatus& table = status.table;
  if (!table.has_converter) {
    text += "  table   none (raw files only)\n";
  } else if (!table.installed && !status.convertible()) {
    text += "  table   not installed: " + table.path.string() +
            " (put the missing file below in place by hand, then zcbench convert " +
            status.benchmark + ")\n";
  } else if (!table.installed) {
    text += "  table   not installed: " + table.path.string() + " (zcbench " +
            (status.raw_complete() ? std::string("convert ") : std::string("fetch ")) +
            status.benchmark +
            (status.raw_complete() ? "" : " && zcbench convert " + status.benchmark) + ")\n";
  } else if (!table.problem.empty()) {
    text += "  table   unreadable: " + table.problem + "\n";
  } else {
    text += "  table   installed: " + table.path.string() + ", " + std::to_string(table.rows) +
            " rows, sha256 " + table.sha256 + "\n";
  }
  for (const RawFileStatus& raw : status.files) {
    const ManifestFile& file = raw.file;
    const std::string kind = file.required ? "" : " (optional)";
    switch (raw.state) {
      case RawFileStatus::State::kPresent:
        text += "  raw     present  " + file.name + kind + ", " + size_or_unknown(raw.size) + "\n";
        break;
      case RawFileStatus::State::kWrongSize:
        text += "  raw     WRONG    " + file.name + kind + ": " + std::to_string(raw.size) +
                " bytes, expected " + std::to_string(file.size) + "; delete " + raw.path.string() +
                " and fetch again\n";
        break;
      case RawFileStatus::State::kMissing:
        text +=
            "  raw     missing  " + file.name + kind + " (" + size_or_unknown(file.size) + ")\n";
        if (raw.partial_bytes >= 0) {
          text += "          partial download: " + std::to_string(raw.partial_bytes) + " of " +
                  (file.size >= 0 ? std::to_string(file.size) : std::string("?")) +
                  " bytes; zcbench fetch " + status.benchmark + " resumes it\n";
        }
        text += "          get: " + how_to_get_line(status.benchmark, raw) + "\n";
        break;
    }
  }
  return text;
}

}  // namespace zcb::data
