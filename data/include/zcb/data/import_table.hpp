/// @file import_table.hpp
/// @brief The generic importer: a benchmark table from community or user files (CSV or JSON)
/// described by a small declarative mapping, for `zcbench import`.
///
/// Mapping (JSON; `data/README.md` has a full example):
/// ```json
/// {"benchmark": "nb201-12ep", "description": "...",
///  "sources": [{"name": "t", "path": "accs.csv", "format": "csv", "arch": "cellstr", "id":
///  "arch"}], "params": {"source": "t", "field": "params", "scale": 1e6}, "tasks": [{"name":
///  "cifar10", "num_classes": 10, "channels": 3, "height": 32, "width": 32,
///             "image_source": "cifar10", "description": "...", "default_metric": "test_acc",
///             "metrics": [{"name": "test_acc", "source": "t", "field": "cifar10-test",
///                          "description": "..."}]}]}
/// ```
/// - `sources[].format`: `csv` (fields are column names) or `json`: a list of records, or with
///   `"layout": "object"` an object of records whose key is the field `$key`; `"records"` names
///   a dotted path to the list/object inside the document (object records come in sorted key
///   order). JSON fields are dotted paths
///   (`net`, `optim.wd`, `test_ep_top1.-1`; integers index arrays, negative from the end).
/// - The first source defines the rows. With `id`, the ids must be 0..N-1 (row = id); without,
///   rows keep file order. Other sources join on `id` if they name one, else on `arch`; rows a
///   source lacks are NaN. An arch value that is not a string is stored as compact JSON.
/// - `params` / `flops` (optional, else NaN) and metrics take `source`, `field`, optional `scale`
///   (multiplier) and `allow_missing` (empty CSV fields, JSON null/NaN become NaN; otherwise an
///   error). Unknown keys anywhere are errors.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "zcb/data/table.hpp"

namespace zcb::data {

/// Version of the importer; recorded in every imported table.
inline constexpr int kImporterVersion = 1;

/// Builds the table that @p mapping describes; relative source paths are taken from
/// @p base_dir. Provenance records the mapping and every source's sha256. Throws zcb::Error
/// naming the mapping key, source file and row for every problem (unknown key, missing field,
/// bad number, duplicate or unknown architecture, ids that are not 0..N-1).
BenchmarkTable import_table(const nlohmann::json& mapping, const std::filesystem::path& base_dir);

/// Reads the mapping file @p mapping_path (JSON) and imports it, sources relative to the
/// mapping's folder.
BenchmarkTable import_table_file(const std::filesystem::path& mapping_path);

}  // namespace zcb::data
