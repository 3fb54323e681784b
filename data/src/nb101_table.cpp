#include "zcb/data/nb101_table.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "zcb/data/naslib_keys.hpp"
#include "zcb/data/nb101.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/data/tfrecord.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kFinalEpochs = 108;
constexpr const char* kKeyName = "nb101_module_hash";

TaskTable cifar10_task(const std::string& description) {
  TaskTable task;
  task.info.name = "cifar10";
  task.info.num_classes = 10;
  task.info.channels = 3;
  task.info.height = 32;
  task.info.width = 32;
  task.info.image_source = "cifar10";
  task.description = description;
  return task;
}

void add_metric(TaskTable& task, const std::string& name, std::vector<double> values,
                const std::string& description) {
  if (task.info.default_metric.empty()) task.info.default_metric = name;
  task.info.metrics.push_back(name);
  task.metrics[name] = std::move(values);
  task.metric_descriptions[name] = description;
}

nlohmann::json sources_of(const std::map<std::string, fs::path>& files, const std::string& used) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& [name, path] : files) {
    const bool is_used =
        used.empty() ? name != kNb101Only108File && name != kNb101FullFile : name == used;
    sources.push_back({{"name", name}, {"sha256", sha256_file(path)}, {"used", is_used}});
  }
  return sources;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + path.string() + "; fetch the 'nb101' benchmark first");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

template <typename Json>
Json parse_json_file(const fs::path& path) {
  try {
    return Json::parse(read_text(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(path.string() + ": not valid JSON (" + e.what() +
                "); the file is corrupt or not the manifest's version: delete it and fetch again");
  }
}

double unit_fraction(const std::optional<double>& value, const std::string& what,
                     const std::string& field) {
  if (!value) throw Error(what + ": final evaluation has no " + field);
  if (!std::isfinite(*value) || *value < 0.0 || *value > 1.0) {
    throw Error(what + ": final " + field + " " + std::to_string(*value) +
                " is not a fraction in [0, 1]; the file is corrupt");
  }
  return *value;
}

// Rows keyed by module hash, in first-seen order.
struct Rows {
  std::unordered_map<std::string, std::size_t> row_of;
  std::vector<std::string> arch_strings;
  std::vector<std::string> keys;
  std::vector<double> params;

  // Returns the row of @p spec's hash, adding a row if new (and whether it was new).
  std::pair<std::size_t, bool> add(const Nb101Spec& pruned, const std::string& hash) {
    const auto [it, inserted] = row_of.try_emplace(hash, keys.size());
    if (inserted) {
      arch_strings.push_back(nb101_arch_string(pruned));
      keys.push_back(hash);
      params.push_back(kNaN);
    }
    return {it->second, inserted};
  }
};

Nb101Spec pruned_in_domain(const Nb101Spec& spec, const std::string& what) {
  const std::optional<Nb101Spec> pruned = prune_nb101(spec);
  if (!pruned) throw Error(what + ": input and output are not connected (invalid NB101 graph)");
  if (!is_nb101_in_domain(*pruned)) {
    throw Error(what + ": after pruning the graph has " + std::to_string(pruned->vertices) +
                " vertices and " + std::to_string(pruned->num_edges()) +
                " edges; NB101 allows at most 7 and 9");
  }
  return *pruned;
}

// --- Community subsets -------------------------------------------------------------------

// GenNAS-Zero data/nb101/nasbench1_2500.json: [[[adjacency rows], [ops]], test fraction], ...
void read_gennas(const fs::path& path, Rows& rows, std::vector<double>& test) {
  const nlohmann::json entries = parse_json_file<nlohmann::json>(path);
  if (!entries.is_array()) {
    throw Error(path.string() + ": expected a JSON list of [[adjacency, ops], accuracy]");
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string what = path.string() + " entry " + std::to_string(i);
    const nlohmann::json& entry = entries[i];
    const bool shaped = entry.is_array() && entry.size() == 2 && entry[0].is_array() &&
                        entry[0].size() == 2 && entry[0][0].is_array() && entry[0][1].is_array() &&
                        entry[1].is_number();
    if (!shaped) throw Error(what + ": expected [[adjacency rows, op names], accuracy]");
    std::vector<int> matrix;
    std::vector<std::string> ops;
    for (const auto& row : entry[0][0]) {
      if (!row.is_array()) throw Error(what + ": adjacency rows must be lists of 0/1");
      for (const auto& value : row) {
        if (!value.is_number_integer()) throw Error(what + ": adjacency entries must be 0/1");
        matrix.push_back(value.get<int>());
      }
    }
    for (const auto& op : entry[0][1]) {
      if (!op.is_string()) throw Error(what + ": ops must be strings");
      ops.push_back(op.get<std::string>());
    }
    if (entry[0][0].size() != ops.size()) {
      throw Error(what + ": " + std::to_string(entry[0][0].size()) + " adjacency rows for " +
                  std::to_string(ops.size()) + " ops");
    }
    const Nb101Spec pruned = pruned_in_domain(make_nb101_spec(matrix, ops, what), what);
    const double accuracy = entry[1].get<double>();
    if (!std::isfinite(accuracy) || accuracy < 0.0 || accuracy > 1.0) {
      throw Error(what + ": accuracy " + std::to_string(accuracy) + " is not a fraction");
    }
    const auto [row, added] = rows.add(pruned, nb101_hash(pruned));
    if (!added) {
      throw Error(what + ": module hash " + rows.keys[row] + " already appeared (row " +
                  std::to_string(row) + "); the file is not the manifest's version");
    }
    test.push_back(100.0 * accuracy);
  }
}

// NASLib (Suite-Zero, early) zc_nasbench101.json: {"nasbench101": {"cifar10": {"(56 ints)":
// {..., "params": millions, "val_accuracy": percent}}}}; the tuple is the flattened 7x7
// unpruned adjacency then 7 op ids into [input, output, maxpool3x3, conv1x1, conv3x3].
struct SuiteZeroResult {
  std::size_t entries = 0;
  std::size_t duplicates = 0;
  std::size_t relabelled_params_differ = 0;  // duplicates in another vertex order, other params
};

SuiteZeroResult read_suite_zero(const fs::path& path, Rows& rows, std::vector<double>& test,
                                std::vector<double>& valid) {
  const auto document = parse_json_file<nlohmann::ordered_json>(path);
  const auto space = document.find("nasbench101");
  if (space == document.end() || !space->is_object() || !space->contains("cifar10") ||
      !space->at("cifar10").is_object()) {
    throw Error(path.string() + ": expected {\"nasbench101\": {\"cifar10\": {...}}}");
  }
  SuiteZeroResult result;
  std::vector<bool> seen(rows.keys.size(), false);
  for (const auto& [key, value] : space->at("cifar10").items()) {
    const std::string what = path.string() + " entry '" + key.substr(0, 40) + "...'";
    ++result.entries;
    const Nb101Spec pruned = pruned_in_domain(nb101_spec_from_naslib(key, what), what);
    if (!value.is_object() || !value.contains("val_accuracy") || !value.contains("params") ||
        !value["val_accuracy"].is_number() || !value["params"].is_number()) {
      throw Error(what + ": needs numeric 'val_accuracy' and 'params'");
    }
    const double accuracy = value["val_accuracy"].get<double>();
    if (!std::isfinite(accuracy) || accuracy < 0.0 || accuracy > 100.0) {
      throw Error(what + ": val_accuracy " + std::to_string(accuracy) + " is not a percentage");
    }
    const double millions = value["params"].get<double>();
    const double count = std::round(millions * 1e6);
    if (!std::isfinite(millions) || millions <= 0.0 || std::abs(millions * 1e6 - count) > 0.01) {
      throw Error(what + ": params " + std::to_string(millions) +
                  " (millions) is not a whole parameter count");
    }
    const auto [row, added] = rows.add(pruned, nb101_hash(pruned));
    if (added) {
      test.push_back(kNaN);
      valid.push_back(kNaN);
      seen.push_back(false);
    }
    if (seen[row]) {
      // The same module again (NASLib sampled it twice; another random repeat). The first
      // entry is kept. The same graph must have the same parameter count; an isomorphic
      // relabelling may differ, because NB101 splits channels by vertex order.
      ++result.duplicates;
      if (rows.params[row] != count) {
        if (rows.arch_strings[row] == nb101_arch_string(pruned)) {
          throw Error(what + ": graph " + rows.arch_strings[row] + " appeared before with " +
                      std::to_string(rows.params[row]) + " params, here " + std::to_string(count) +
                      "; the file is not the manifest's version");
        }
        ++result.relabelled_params_differ;
      }
      continue;
    }
    seen[row] = true;
    valid[row] = accuracy;
    rows.params[row] = count;
  }
  return result;
}

BenchmarkTable table_from_mirror(const std::map<std::string, fs::path>& files) {
  for (const char* name : {kNb101GennasFile, kNb101SuiteZeroFile}) {
    if (files.count(name) == 0) {
      throw Error(std::string("NB101 conversion needs either the official ") + kNb101Only108File +
                  " / " + kNb101FullFile + " or both community files " + kNb101GennasFile +
                  " and " + kNb101SuiteZeroFile + "; '" + name +
                  "' was not given (fetch the 'nb101' benchmark first)");
    }
  }
  Rows rows;
  std::vector<double> test;
  read_gennas(files.at(kNb101GennasFile), rows, test);
  const std::size_t gennas_rows = rows.keys.size();
  std::vector<double> valid(gennas_rows, kNaN);
  const SuiteZeroResult suite = read_suite_zero(files.at(kNb101SuiteZeroFile), rows, test, valid);

  BenchmarkTable table;
  table.benchmark = "nb101";
  table.arch_strings = std::move(rows.arch_strings);
  table.arch_keys = std::move(rows.keys);
  table.arch_key_name = kKeyName;
  table.params = std::move(rows.params);
  table.flops.assign(table.arch_strings.size(), kNaN);
  TaskTable task = cifar10_task(
      "NAS-Bench-101 CIFAR-10 (10 classes, 32x32x3). Community subsets only: the official "
      "TFRecord (nasbench_only108.tfrecord) gives all 423,624 modules with means over the 3 "
      "repeats. Rows: the GenNAS-Zero 2,500-module set, then the distinct modules of the "
      "NAS-Bench-Suite-Zero 500-entry set; NaN where a source has no value.");
  add_metric(task, "test_acc_108ep_one_repeat_gennas", std::move(test),
             "CIFAR-10 test accuracy (%) after 108 epochs of ONE training repeat (which of the 3 "
             "is not documented), as fraction x 100 from GenNAS-Zero data/nb101/"
             "nasbench1_2500.json. Every value is a multiple of 1/9984 (the per-repeat "
             "granularity of NB101 accuracies), which a mean over 3 repeats would be only about "
             "1 time in 3, so it is a single repeat. NaN for modules not in that file.");
  add_metric(task, "valid_acc_108ep_one_repeat_suitezero", std::move(valid),
             "CIFAR-10 validation accuracy (%) after 108 epochs of ONE randomly sampled repeat "
             "(NASLib query()), from NAS-Bench-Suite-Zero (NASLib zerocost branch) "
             "zc_nasbench101.json 'val_accuracy'; for modules listed several times (isomorphic "
             "duplicates, other repeats) the first entry is kept. NaN for modules not in that "
             "file.");
  table.tasks.push_back(std::move(task));
  table.provenance = {
      {"converter", "nb101 community subsets (GenNAS-Zero 2,500 + NAS-Bench-Suite-Zero 500)"},
      {"converter_version", kNb101ConverterVersion},
      {"sources", sources_of(files, "")},
      {"notes",
       {"Rows have no official index: arch keys are official module hashes (graph_util."
        "hash_module of the pruned graph), arch strings the pruned graph as "
        "'<V*V adjacency digits>|<ops>' in the source's vertex order.",
        std::to_string(gennas_rows) + " rows from " + kNb101GennasFile + ", " +
            std::to_string(table.size() - gennas_rows) + " more from " + kNb101SuiteZeroFile +
            " (" + std::to_string(suite.entries) + " entries, " + std::to_string(suite.duplicates) +
            " isomorphic duplicates dropped; in " + std::to_string(suite.relabelled_params_differ) +
            " of them a relabelled graph has another NASLib parameter count, because NB101 "
            "splits channels by vertex order: params belong to the stored string's order).",
        "params: NASLib's PyTorch parameter count of the CIFAR-10 network ('params' in "
        "millions x 1e6) for the Suite-Zero modules; NaN for the others. Not the official "
        "trainable_parameters (unverified that they agree).",
        "flops: NaN (no source with a documented FLOP convention)."}}};
  return table;
}

// --- Official TFRecord --------------------------------------------------------------------

// The table of one official file, without provenance sources (the callers add them, so a
// 2 GB file is hashed once).
BenchmarkTable tfrecord_table(const fs::path& path, Nb101TfRecordSummary* summary) {
  Nb101TfRecordSummary counts;
  Rows rows;
  std::vector<double> test_sum;
  std::vector<double> valid_sum;
  std::vector<int> repeats;
  read_tfrecord_file(path, [&](std::string_view record, std::uint64_t offset) {
    const std::string what = path.string() + ": record " + std::to_string(counts.records) +
                             " (byte offset " + std::to_string(offset) + ")";
    ++counts.records;
    counts.payload_bytes += record.size();
    const Nb101Row row = parse_nb101_row(record, what);
    if (row.epochs != kFinalEpochs) return true;
    ++counts.records_108;
    const Nb101ModelMetrics& metrics = row.metrics;
    // api.py: evaluation_data[0] is step 0, [1] halfway, [2] the end of training.
    if (metrics.evaluation_data.size() < 3) {
      throw Error(what + ": " + std::to_string(metrics.evaluation_data.size()) +
                  " evaluations, expected 3 (start, halfway, final); the file is corrupt");
    }
    const Nb101Evaluation& final_evaluation = metrics.evaluation_data[2];
    const double test = unit_fraction(final_evaluation.test_accuracy, what, "test_accuracy");
    const double valid =
        unit_fraction(final_evaluation.validation_accuracy, what, "validation_accuracy");
    if (!metrics.trainable_parameters || *metrics.trainable_parameters <= 0) {
      throw Error(what + ": missing or non-positive trainable_parameters");
    }
    const auto params = static_cast<double>(*metrics.trainable_parameters);
    auto found = rows.row_of.find(row.module_hash);
    std::size_t index = 0;
    if (found == rows.row_of.end()) {
      const Nb101Spec pruned = pruned_in_domain(nb101_spec_of_row(row, what), what);
      const std::string hash = nb101_hash(pruned);
      if (hash != row.module_hash) {
        throw Error(what + ": module hash " + row.module_hash + " but the graph " +
                    nb101_arch_string(pruned) + " hashes to " + hash +
                    "; the file is corrupt or not an official NAS-Bench-101 file");
      }
      index = rows.add(pruned, hash).first;
      rows.params[index] = params;
      test_sum.push_back(0.0);
      valid_sum.push_back(0.0);
      repeats.push_back(0);
    } else {
      index = found->second;
      if (rows.params[index] != params) {
        throw Error(what + ": module " + row.module_hash + " has " + std::to_string(params) +
                    " trainable parameters here but " + std::to_string(rows.params[index]) +
                    " in an earlier record; the file is corrupt");
      }
    }
    test_sum[index] += test;
    valid_sum[index] += valid;
    ++repeats[index];
    return true;
  });
  if (counts.records_108 == 0) {
    throw Error(path.string() + ": " + std::to_string(counts.records) +
                " records but none at 108 epochs; is this an NB101 file?");
  }
  counts.modules = rows.keys.size();
  std::vector<double> test(counts.modules);
  std::vector<double> valid(counts.modules);
  for (std::size_t i = 0; i < counts.modules; ++i) {
    test[i] = 100.0 * test_sum[i] / repeats[i];
    valid[i] = 100.0 * valid_sum[i] / repeats[i];
    if (repeats[i] != 3) ++counts.not_three_repeats;
  }
  if (summary != nullptr) *summary = counts;

  BenchmarkTable table;
  table.benchmark = "nb101";
  table.arch_strings = std::move(rows.arch_strings);
  table.arch_keys = std::move(rows.keys);
  table.arch_key_name = kKeyName;
  table.params = std::move(rows.params);
  table.flops.assign(table.arch_strings.size(), kNaN);
  TaskTable task = cifar10_task(
      "NAS-Bench-101 CIFAR-10 (10 classes, 32x32x3), all modules of the official file, in "
      "file order (first record of each module hash).");
  add_metric(task, "test_acc_108ep_mean3", std::move(test),
             "CIFAR-10 test accuracy (%) at the end of 108-epoch training (ModelMetrics "
             "evaluation_data[2].test_accuracy, as nasbench api.py final_test_accuracy), mean "
             "over the repeats in the file (3 per module).");
  add_metric(task, "valid_acc_108ep_mean3", std::move(valid),
             "CIFAR-10 validation accuracy (%) (10,000 held-out training images) at the end of "
             "108-epoch training (evaluation_data[2].validation_accuracy), mean over the "
             "repeats in the file (3 per module).");
  table.tasks.push_back(std::move(task));
  table.provenance = {
      {"converter", "nb101 official TFRecord"},
      {"converter_version", kNb101ConverterVersion},
      {"notes",
       {"Rows have no official index: arch keys are the official module hashes (each checked "
        "against graph_util.hash_module of its graph), arch strings the pruned graph of the "
        "file as '<V*V adjacency digits>|<ops>'.",
        std::to_string(counts.records) + " records, " + std::to_string(counts.records_108) +
            " at 108 epochs, " + std::to_string(counts.modules) + " modules, " +
            std::to_string(counts.not_three_repeats) + " with other than 3 repeats.",
        "params: official trainable_parameters. flops: NaN (not in the file)."}}};
  return table;
}

}  // namespace

BenchmarkTable nb101_table_from_tfrecord(const fs::path& path, Nb101TfRecordSummary* summary) {
  BenchmarkTable table = tfrecord_table(path, summary);
  table.provenance["sources"] = {
      {{"name", path.filename().string()}, {"sha256", sha256_file(path)}, {"used", true}}};
  return table;
}

BenchmarkTable convert_nb101(const std::map<std::string, fs::path>& files) {
  for (const char* official : {kNb101Only108File, kNb101FullFile}) {
    const auto it = files.find(official);
    if (it == files.end()) continue;
    BenchmarkTable table = tfrecord_table(it->second, nullptr);
    // List every given file, so an up-to-date check sees the same sources as fetch returns.
    table.provenance["sources"] = sources_of(files, official);
    return table;
  }
  return table_from_mirror(files);
}

}  // namespace zcb::data
