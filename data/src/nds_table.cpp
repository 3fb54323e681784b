// NDS tables from the sweep files of facebookresearch/nds data.zip: the small ImageNet `*_in`
// and CIFAR-10 `*_reruns` files (unmodified copies kept in leeyeehoo/GenNAS-Zero) and the large
// CIFAR-10 sweeps (`nds-*-cifar`), read straight from the official data.zip (members located as
// NNI's nni/nas/benchmarks/nds/db_gen.py lists them: DARTS.json, ResNet_lr-wd.json, ...). Reference
// loaders read: BayesWatch/nas-without-training nasspace.py (accuracy = 100 - last
// test_ep_top1, top + mid for reruns) and the NDS notebooks; we follow the same record fields.
#include "zcb/data/nds_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "converter_util.hpp"
#include "zcb/data/python_json.hpp"
#include "zcb/data/zip_archive.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

struct Setting {
  const char* benchmark;
  const char* file;
  const char* space;    // NDS design space
  const char* variant;  // how the sweep was run
  bool imagenet;        // false: CIFAR-10
  bool in_archive;      // true: `file` is a member of the official data.zip
};

constexpr const char* kArchive = "data.zip";
constexpr const char* kArchiveUrl = "https://dl.fbaipublicfiles.com/nds/data.zip";

// CIFAR-10 sweeps read from data.zip, then the single-file sweeps.
const Setting kSettings[] = {
    {"nds-amoeba-cifar", "Amoeba.json", "Amoeba", "standard sweep", false, true},
    {"nds-darts-cifar", "DARTS.json", "DARTS", "standard sweep", false, true},
    {"nds-darts-fix-w-d-cifar", "DARTS_fix-w-d.json", "DARTS", "fixed width and depth", false,
     true},
    {"nds-darts-lr-wd-cifar", "DARTS_lr-wd.json", "DARTS",
     "learning rate and weight decay sampled per model (see hp_ columns)", false, true},
    {"nds-enas-cifar", "ENAS.json", "ENAS", "standard sweep", false, true},
    {"nds-enas-fix-w-d-cifar", "ENAS_fix-w-d.json", "ENAS", "fixed width and depth", false, true},
    {"nds-nasnet-cifar", "NASNet.json", "NASNet", "standard sweep", false, true},
    {"nds-pnas-cifar", "PNAS.json", "PNAS", "standard sweep", false, true},
    {"nds-pnas-fix-w-d-cifar", "PNAS_fix-w-d.json", "PNAS", "fixed width and depth", false, true},
    {"nds-resnet-cifar", "ResNet.json", "ResNet", "standard sweep", false, true},
    {"nds-resnet-lr-wd-cifar", "ResNet_lr-wd.json", "ResNet",
     "learning rate and weight decay sampled per model (see hp_ columns)", false, true},
    {"nds-resnext-a-cifar", "ResNeXt-A.json", "ResNeXt-A", "standard sweep", false, true},
    {"nds-resnext-b-cifar", "ResNeXt-B.json", "ResNeXt-B", "standard sweep", false, true},
    {"nds-vanilla-cifar", "Vanilla.json", "Vanilla", "standard sweep", false, true},
    {"nds-vanilla-lr-wd-cifar", "Vanilla_lr-wd.json", "Vanilla",
     "learning rate and weight decay sampled per model (see hp_ columns)", false, true},
    {"nds-amoeba-in", "Amoeba_in.json", "Amoeba", "standard sweep", true, false},
    {"nds-darts-fix-w-d-in", "DARTS_fix-w-d_in.json", "DARTS",
     "fixed width and depth, 5 training epochs only", true, false},
    {"nds-darts-in", "DARTS_in.json", "DARTS", "standard sweep", true, false},
    {"nds-darts-lr-wd-in", "DARTS_lr-wd_in.json", "DARTS",
     "learning rate and weight decay sampled per model (see hp_ columns)", true, false},
    {"nds-enas-in", "ENAS_in.json", "ENAS", "standard sweep", true, false},
    {"nds-nasnet-in", "NASNet_in.json", "NASNet", "standard sweep", true, false},
    {"nds-pnas-in", "PNAS_in.json", "PNAS", "standard sweep", true, false},
    {"nds-resnet-lr-wd-in", "ResNet_lr-wd_in.json", "ResNet",
     "learning rate and weight decay sampled per model (see hp_ columns)", true, false},
    {"nds-resnet-reruns", "ResNet_reruns.json", "ResNet",
     "two architectures (a top and a mid one) each trained 100 times with different seeds", false,
     false},
    {"nds-resnext-a-in", "ResNeXt-A_in.json", "ResNeXt-A", "standard sweep", true, false},
    {"nds-resnext-b-in", "ResNeXt-B_in.json", "ResNeXt-B", "standard sweep", true, false},
    {"nds-vanilla-lr-wd-in", "Vanilla_lr-wd_in.json", "Vanilla",
     "learning rate and weight decay sampled per model (see hp_ columns)", true, false},
    {"nds-vanilla-reruns", "Vanilla_reruns.json", "Vanilla",
     "two architectures (a top and a mid one) each trained 100 times with different seeds", false,
     false},
};

const Setting& setting_of(const std::string& benchmark) {
  for (const Setting& setting : kSettings) {
    if (benchmark == setting.benchmark) return setting;
  }
  std::string known;
  for (const std::string& name : nds_benchmarks()) known += (known.empty() ? "" : ", ") + name;
  throw Error("no NDS benchmark '" + benchmark + "'; known: " + known);
}

const json& field(const json& record, const char* key, const std::string& where) {
  if (!record.is_object() || !record.contains(key)) {
    throw Error(where + " has no '" + key + "': not an NDS record; re-fetch the file");
  }
  return record.at(key);
}

double number(const json& value, const std::string& where) {
  if (!value.is_number()) throw Error(where + " is not a number (" + value.dump() + ")");
  return value.get<double>();
}

// 100 - error, after checking the error is a percentage; null (NaN in the file) stays NaN.
double accuracy_from_error(const json& value, const std::string& where, std::size_t& nan_count) {
  if (value.is_null()) {
    ++nan_count;
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double error = number(value, where);
  if (!(error >= 0 && error <= 100)) {
    throw Error(where + ": top-1 error " + std::to_string(error) +
                " is outside [0, 100]; the file is damaged: re-fetch it");
  }
  return 100 - error;
}

double last_error_accuracy(const json& record, const char* key, const std::string& where,
                           std::size_t& nan_count) {
  const json& curve = field(record, key, where);
  if (!curve.is_array() || curve.empty()) {
    throw Error(where + " '" + key + "' is not a non-empty list of per-epoch errors");
  }
  return accuracy_from_error(curve.back(), where + " " + key + "[-1]", nan_count);
}

// The canonical architecture string; checks the fields a space decoder needs.
std::string arch_string(const json& net, bool cell, const std::string& where) {
  if (!net.is_object()) throw Error(where + " 'net' is not an object");
  const std::vector<const char*> needed =
      cell ? std::vector<const char*>{"genotype", "width", "depth"}
           : std::vector<const char*>{"block_type", "ds", "ws", "ss", "bot_muls", "num_gs"};
  for (const char* key : needed) {
    if (!net.contains(key)) {
      throw Error(where + " 'net' has no '" + key + "' (" +
                  (cell ? "a cell space needs genotype, width and depth"
                        : "an AnyNet space needs block_type, ds, ws, ss, bot_muls and num_gs") +
                  "): re-fetch the file");
    }
  }
  if (cell) {
    for (const char* key : {"normal", "normal_concat", "reduce", "reduce_concat"}) {
      if (!net.at("genotype").is_object() || !net.at("genotype").contains(key)) {
        throw Error(where + " 'net.genotype' has no '" + key + "': re-fetch the file");
      }
    }
  }
  return net.dump();  // nlohmann::json keeps keys sorted: canonical, compact
}

// The member of data.zip holding sweep file @p file: `<file>` at the top or inside one folder
// (NNI's NDS script unzips the archive and reads the folder nds_data/). Exactly one must match;
// macOS `__MACOSX/` copies are skipped.
std::string archive_member(const ZipArchive& archive, const std::string& file) {
  std::vector<std::string> matches;
  for (const ZipEntry& entry : archive.entries()) {
    const std::string& name = entry.name;
    if (name.rfind("__MACOSX/", 0) == 0) continue;
    const std::size_t slash = name.find('/');
    const bool top = name == file;
    const bool in_folder = slash != std::string::npos && name.substr(slash + 1) == file;
    if (top || in_folder) matches.push_back(name);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) {
    throw Error(archive.source() + ": no member " + file + " (at the top or in one folder); " +
                "this is not the official NDS data.zip: download it again");
  }
  std::string list;
  for (const std::string& name : matches) list += (list.empty() ? "" : ", ") + name;
  throw Error(archive.source() + ": " + std::to_string(matches.size()) + " members named " + file +
              " (" + list + "); use the unmodified official NDS data.zip");
}

}  // namespace

std::vector<std::string> nds_benchmarks() {
  std::vector<std::string> names;
  for (const Setting& setting : kSettings) names.emplace_back(setting.benchmark);
  std::sort(names.begin(), names.end());
  return names;
}

BenchmarkTable convert_nds(const std::string& benchmark,
                           const std::map<std::string, fs::path>& files) {
  const Setting& setting = setting_of(benchmark);
  const std::string source_file = setting.in_archive ? kArchive : setting.file;
  std::string source_name;  // names the JSON in every error: the file, or archive + member
  std::string text;
  std::string member;  // the data.zip member read, for in_archive settings
  if (setting.in_archive) {
    const auto it = files.find(kArchive);
    if (it == files.end()) {
      throw Error(benchmark + ": " + kArchive + " not present: download " + kArchiveUrl +
                  " to <data_root>/raw/" + benchmark + "/" + kArchive +
                  " (data root: --data-root, else ZCB_DATA_ROOT, else ./zcb-data); one copy "
                  "serves every nds-*-cifar benchmark (hard-link or symlink it into each raw "
                  "folder), then convert again");
    }
    const ZipArchive archive = ZipArchive::open(it->second);
    member = archive_member(archive, setting.file);
    source_name = archive.source() + " member " + member;
    text = archive.read(member);
  } else {
    const fs::path& path = detail::require_file(files, setting.file, benchmark, {setting.file});
    source_name = path.string();
    text = detail::read_text_file(path);
  }
  const json document = parse_python_json(text, source_name);
  text.clear();
  text.shrink_to_fit();
  json records = json::array();
  if (document.is_array()) {
    records = document;
  } else if (document.is_object() && document.contains("top") && document.contains("mid") &&
             document.at("top").is_array() && document.at("mid").is_array()) {
    for (const char* part : {"top", "mid"}) {
      for (const json& record : document.at(part)) records.push_back(record);
    }
  } else {
    throw Error(source_name +
                ": neither a list of NDS records nor {\"top\": [...], \"mid\": "
                "[...]}; re-fetch the file");
  }
  if (records.empty()) throw Error(source_name + ": no records; re-fetch the file");

  // Cell spaces (genotype + width + depth) vs AnyNet spaces (ResNet, ResNeXt, Vanilla).
  const std::string space = setting.space;
  const bool cell = space == "Amoeba" || space == "DARTS" || space == "ENAS" || space == "NASNet" ||
                    space == "PNAS";
  BenchmarkTable table;
  table.benchmark = benchmark;
  std::vector<double> test_last, test_best, train_last, base_lr, wd, epochs, seed;
  std::size_t nan_count = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& record = records[i];
    const std::string where = source_name + " record " + std::to_string(i);
    table.arch_strings.push_back(arch_string(field(record, "net", where), cell, where));
    table.params.push_back(number(field(record, "params", where), where + " 'params'"));
    table.flops.push_back(number(field(record, "flops", where), where + " 'flops'"));
    test_last.push_back(last_error_accuracy(record, "test_ep_top1", where, nan_count));
    test_best.push_back(accuracy_from_error(field(record, "min_test_top1", where),
                                            where + " min_test_top1", nan_count));
    train_last.push_back(last_error_accuracy(record, "train_ep_top1", where, nan_count));
    const json& optim = field(record, "optim", where);
    base_lr.push_back(number(field(optim, "base_lr", where + " optim"), where + " optim.base_lr"));
    wd.push_back(number(field(optim, "wd", where + " optim"), where + " optim.wd"));
    epochs.push_back(number(field(optim, "max_ep", where + " optim"), where + " optim.max_ep"));
    seed.push_back(number(field(record, "rng_seed", where), where + " rng_seed"));
  }

  const std::string data = setting.imagenet ? "ImageNet" : "CIFAR-10";
  const std::string split = setting.imagenet ? "the ImageNet validation set (NDS calls it test)"
                                             : "the CIFAR-10 test set";
  TaskTable task =
      setting.imagenet
          ? detail::make_task("imagenet", 1000, 3, 224, 224, "imagenet-val-227-approx",
                              "ImageNet classification (1,000 classes, 3x224x224). zcbench has "
                              "a few real ILSVRC2012 validation images (image source "
                              "imagenet-val-227-approx) for data-dependent proxies.")
          : detail::make_task("cifar10", 10, 3, 32, 32, "cifar10",
                              "CIFAR-10 classification (10 classes, 3x32x32); proxies see real "
                              "CIFAR-10 training images.");
  task.description += std::string(" NDS design space ") + setting.space + ", " + setting.variant +
                      ". Row = record of " + setting.file + ".";
  const std::string run = " One training run per row (seed rng_seed, epochs hp_epochs), NDS " +
                          std::string(setting.file) + ".";
  task.info.default_metric = "test_acc_last_ep";
  detail::add_metric(
      task, "test_acc_last_ep", std::move(test_last),
      "Top-1 accuracy (%) on " + split + " after the last epoch: 100 - test_ep_top1[-1]." + run);
  detail::add_metric(
      task, "test_acc_best_ep", std::move(test_best),
      "Best top-1 accuracy (%) on " + split + " over the epochs: 100 - min_test_top1." + run);
  detail::add_metric(
      task, "train_acc_last_ep", std::move(train_last),
      "Top-1 training accuracy (%) in the last epoch: 100 - train_ep_top1[-1]." + run);
  detail::add_metric(task, "hp_base_lr", std::move(base_lr),
                     "Training setting of the row, not a ground truth: base learning rate "
                     "(optim.base_lr).");
  detail::add_metric(task, "hp_wd", std::move(wd),
                     "Training setting of the row, not a ground truth: weight decay (optim.wd).");
  detail::add_metric(task, "hp_epochs", std::move(epochs),
                     "Training setting of the row, not a ground truth: epochs (optim.max_ep).");
  detail::add_metric(task, "rng_seed", std::move(seed),
                     "Training setting of the row, not a ground truth: the run's seed.");
  table.tasks.push_back(std::move(task));

  table.provenance = {
      {"converter", "nds sweep files"},
      {"converter_version", kNdsConverterVersion},
      {"sources", detail::source_list(files, {source_file})},
      {"notes",
       {std::string("Rows are the records of ") + setting.file +
            (member.empty() ? std::string()
                            : " (member " + member + " of the official " + kArchive + ")") +
            (document.is_array() ? "" : " (top, then mid)") +
            "; the arch string is the canonical JSON of the record's net (sorted keys).",
        "Accuracies are 100 - the file's top-1 errors; " + std::to_string(nan_count) +
            " error values were NaN in the file and are NaN here.",
        "params and flops are the file's counts for the " + data + " network."}}};
  return table;
}

}  // namespace zcb::data
