// TransNAS-Bench-101 (Duan et al., CVPR 2021) tables from community exports of the official
// `transnas-bench_v10141024.pth`:
// - index -> architecture: VascoLopes/NAS-Benchmark-Evaluation `transnas_api/arch2`, the API's
//   ArchResult objects printed in index order (dict insertion order of the .pth: macro first);
// - metrics: Zhenhan-Huang/NASGraph-Public `data/transbench101_<task>.csv`, one row per global
//   index (`file_id`), each value `get_single_metric(arch, task, metric, mode='best')`, i.e. the
//   maximum over the training epochs (the API takes the max even of losses).
// Task shapes follow the TransNAS-Bench-101 API's model builder (yawen-d/TransNASBench, as
// carried in automl/NASLib naslib/search_spaces/transbench101/tnb101/model_builder.py: 100 object
// classes, 63 scene classes, 1,000 jigsaw permutations of 9 tiles, 9 room-layout outputs, 17
// segmentation classes) and the NASLib loaders (inputs resized to 256x256; jigsaw 64x64 tiles).
#include "zcb/data/transnas_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "converter_util.hpp"
#include "zcb/data/naslib_keys.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kTotal = kTransnasMacroSize + kTransnasMicroSize;
constexpr const char* kArchList = "vascolopes_transnas_api_arch2.txt";
// NASLib run archives with the final-epoch validation metric of every architecture and task.
constexpr const char* kMacroFinal = "tnb101_macro_zen.zip";
constexpr const char* kMicroFinal = "all_benchmarks_zen.zip";
constexpr const char* kImageSource = "imagenet-val-227-approx";

struct MetricSpec {
  const char* column;  // NASGraph column
  const char* name;    // our metric name
  const char* what;    // what it measures, with its direction
};

struct TaskSpec {
  const char* name;
  int num_classes;
  int height;
  const char* description;
  std::vector<MetricSpec> metrics;  // the first is the default
  MetricSpec final;                 // NASLib's final-epoch val_accuracy (column unused)
};

const std::string kBest =
    " Best value over the training epochs (TransNAS-Bench-101 API get_single_metric(arch, "
    "task, metric, mode='best') = max over epochs), from the official "
    "transnas-bench_v10141024.pth via NASGraph-Public data/transbench101_";

const std::string kImages =
    " zcbench has no Taskonomy images: data-dependent proxies see real ILSVRC2012 validation "
    "images (image source imagenet-val-227-approx) resized to the task's input size, a stand-in "
    "for Taskonomy, so their scores on this task are not those of the papers.";

std::vector<MetricSpec> classification_metrics() {
  return {{"valid_top1", "valid_top1_best", "validation top-1 accuracy (%), higher is better."},
          {"test_top1", "test_top1_best", "test top-1 accuracy (%), higher is better."},
          {"valid_top5", "valid_top5_best", "validation top-5 accuracy (%), higher is better."},
          {"test_top5", "test_top5_best", "test top-5 accuracy (%), higher is better."},
          {"train_top1", "train_top1_best", "training top-1 accuracy (%), higher is better."}};
}

std::vector<MetricSpec> ssim_metrics() {
  return {
      {"valid_ssim", "valid_ssim_best", "validation SSIM of the output image, higher is better."},
      {"test_ssim", "test_ssim_best", "test SSIM of the output image, higher is better."},
      {"train_ssim", "train_ssim_best", "training SSIM of the output image, higher is better."}};
}

const MetricSpec kFinalTop1 = {"", "valid_top1_final",
                               "validation top-1 accuracy (%) at the last training epoch, higher "
                               "is better."};
const MetricSpec kFinalSsim = {"", "valid_ssim_final",
                               "validation SSIM at the last training epoch, higher is better."};

const std::vector<TaskSpec>& task_specs() {
  static const std::vector<TaskSpec> specs = {
      {"class_scene", 63, 256,
       "Taskonomy scene classification (63 Places scene classes, soft labels), input 3x256x256.",
       classification_metrics(), kFinalTop1},
      {"class_object", 100, 256,
       "Taskonomy object classification (100 ImageNet object classes, soft labels), input "
       "3x256x256.",
       classification_metrics(), kFinalTop1},
      {"jigsaw", 1000, 64,
       "Jigsaw puzzle (self-supervised): the 255x255 image is cut into 9 tiles of 3x64x64, each "
       "tile goes through the encoder (siamese), and the decoder classifies which of 1,000 "
       "permutations shuffled them. height/width here are those of one tile.",
       classification_metrics(), kFinalTop1},
      {"room_layout",
       9,
       256,
       "Taskonomy room layout regression (9 outputs: camera pose and box size), input "
       "3x256x256. The loss (L2) is lower-is-better; the source stores its negation neg_loss, "
       "so every metric of this task is higher-is-better.",
       {{"valid_neg_loss", "valid_neg_loss_best",
         "validation negative L2 loss (neg_loss = -loss, as the source stores it), higher is "
         "better; the best epoch is the one with the lowest loss."},
        {"test_neg_loss", "test_neg_loss_best",
         "test negative L2 loss (neg_loss = -loss, as the source stores it), higher is better."},
        {"train_neg_loss", "train_neg_loss_best",
         "training negative L2 loss (neg_loss = -loss, as the source stores it), higher is "
         "better."}},
       {"", "valid_neg_loss_final",
        "validation negative L2 loss (neg_loss = -loss) at the last training epoch, higher is "
        "better."}},
      {"segmentsemantic",
       17,
       256,
       "Taskonomy semantic segmentation (17 classes per pixel, 256x256 output), input "
       "3x256x256.",
       {{"valid_mIoU", "valid_miou_best",
         "validation mean IoU over classes (%), higher is better."},
        {"test_mIoU", "test_miou_best", "test mean IoU over classes (%), higher is better."},
        {"valid_acc", "valid_pixel_acc_best",
         "validation pixel accuracy (%) (the source's valid_acc; NAS-Bench-Suite-Zero's TNB "
         "val_accuracy for this task), higher is better."},
        {"test_acc", "test_pixel_acc_best", "test pixel accuracy (%), higher is better."}},
       {"", "valid_pixel_acc_final",
        "validation pixel accuracy (%) at the last training epoch, higher is better."}},
      {"normal", 3, 256,
       "Taskonomy surface normal prediction (3-channel 256x256 output image), input 3x256x256; "
       "num_classes is the number of output channels.",
       ssim_metrics(), kFinalSsim},
      {"autoencoder", 3, 256,
       "Autoencoding (3-channel 256x256 reconstruction, trained as a GAN generator), input "
       "3x256x256; num_classes is the number of output channels.",
       ssim_metrics(), kFinalSsim},
  };
  return specs;
}

std::string csv_name(const TaskSpec& spec) {
  return std::string("nasgraph_transbench101_") + spec.name + ".csv";
}

std::vector<std::string> needed_files(bool micro) {
  std::vector<std::string> names;
  for (const TaskSpec& spec : task_specs()) names.push_back(csv_name(spec));
  names.emplace_back(kArchList);
  names.emplace_back(micro ? kMicroFinal : kMacroFinal);
  return names;
}

// NASLib's val_accuracy (final epoch) per task from the run archive, placed at table rows;
// every architecture must appear exactly once per task.
std::map<std::string, std::vector<double>> final_metrics(const fs::path& archive,
                                                         const BenchmarkTable& table, bool micro) {
  std::map<std::string, std::size_t> row_of;
  for (std::size_t row = 0; row < table.size(); ++row) row_of[table.arch_strings[row]] = row;
  std::map<std::string, std::vector<double>> columns;
  detail::for_each_naslib_zip_record(
      archive, micro ? "transbench101_micro" : "transbench101_macro",
      micro ? "transbench101_macro" : "transbench101_micro", table.benchmark,
      [&](const std::string& task, const nlohmann::json& record, const std::string& at) {
        const std::string key = record.at("arch").get<std::string>();
        const std::string arch = micro ? transnas_micro_string_from_naslib(key, at)
                                       : transnas_macro_string_from_naslib(key, at);
        const auto it = row_of.find(arch);
        if (it == row_of.end()) {
          throw Error(at + ": architecture " + arch + " is not in " + table.benchmark +
                      ": re-fetch the archive");
        }
        std::vector<double>& column = columns[task];
        if (column.empty()) column.assign(table.size(), std::numeric_limits<double>::quiet_NaN());
        if (!std::isnan(column[it->second])) {
          throw Error(at + ": architecture " + arch + " is listed twice for task " + task +
                      ": re-fetch the archive");
        }
        if (!record.contains("val_accuracy") || !record.at("val_accuracy").is_number()) {
          throw Error(at + ": no numeric val_accuracy: re-fetch the archive");
        }
        column[it->second] = record.at("val_accuracy").get<double>();
      });
  for (const TaskSpec& spec : task_specs()) {
    const auto it = columns.find(spec.name);
    const std::size_t missing =
        it == columns.end()
            ? table.size()
            : static_cast<std::size_t>(std::count_if(it->second.begin(), it->second.end(),
                                                     [](double v) { return std::isnan(v); }));
    if (missing != 0) {
      throw Error(archive.string() + ": task " + spec.name + " lacks " + std::to_string(missing) +
                  " of the " + std::to_string(table.size()) +
                  " architectures; the archive is incomplete: re-fetch it");
    }
  }
  return columns;
}

bool is_digits_in(std::string_view text, char low, char high) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < low || c > high) return false;
  }
  return true;
}

// `64-<4 to 6 module codes 1..4>-basic`.
bool is_macro(std::string_view arch) {
  const std::string_view prefix = "64-", suffix = "-basic";
  if (arch.size() < prefix.size() + suffix.size() + 4 || arch.substr(0, 3) != prefix ||
      arch.substr(arch.size() - suffix.size()) != suffix) {
    return false;
  }
  const std::string_view codes = arch.substr(3, arch.size() - 3 - suffix.size());
  return codes.size() >= 4 && codes.size() <= 6 && is_digits_in(codes, '1', '4');
}

// `64-41414-a_bc_def` with ops 0..3.
bool is_micro(std::string_view arch) {
  const std::string_view prefix = "64-41414-";
  if (arch.size() != prefix.size() + 8 || arch.substr(0, prefix.size()) != prefix) return false;
  const std::string_view cell = arch.substr(prefix.size());
  return cell[1] == '_' && cell[4] == '_' && is_digits_in(cell.substr(0, 1), '0', '3') &&
         is_digits_in(cell.substr(2, 2), '0', '3') && is_digits_in(cell.substr(5, 3), '0', '3');
}

// The training loss of each task, as NASLib's get_loss_fn (utils) picks it for TransNAS-Bench-101
// zero-cost runs, and what the proxies' targets are, since Taskonomy labels are absent here.
struct TaskLoss {
  const char* loss;
  const char* targets;
};

TaskLoss task_loss(const std::string& task) {
  if (task == "class_scene" || task == "class_object") {
    return {"cross_entropy",
            " Loss-based proxies backpropagate cross-entropy against class labels drawn uniformly "
            "from the data seed (Taskonomy's soft labels are absent; the source images' ImageNet "
            "labels are not these classes)."};
  }
  if (task == "jigsaw") {
    return {"cross_entropy",
            " Loss-based proxies backpropagate cross-entropy against the index of the permutation "
            "the harness applied to the tiles."};
  }
  if (task == "room_layout") {
    return {"mse",
            " Loss-based proxies backpropagate the mean squared error against seeded standard "
            "normal targets (a stand-in: Taskonomy layouts are absent)."};
  }
  if (task == "segmentsemantic") {
    return {"pixel_cross_entropy",
            " Loss-based proxies backpropagate per-pixel cross-entropy against seeded uniform "
            "class maps (a stand-in: Taskonomy segmentations are absent)."};
  }
  if (task == "normal") {
    return {"l1",
            " Loss-based proxies backpropagate the L1 loss against seeded uniform targets in "
            "[-1, 1] (a stand-in: Taskonomy normals are absent)."};
  }
  return {"l1_input", " Loss-based proxies backpropagate the L1 loss against the input image."};
}

TaskTable task_without_metrics(const TaskSpec& spec) {
  const TaskLoss loss = task_loss(spec.name);
  TaskTable task = detail::make_task(spec.name, spec.num_classes, 3, spec.height, spec.height,
                                     kImageSource, spec.description + kImages + loss.targets);
  task.info.loss = loss.loss;
  return task;
}

BenchmarkTable convert(const std::map<std::string, fs::path>& files, bool micro) {
  const std::string benchmark = micro ? "transnas-micro" : "transnas-macro";
  const std::vector<std::string> needed = needed_files(micro);
  const fs::path& list_path = detail::require_file(files, kArchList, benchmark, needed);
  const std::vector<std::string> archs =
      parse_transnas_arch_list(detail::read_text_file(list_path), list_path.string());
  const std::size_t first = micro ? kTransnasMacroSize : 0;
  const std::size_t count = micro ? kTransnasMicroSize : kTransnasMacroSize;

  BenchmarkTable table;
  table.benchmark = benchmark;
  table.arch_strings.assign(archs.begin() + first, archs.begin() + first + count);
  if (micro) {
    for (std::size_t row = 0; row < count; ++row) table.official_index.push_back(first + row);
  }
  // The community exports carry no model_info (params/FLOPs); only the official .pth has them.
  table.params.assign(count, std::numeric_limits<double>::quiet_NaN());
  table.flops.assign(count, std::numeric_limits<double>::quiet_NaN());

  std::map<std::string, std::vector<double>> finals = final_metrics(
      detail::require_file(files, micro ? kMicroFinal : kMacroFinal, benchmark, needed), table,
      micro);
  for (const TaskSpec& spec : task_specs()) {
    const std::string name = csv_name(spec);
    const CsvTable csv = read_csv(detail::require_file(files, name, benchmark, needed));
    if (csv.rows.size() != kTotal) {
      throw Error(csv.source + ": " + std::to_string(csv.rows.size()) +
                  " data rows, expected one per TransNAS-Bench-101 architecture (" +
                  std::to_string(kTotal) +
                  "); the file is truncated or not the manifest's "
                  "version: re-fetch it");
    }
    const std::vector<double> ids = detail::csv_numbers(csv, "file_id");
    for (std::size_t row = 0; row < kTotal; ++row) {
      if (ids[row] != static_cast<double>(row)) {
        throw Error(csv.source + " line " + std::to_string(row + 2) + " column 'file_id': " +
                    std::to_string(ids[row]) + ", expected " + std::to_string(row) +
                    "; rows must be in official TransNAS-Bench-101 index order: re-fetch it");
      }
    }
    TaskTable task = task_without_metrics(spec);
    task.info.default_metric = spec.metrics.front().name;
    for (const MetricSpec& metric : spec.metrics) {
      const std::vector<double> all = detail::csv_numbers(csv, metric.column);
      detail::add_metric(task, metric.name,
                         std::vector<double>(all.begin() + first, all.begin() + first + count),
                         std::string(spec.name) + " " + metric.what + kBest + spec.name +
                             ".csv column " + metric.column + ".");
    }
    detail::add_metric(task, spec.final.name, std::move(finals.at(spec.name)),
                       std::string(spec.name) + " " + spec.final.what +
                           " NASLib's val_accuracy from its Zen run archive (" +
                           (micro ? kMicroFinal : kMacroFinal) +
                           "), the final-epoch metric NAS-Bench-Suite-Zero correlates with; "
                           "never above the _best column (checked in the tests).");
    table.tasks.push_back(std::move(task));
  }

  table.provenance = {
      {"converter", "transnas-bench-101 community exports"},
      {"converter_version", kTransnasConverterVersion},
      {"sources", detail::source_list(files, needed)},
      {"notes",
       {std::string(micro ? "Row i is the micro (cell-level) architecture of official "
                            "TransNAS-Bench-101 index 3256 + i (/archs/official_index)."
                          : "Row i is the macro (network-level) architecture of official "
                            "TransNAS-Bench-101 index i."),
        "Every *_best metric is the best value over the training epochs (API mode='best'); "
        "*_final is the last epoch (NASLib run archive, covering every architecture). The "
        "sources' loss and time_elapsed columns are left out: mode='best' takes their maximum "
        "over epochs, i.e. the worst loss, which is no ground truth.",
        "params and flops are NaN: the community exports have no model_info; the official "
        "transnas-bench_v10141024.pth does.",
        "image_source imagenet-val-227-approx: proxies see ImageNet validation images instead "
        "of Taskonomy images."}}};
  return table;
}

}  // namespace

std::vector<std::string> parse_transnas_arch_list(std::string_view text,
                                                  const std::string& source) {
  std::vector<std::string> archs;
  std::set<std::string> seen;
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t index = archs.size();
    const std::string where = source + " line " + std::to_string(index + 1);
    if (index >= kTotal) {
      throw Error(where + ": more than " + std::to_string(kTotal) +
                  " architectures; this is not the TransNAS-Bench-101 index list: re-fetch it");
    }
    const std::string head = "ArchResult(arch-index=" + std::to_string(index) + ", arch=";
    const std::string_view tail = ", 7 tasks)";
    if (line.size() <= head.size() + tail.size() || line.substr(0, head.size()) != head ||
        line.substr(line.size() - tail.size()) != tail) {
      throw Error(where + ": expected 'ArchResult(arch-index=" + std::to_string(index) +
                  ", arch=<architecture>, 7 tasks)'; the file is damaged or not the index "
                  "list: re-fetch it");
    }
    const std::string_view arch = line.substr(head.size(), line.size() - head.size() - tail.size());
    const bool macro_expected = index < kTransnasMacroSize;
    if (macro_expected ? !is_macro(arch) : !is_micro(arch)) {
      throw Error(where + ": '" + std::string(arch) + "' is not a " +
                  (macro_expected ? "macro architecture (64-<4 to 6 digits 1-4>-basic)"
                                  : "micro architecture (64-41414-a_bc_def, digits 0-3)") +
                  "; indexes 0..3255 are macro and 3256..7351 micro: re-fetch the file");
    }
    archs.emplace_back(arch);
    if (!seen.insert(archs.back()).second) {
      throw Error(where + ": architecture '" + archs.back() + "' is listed twice: re-fetch it");
    }
  }
  if (archs.size() != kTotal) {
    throw Error(source + ": " + std::to_string(archs.size()) + " architectures, expected " +
                std::to_string(kTotal) + "; the file is truncated: re-fetch it");
  }
  return archs;
}

std::vector<TaskTable> transnas_tasks_without_metrics() {
  std::vector<TaskTable> tasks;
  for (const TaskSpec& spec : task_specs()) tasks.push_back(task_without_metrics(spec));
  return tasks;
}

BenchmarkTable convert_transnas_macro(const std::map<std::string, fs::path>& files) {
  return convert(files, false);
}

BenchmarkTable convert_transnas_micro(const std::map<std::string, fs::path>& files) {
  return convert(files, true);
}

}  // namespace zcb::data
