#include "zcb/data/nb201_table.hpp"

#include <cmath>
#include <limits>

#include "zcb/data/csv.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kNumArchs = 15625;

// File names of the `nb201` manifest (data/manifests/nb201.json).
constexpr const char* kNaswot = "naswot_arch_score_acc.csv";
constexpr const char* kNats = "nats-bench-landscape_nats_bench.csv";
constexpr const char* kNasgraphCifar10 = "nasgraph_nasbench201_cifar10.csv";
constexpr const char* kNasgraphCifar100 = "nasgraph_nasbench201_cifar100.csv";
constexpr const char* kNasgraphImagenet = "nasgraph_nasbench201_ImageNet16-120.csv";
constexpr const char* kSourceOrder[] = {kNasgraphCifar10, kNasgraphCifar100, kNasgraphImagenet,
                                        kNats, kNaswot};

struct Source {
  std::string name;
  CsvTable csv;
};

Source load(const std::map<std::string, fs::path>& files, const char* name) {
  const auto it = files.find(name);
  if (it == files.end()) {
    std::string needed;
    for (const char* file : kSourceOrder)
      needed += (needed.empty() ? "" : ", ") + std::string(file);
    throw Error(std::string("NB201 conversion needs the file '") + name +
                "', which was not given; it needs " + needed +
                " (fetch the 'nb201' benchmark first)");
  }
  Source source{name, read_csv(it->second)};
  if (source.csv.rows.size() != kNumArchs) {
    throw Error(source.csv.source + ": " + std::to_string(source.csv.rows.size()) +
                " data rows, expected one per NB201 architecture (" + std::to_string(kNumArchs) +
                "); the file is truncated or not the manifest's version: re-fetch it");
  }
  return source;
}

std::string row_context(const Source& source, std::size_t row, const std::string& column) {
  // Line numbers hold because these files have no line breaks inside fields.
  return source.csv.source + " line " + std::to_string(row + 2) + " (architecture index " +
         std::to_string(row) + ") column '" + column + "'";
}

std::vector<double> numbers(const Source& source, const std::string& column) {
  const std::size_t c = source.csv.column(column);
  std::vector<double> values(source.csv.rows.size());
  for (std::size_t row = 0; row < values.size(); ++row) {
    values[row] = parse_double(source.csv.rows[row][c], row_context(source, row, column));
  }
  return values;
}

// Rows must be in official index order: an explicit index column must count 0, 1, 2, ...
void check_index_column(const Source& source, const std::string& column) {
  const std::size_t c = source.csv.column(column);
  for (std::size_t row = 0; row < source.csv.rows.size(); ++row) {
    const std::int64_t index = parse_int(source.csv.rows[row][c], row_context(source, row, column));
    if (index != static_cast<std::int64_t>(row)) {
      throw Error(row_context(source, row, column) + ": index " + std::to_string(index) +
                  ", expected " + std::to_string(row) +
                  "; the rows are not in official NB201 index order: re-fetch the file");
    }
  }
}

void check_arch_strings(const Source& reference, const std::vector<std::string>& expected,
                        const Source& source, const std::string& column) {
  const std::size_t c = source.csv.column(column);
  for (std::size_t row = 0; row < expected.size(); ++row) {
    const std::string& arch = source.csv.rows[row][c];
    if (arch != expected[row]) {
      throw Error("architecture string mismatch at row " + std::to_string(row) + ": " +
                  source.csv.source + " (column '" + column + "') has '" + arch + "' but " +
                  reference.csv.source + " has '" + expected[row] +
                  "'; the sources must list the official NB201 index order: re-fetch them");
    }
  }
}

TaskTable make_task(const std::string& name, int num_classes, int side,
                    const std::string& image_source, const std::string& description) {
  TaskTable task;
  task.info.name = name;
  task.info.num_classes = num_classes;
  task.info.channels = 3;
  task.info.height = side;
  task.info.width = side;
  task.info.image_source = image_source;
  task.description = description;
  return task;
}

void add_metric(TaskTable& task, const std::string& name, std::vector<double> values,
                const std::string& description) {
  task.info.metrics.push_back(name);
  task.metrics[name] = std::move(values);
  task.metric_descriptions[name] = description;
}

const std::string kV11 =
    "200 epochs, mean over the seeds trained (1 to 3), NAS-Bench-201 v1_1 "
    "(NAS-Bench-201-v1_1-096897.pth, get_more_info(index, dataset, hp='200', "
    "is_random=False))";
const std::string kNatsTss =
    "200 epochs, mean over the seeds trained, NATS-Bench-TSS (NATS-tss-v1_0-3ffb9, "
    "get_more_info(index, dataset, hp='200', is_random=False)); NATS-Bench re-trained the "
    "architectures that had fewer than 3 seeds in NB201 v1_1, so some values differ from the "
    "_nb201v11 column";

}  // namespace

BenchmarkTable convert_nb201(const std::map<std::string, fs::path>& files) {
  const Source naswot = load(files, kNaswot);
  const Source nats = load(files, kNats);
  const Source cifar10 = load(files, kNasgraphCifar10);
  const Source cifar100 = load(files, kNasgraphCifar100);
  const Source imagenet = load(files, kNasgraphImagenet);

  BenchmarkTable table;
  table.benchmark = "nb201";
  check_index_column(naswot, "arch");
  const std::size_t cellstr = naswot.csv.column("cellstr");
  for (const auto& row : naswot.csv.rows) table.arch_strings.push_back(row[cellstr]);
  for (const Source* nasgraph : {&cifar10, &cifar100, &imagenet}) {
    check_index_column(*nasgraph, "file id");
    check_arch_strings(naswot, table.arch_strings, *nasgraph, "arch str");
  }
  check_arch_strings(naswot, table.arch_strings, nats, "ArchitectureString");

  // NB201 stores params in millions (6 decimals); a count is what spaces compute and compare.
  std::size_t fractional_params = 0;
  for (double millions : numbers(naswot, "params")) {
    const double count = millions * 1e6;
    const double rounded = std::round(count);
    // Keep a mean over disagreeing seeds as it is: rounding it would hide the disagreement.
    const bool whole = std::abs(count - rounded) <= 1e-3;
    if (!whole) ++fractional_params;
    table.params.push_back(whole ? rounded : count);
  }
  table.flops.assign(table.size(), std::numeric_limits<double>::quiet_NaN());

  TaskTable c10 =
      make_task("cifar10", 10, 32, "cifar10",
                "CIFAR-10 (10 classes, 3x32x32). Data-dependent proxies see real CIFAR-10 training "
                "images (image source cifar10).");
  c10.info.default_metric = "test_acc_200ep_nb201v11";
  add_metric(c10, "test_acc_200ep_nb201v11", numbers(naswot, "test_top1"),
             "CIFAR-10 test accuracy (%) of the model trained on train+valid (dataset 'cifar10', "
             "50k images), split ori-test (the 10k test images), " +
                 kV11 + ". Source: naswot_arch_score_acc.csv column test_top1.");
  add_metric(
      c10, "test_acc_200ep_natstss", numbers(nats, "CIFAR10TestAccuracy200Epochs"),
      "CIFAR-10 test accuracy (%) of the model trained on train+valid (dataset 'cifar10'), "
      "split ori-test, " +
          kNatsTss +
          ". Source: nats-bench-landscape_nats_bench.csv column CIFAR10TestAccuracy200Epochs.");
  add_metric(c10, "valid_acc_200ep_nb201v11", numbers(cifar10, "validation accuracy"),
             "CIFAR-10 validation accuracy (%) of the model trained on the 25k train split "
             "(dataset 'cifar10-valid'), split x-valid (the other 25k training images), " +
                 kV11 + ". Source: nasgraph_nasbench201_cifar10.csv column 'validation accuracy'.");
  add_metric(c10, "cifar10valid_test_acc_200ep_nb201v11", numbers(cifar10, "test accuracy"),
             "CIFAR-10 test accuracy (%) of the model trained on the 25k train split only "
             "(dataset 'cifar10-valid'), split ori-test (the 10k test images), " +
                 kV11 + ". Source: nasgraph_nasbench201_cifar10.csv column 'test accuracy'.");
  add_metric(c10, "train_acc_200ep_nb201v11", numbers(cifar10, "train accuracy"),
             "CIFAR-10 training accuracy (%) at the last epoch of the model trained on the 25k "
             "train split only (dataset 'cifar10-valid'), split train, " +
                 kV11 + ". Source: nasgraph_nasbench201_cifar10.csv column 'train accuracy'.");

  TaskTable c100 = make_task(
      "cifar100", 100, 32, "cifar10",
      "CIFAR-100 (100 classes, 3x32x32). No CIFAR-100 images are available to zcbench, so "
      "data-dependent proxies see CIFAR-10 training images (image source cifar10) through the "
      "100-class network; their scores on this task are not those of the papers' CIFAR-100 "
      "setting.");
  c100.info.default_metric = "test_acc_200ep_nb201v11";
  add_metric(c100, "test_acc_200ep_nb201v11", numbers(cifar100, "test accuracy"),
             "CIFAR-100 test accuracy (%) of the model trained on the 50k train images (dataset "
             "'cifar100'), split x-test (5k of the 10k test images), " +
                 kV11 + ". Source: nasgraph_nasbench201_cifar100.csv column 'test accuracy'.");
  add_metric(
      c100, "test_acc_200ep_natstss", numbers(nats, "CIFAR100TestAccuracy200Epochs"),
      "CIFAR-100 test accuracy (%) (dataset 'cifar100'), split x-test, " + kNatsTss +
          ". Source: nats-bench-landscape_nats_bench.csv column CIFAR100TestAccuracy200Epochs.");
  add_metric(c100, "valid_acc_200ep_nb201v11", numbers(cifar100, "validation accuracy"),
             "CIFAR-100 validation accuracy (%) (dataset 'cifar100'), split x-valid (the other 5k "
             "test images), " +
                 kV11 +
                 ". Source: nasgraph_nasbench201_cifar100.csv column 'validation accuracy'.");
  add_metric(c100, "train_acc_200ep_nb201v11", numbers(cifar100, "train accuracy"),
             "CIFAR-100 training accuracy (%) at the last epoch (dataset 'cifar100'), split train "
             "(the 50k training images), " +
                 kV11 +
                 ". Source: nasgraph_nasbench201_cifar100.csv column "
                 "'train accuracy'.");

  TaskTable in16 = make_task(
      "ImageNet16-120", 120, 16, "imagenet16-120-approx",
      "ImageNet16-120 (the first 120 ImageNet classes downsampled to 3x16x16). Data-dependent "
      "proxies see an approximation (image source imagenet16-120-approx): 158 real ILSVRC2012 "
      "validation images of these classes box-downsampled to 16x16, not the official "
      "ImageNet16 pixels.");
  in16.info.default_metric = "test_acc_200ep_nb201v11";
  add_metric(in16, "test_acc_200ep_nb201v11", numbers(imagenet, "test accuracy"),
             "ImageNet16-120 test accuracy (%) (dataset 'ImageNet16-120', trained on the train "
             "split), split x-test (half of the validation images), " +
                 kV11 +
                 ". Source: nasgraph_nasbench201_ImageNet16-120.csv column 'test accuracy'.");
  add_metric(
      in16, "test_acc_200ep_natstss", numbers(nats, "ImageNetTestAccuracy200Epochs"),
      "ImageNet16-120 test accuracy (%) (dataset 'ImageNet16-120'), split x-test, " + kNatsTss +
          ". Source: nats-bench-landscape_nats_bench.csv column ImageNetTestAccuracy200Epochs.");
  add_metric(in16, "valid_acc_200ep_nb201v11", numbers(imagenet, "validation accuracy"),
             "ImageNet16-120 validation accuracy (%) (dataset 'ImageNet16-120'), split x-valid "
             "(the other half of the validation images), " +
                 kV11 +
                 ". Source: nasgraph_nasbench201_ImageNet16-120.csv column 'validation accuracy'.");
  add_metric(in16, "train_acc_200ep_nb201v11", numbers(imagenet, "train accuracy"),
             "ImageNet16-120 training accuracy (%) at the last epoch (dataset 'ImageNet16-120'), "
             "split train, " +
                 kV11 +
                 ". Source: nasgraph_nasbench201_ImageNet16-120.csv column 'train accuracy'.");

  table.tasks = {std::move(c10), std::move(c100), std::move(in16)};

  nlohmann::json sources = nlohmann::json::array();
  for (const char* name : kSourceOrder) {
    sources.push_back({{"name", name}, {"sha256", sha256_file(files.at(name))}});
  }
  table.provenance = {
      {"converter", "nb201 community CSV tables"},
      {"converter_version", kNb201ConverterVersion},
      {"sources", sources},
      {"notes",
       {"Rows are the official NAS-Bench-201 / NATS-Bench-TSS architecture index 0..15624; all "
        "five sources give the same architecture string at every index (checked).",
        "params: NB201 'params' of the CIFAR-10 network (10-class classifier) from "
        "naswot_arch_score_acc.csv, given in millions, times 1e6 rounded to a count. For " +
            std::to_string(fractional_params) +
            " architectures the source value is a mean over seeds that is not a whole count "
            "(e.g. index 296: 0.11997266666666667 = mean of 0.129306, 0.129306, 0.101306: NB201 "
            "v1_1 recorded different params for some seeds); those are kept unrounded. The "
            "cifar100 and "
            "ImageNet16-120 networks have 65 * (classes - 10) more classifier parameters.",
        "flops: NaN for every architecture. No community table has NB201 FLOPs; the official "
        "NAS-Bench-201-v1_1-096897.pth (optional file of the nb201 manifest) is needed.",
        "The default metric of every task is the NB201 v1_1 test accuracy; the NATS-Bench-TSS "
        "test accuracy is the _natstss column."}}};
  return table;
}

}  // namespace zcb::data
