// NATS-Bench -simple folders -> benchmark tables. What is read, and how it is averaged, follows
// D-X-Y/NATS-Bench nats_bench/api_utils.py (ArchResults.get_metrics, get_compute_costs) and
// api_topology.py / api_size.py (get_more_info); the layout is described in nats_table.hpp.
#include "zcb/data/nats_table.hpp"

#include <cmath>
#include <fstream>
#include <limits>

#include "converter_util.hpp"
#include "zcb/data/bz2.hpp"
#include "zcb/data/pickle.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct SpaceSpec {
  const char* benchmark;
  const char* folder;
  const char* hp;  // the full-training hyper-parameter key
  int epochs;
  std::size_t expected_archs;
  const char* description;
};

constexpr SpaceSpec kTss = {"nats-tss", kNatsTssFolder,
                            "200",      200,
                            15625,      "NATS-Bench topology search space (NAS-Bench-201 cells)"};
constexpr SpaceSpec kSss = {"nats-sss", kNatsSssFolder,
                            "90",       90,
                            32768,      "NATS-Bench size search space (channel configurations)"};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(path.string() + ": cannot open (check the NATS-Bench folder)");
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw Error(path.string() + ": read error");
  return bytes;
}

// Runs @p body; a zcb::Error from a value accessor gains the file name in front.
template <typename Body>
auto with_file(const fs::path& path, Body body) {
  try {
    return body();
  } catch (const Error& error) {
    const std::string message = error.what();
    if (message.rfind(path.string(), 0) == 0) throw;
    throw Error(path.string() + ": " + message +
                "; the file does not have the NATS-Bench layout (re-download the archive)");
  }
}

// The value of all_results for the key tuple (dataset, seed).
const PyValue& result_for(const PyValue& all_results, const std::string& dataset,
                          std::int64_t seed) {
  for (const auto& [key, value] : all_results.pairs()) {
    if (key->kind() == PyKind::kTuple && key->items().size() == 2 &&
        key->items()[0]->kind() == PyKind::kStr && key->items()[0]->as_str() == dataset &&
        key->items()[1]->kind() == PyKind::kInt && key->items()[1]->as_int() == seed) {
      return *value;
    }
  }
  throw Error("all_results (offset " + std::to_string(all_results.offset()) + ") has no ('" +
              dataset + "', " + std::to_string(seed) + ") entry");
}

struct DatasetValues {
  double valid = kNaN;  // x-valid (NaN if the dataset has no such split)
  double test = kNaN;   // ori-test for cifar10 / cifar10-valid, x-test otherwise
  double params = kNaN;
  double flops = kNaN;
};

// get_more_info(..., is_random=False) and get_compute_costs: means over dataset_seed[dataset].
DatasetValues dataset_values(const PyValue& arch, const std::string& dataset,
                             const std::string& valid_split, const std::string& test_split) {
  const PyValue& seeds = arch.at("dataset_seed").at(dataset);
  const PyValue& all_results = arch.at("all_results");
  if (seeds.items().empty()) throw Error("dataset_seed['" + dataset + "'] is empty");
  DatasetValues out;
  double valid = 0, test = 0, params = 0, flops = 0;
  for (const PyValue* seed : seeds.items()) {
    const PyValue& result = result_for(all_results, dataset, seed->as_int());
    const std::string last = std::to_string(result.at("epochs").as_int() - 1);
    const PyValue& accuracies = result.at("eval_acc1es");
    if (!valid_split.empty()) valid += accuracies.at(valid_split + "@" + last).as_double();
    test += accuracies.at(test_split + "@" + last).as_double();
    params += result.at("params").as_double();
    flops += result.at("flop").as_double();
  }
  const double n = static_cast<double>(seeds.items().size());
  if (!valid_split.empty()) out.valid = valid / n;
  out.test = test / n;
  out.params = params / n;
  out.flops = flops / n;
  return out;
}

// Millions -> a count, rounded when the stored value has at most 6 decimals (it always has in
// the official files; a mean over seeds with different values keeps its fraction).
double from_millions(double millions) {
  const double value = millions * 1e6;
  const double rounded = std::round(value);
  return std::fabs(value - rounded) < 1e-3 ? rounded : value;
}

// Index of an arch file name "NNNNNN.pickle.pbz2", or -1 for other names.
std::int64_t arch_file_index(const std::string& name) {
  const std::string suffix = ".pickle.pbz2";
  if (name.size() != 6 + suffix.size() || name.compare(6, std::string::npos, suffix) != 0) {
    return -1;
  }
  std::int64_t index = 0;
  for (int i = 0; i < 6; ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    index = index * 10 + (name[i] - '0');
  }
  return index;
}

/// A square RGB task (NB201 / NATS-Bench inputs).
TaskTable square_task(const std::string& name, int num_classes, int side,
                      const std::string& image_source, const std::string& description) {
  return detail::make_task(name, num_classes, 3, side, side, image_source, description);
}

/// The sample files given to the converter, as provenance sources (name and sha256).
nlohmann::json sample_sources(const std::map<std::string, fs::path>& files) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& [name, path] : files) {
    if (arch_file_index(name) >= 0 || name == "meta.pickle.pbz2") {
      sources.push_back({{"name", name}, {"sha256", sha256_file(path)}});
    }
  }
  return sources;
}

BenchmarkTable convert_nats(const SpaceSpec& spec, const std::map<std::string, fs::path>& files) {
  // The official folder when present; otherwise the official sample files the manifest fetches
  // into <data_root>/raw/<benchmark>/, which then has the same layout (meta + arch files).
  const auto found = files.find(spec.folder);
  const auto sample_meta = files.find("meta.pickle.pbz2");
  if (found == files.end() && sample_meta == files.end()) {
    throw Error(std::string(spec.benchmark) + " conversion needs the official folder '" +
                spec.folder + "' (extract " + spec.folder +
                ".tar from the NATS-Bench Google Drive into <data_root>/raw/" + spec.benchmark +
                "/) or the official sample files of its manifest, and neither was given");
  }
  const bool official = found != files.end();
  const fs::path folder = official ? found->second : sample_meta->second.parent_path();
  const fs::path meta_path = folder / "meta.pickle.pbz2";
  const std::string meta_bytes = read_file(meta_path);
  const std::string meta_pickle = bz2_decompress(meta_bytes, meta_path.string());
  const Pickle meta = unpickle(meta_pickle, meta_path.string());
  BenchmarkTable table;
  table.benchmark = spec.benchmark;
  with_file(meta_path, [&] {
    const std::int64_t total = meta.root().at("total_archs").as_int();
    const std::vector<const PyValue*>& archs = meta.root().at("meta_archs").items();
    if (total < 0 || static_cast<std::uint64_t>(total) != archs.size()) {
      throw Error("total_archs " + std::to_string(total) + " but meta_archs has " +
                  std::to_string(archs.size()) + " entries");
    }
    for (const PyValue* arch : archs) table.arch_strings.push_back(arch->as_str());
    return 0;
  });
  const std::size_t n = table.arch_strings.size();
  if (n != spec.expected_archs) {
    throw Error(meta_path.string() + ": " + std::to_string(n) + " architectures, expected " +
                std::to_string(spec.expected_archs) + " for " + spec.benchmark +
                "; this is not the " + spec.folder + " meta file");
  }

  // Arch files present, in index order.
  std::map<std::int64_t, fs::path> arch_files;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    const std::int64_t index = arch_file_index(name);
    if (index < 0) continue;
    if (static_cast<std::size_t>(index) >= n) {
      throw Error(entry.path().string() + ": architecture index " + std::to_string(index) +
                  " is not below total_archs " + std::to_string(n) +
                  "; the folder mixes files of another benchmark");
    }
    arch_files[index] = entry.path();
  }
  if (error) throw Error(folder.string() + ": cannot list the folder (" + error.message() + ")");

  struct DatasetSpec {
    const char* dataset;
    const char* valid;
    const char* test;
  };
  // cifar10: test from 'cifar10' (train+valid), valid from 'cifar10-valid' (train only).
  const DatasetSpec c10_test{"cifar10", "", "ori-test"};
  const DatasetSpec c10_valid{"cifar10-valid", "x-valid", "ori-test"};
  const DatasetSpec c100{"cifar100", "x-valid", "x-test"};
  const DatasetSpec in16{"ImageNet16-120", "x-valid", "x-test"};

  std::vector<double> column_init(n, kNaN);
  std::vector<std::vector<double>> test(3, column_init), valid(3, column_init),
      params(3, column_init), flops(3, column_init);
  // One digest for the folder (a list of 15,626 hashes would not fit an HDF5 attribute):
  // sha256 of the lines "<file name> <sha256>\n" in index order, meta file first.
  std::string listing = "meta.pickle.pbz2 " + sha256_hex(meta_bytes) + "\n";
  for (const auto& arch_file : arch_files) {
    // Named copies: C++17 lambdas cannot capture structured bindings.
    const std::int64_t index = arch_file.first;
    const fs::path& path = arch_file.second;
    const std::string bytes = read_file(path);
    listing += path.filename().string() + " " + sha256_hex(bytes) + "\n";
    const std::string raw = bz2_decompress(bytes, path.string());
    const Pickle pickle = unpickle(raw, path.string());
    const auto row = static_cast<std::size_t>(index);
    with_file(path, [&] {
      const PyValue& arch = pickle.root().at(spec.hp);
      if (arch.at("arch_index").as_int() != index) {
        throw Error("arch_index " + std::to_string(arch.at("arch_index").as_int()) +
                    " differs from the file name's index " + std::to_string(index));
      }
      if (arch.at("arch_str").as_str() != table.arch_strings[row]) {
        throw Error("arch_str '" + arch.at("arch_str").as_str() + "' differs from meta_archs[" +
                    std::to_string(index) + "] '" + table.arch_strings[row] + "'");
      }
      const DatasetValues c10 =
          dataset_values(arch, c10_test.dataset, c10_test.valid, c10_test.test);
      const DatasetValues c10v =
          dataset_values(arch, c10_valid.dataset, c10_valid.valid, c10_valid.test);
      const DatasetValues c100v = dataset_values(arch, c100.dataset, c100.valid, c100.test);
      const DatasetValues in16v = dataset_values(arch, in16.dataset, in16.valid, in16.test);
      const DatasetValues* per_task[3][2] = {{&c10, &c10v}, {&c100v, &c100v}, {&in16v, &in16v}};
      for (int t = 0; t < 3; ++t) {
        test[t][row] = per_task[t][0]->test;
        valid[t][row] = per_task[t][1]->valid;
        params[t][row] = from_millions(per_task[t][0]->params);
        flops[t][row] = from_millions(per_task[t][0]->flops);
      }
      return 0;
    });
  }

  const std::string epochs = std::to_string(spec.epochs);
  const std::string how = epochs + " epochs (hp='" + spec.hp +
                          "'), mean over the seeds in dataset_seed, as get_more_info(index, "
                          "dataset, hp='" +
                          spec.hp + "', is_random=False)";
  const std::string test_name = "test_acc_" + epochs + "ep";
  const std::string valid_name = "valid_acc_" + epochs + "ep";
  TaskTable c10_task = square_task(
      "cifar10", 10, 32, "cifar10",
      "CIFAR-10 (10 classes, 3x32x32). Data-dependent proxies see real CIFAR-10 training "
      "images (image source cifar10).");
  TaskTable c100_task = square_task(
      "cifar100", 100, 32, "cifar10",
      "CIFAR-100 (100 classes, 3x32x32). No CIFAR-100 images are available to zcbench, so "
      "data-dependent proxies see CIFAR-10 training images (image source cifar10).");
  TaskTable in16_task =
      square_task("ImageNet16-120", 120, 16, "imagenet16-120-approx",
                  "ImageNet16-120 (120 ImageNet classes at 3x16x16). Data-dependent proxies see an "
                  "approximation (image source imagenet16-120-approx).");
  const char* task_dataset[3] = {"cifar10", "cifar100", "ImageNet16-120"};
  const char* test_split[3] = {"ori-test of dataset 'cifar10' (trained on train+valid)",
                               "x-test of dataset 'cifar100'",
                               "x-test of dataset 'ImageNet16-120'"};
  const char* valid_split[3] = {"x-valid of dataset 'cifar10-valid' (trained on train only)",
                                "x-valid of dataset 'cifar100'",
                                "x-valid of dataset 'ImageNet16-120'"};
  TaskTable* tasks[3] = {&c10_task, &c100_task, &in16_task};
  for (int t = 0; t < 3; ++t) {
    tasks[t]->info.default_metric = test_name;
    detail::add_metric(
        *tasks[t], test_name, test[t],
        std::string("Test accuracy (%), ") + test_split[t] + ", " + how + ", " + spec.folder + ".");
    detail::add_metric(*tasks[t], valid_name, valid[t],
                       std::string("Validation accuracy (%), ") + valid_split[t] + ", " + how +
                           ", " + spec.folder + ".");
    detail::add_metric(*tasks[t], "params", params[t],
                       std::string("Parameter count of the ") + task_dataset[t] +
                           " network (official 'params' in millions x 1e6), mean over seeds.");
    detail::add_metric(*tasks[t], "flops", flops[t],
                       std::string("FLOPs of the ") + task_dataset[t] +
                           " network (official 'flop' in millions x 1e6), mean over seeds.");
  }
  table.params = params[0];
  table.flops = flops[0];
  table.tasks = {std::move(c10_task), std::move(c100_task), std::move(in16_task)};

  const bool complete = arch_files.size() == n;
  nlohmann::json evaluated = nlohmann::json::array();
  if (!complete) {
    for (const auto& entry : arch_files) evaluated.push_back(entry.first);
  }
  // Every input the converter was given (fetch's up-to-date check compares them all).
  nlohmann::json sources = sample_sources(files);
  if (official) sources.push_back({{"name", spec.folder}, {"sha256", sha256_hex(listing)}});
  table.provenance = {
      {"converter", std::string(spec.benchmark) + " official -simple folder"},
      {"converter_version", kNatsConverterVersion},
      {"sources", sources},
      {"source_digest",
       "sha256 of the lines '<file> <sha256>' (meta.pickle.pbz2, then the arch "
       "files in index order)"},
      {"complete", complete},
      {"archs_with_results", arch_files.size()},
      {"notes",
       {std::string(spec.description) + ": rows are the official index 0.." +
            std::to_string(n - 1) + " (meta_archs of meta.pickle.pbz2).",
        complete ? std::string("Every architecture has its arch file.")
                 : "Only " + std::to_string(arch_files.size()) + " of " + std::to_string(n) +
                       " arch files were present (indexes in 'evaluated_indexes'); every "
                       "other row is NaN. Extract the full official archive for a complete "
                       "table.",
        "/archs/params and /archs/flops are the cifar10 network's; each task has its own "
        "params/flops metrics."}}};
  if (!complete) table.provenance["evaluated_indexes"] = evaluated;
  return table;
}

}  // namespace

std::string nats_folder_digest(const fs::path& folder) {
  std::map<std::int64_t, fs::path> arch_files;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    const std::int64_t index = arch_file_index(entry.path().filename().string());
    if (index >= 0) arch_files[index] = entry.path();
  }
  if (error) throw Error(folder.string() + ": cannot list the folder (" + error.message() + ")");
  std::string listing = "meta.pickle.pbz2 " + sha256_file(folder / "meta.pickle.pbz2") + "\n";
  for (const auto& [index, path] : arch_files) {
    listing += path.filename().string() + " " + sha256_file(path) + "\n";
  }
  return sha256_hex(listing);
}

BenchmarkTable convert_nats_tss(const std::map<std::string, fs::path>& files) {
  return convert_nats(kTss, files);
}

BenchmarkTable convert_nats_sss(const std::map<std::string, fs::path>& files) {
  return convert_nats(kSss, files);
}

}  // namespace zcb::data
