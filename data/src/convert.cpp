#include "zcb/data/convert.hpp"

#include "zcb/data/nats_table.hpp"
#include "zcb/data/nb101_table.hpp"
#include "zcb/data/nb201_table.hpp"
#include "zcb/data/nds_table.hpp"
#include "zcb/data/suite_zero_table.hpp"
#include "zcb/data/transnas_table.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using Files = std::map<std::string, std::filesystem::path>;
using Converter = BenchmarkTable (*)(const Files&);

struct Entry {
  const char* benchmark;
  Converter convert;
};

// The one list of converters (sorted by name). A new benchmark adds one line here.
constexpr Entry kConverters[] = {
    {"nats-sss", &convert_nats_sss},
    {"nats-tss", &convert_nats_tss},
    {"nb101", &convert_nb101},
    {"nb201", &convert_nb201},
    {"nds-amoeba-cifar", [](const Files& f) { return convert_nds("nds-amoeba-cifar", f); }},
    {"nds-amoeba-in", [](const Files& f) { return convert_nds("nds-amoeba-in", f); }},
    {"nds-darts-cifar", [](const Files& f) { return convert_nds("nds-darts-cifar", f); }},
    {"nds-darts-fix-w-d-cifar",
     [](const Files& f) { return convert_nds("nds-darts-fix-w-d-cifar", f); }},
    {"nds-darts-fix-w-d-in", [](const Files& f) { return convert_nds("nds-darts-fix-w-d-in", f); }},
    {"nds-darts-in", [](const Files& f) { return convert_nds("nds-darts-in", f); }},
    {"nds-darts-lr-wd-cifar",
     [](const Files& f) { return convert_nds("nds-darts-lr-wd-cifar", f); }},
    {"nds-darts-lr-wd-in", [](const Files& f) { return convert_nds("nds-darts-lr-wd-in", f); }},
    {"nds-enas-cifar", [](const Files& f) { return convert_nds("nds-enas-cifar", f); }},
    {"nds-enas-fix-w-d-cifar",
     [](const Files& f) { return convert_nds("nds-enas-fix-w-d-cifar", f); }},
    {"nds-enas-in", [](const Files& f) { return convert_nds("nds-enas-in", f); }},
    {"nds-nasnet-cifar", [](const Files& f) { return convert_nds("nds-nasnet-cifar", f); }},
    {"nds-nasnet-in", [](const Files& f) { return convert_nds("nds-nasnet-in", f); }},
    {"nds-pnas-cifar", [](const Files& f) { return convert_nds("nds-pnas-cifar", f); }},
    {"nds-pnas-fix-w-d-cifar",
     [](const Files& f) { return convert_nds("nds-pnas-fix-w-d-cifar", f); }},
    {"nds-pnas-in", [](const Files& f) { return convert_nds("nds-pnas-in", f); }},
    {"nds-resnet-cifar", [](const Files& f) { return convert_nds("nds-resnet-cifar", f); }},
    {"nds-resnet-lr-wd-cifar",
     [](const Files& f) { return convert_nds("nds-resnet-lr-wd-cifar", f); }},
    {"nds-resnet-lr-wd-in", [](const Files& f) { return convert_nds("nds-resnet-lr-wd-in", f); }},
    {"nds-resnet-reruns", [](const Files& f) { return convert_nds("nds-resnet-reruns", f); }},
    {"nds-resnext-a-cifar", [](const Files& f) { return convert_nds("nds-resnext-a-cifar", f); }},
    {"nds-resnext-a-in", [](const Files& f) { return convert_nds("nds-resnext-a-in", f); }},
    {"nds-resnext-b-cifar", [](const Files& f) { return convert_nds("nds-resnext-b-cifar", f); }},
    {"nds-resnext-b-in", [](const Files& f) { return convert_nds("nds-resnext-b-in", f); }},
    {"nds-vanilla-cifar", [](const Files& f) { return convert_nds("nds-vanilla-cifar", f); }},
    {"nds-vanilla-lr-wd-cifar",
     [](const Files& f) { return convert_nds("nds-vanilla-lr-wd-cifar", f); }},
    {"nds-vanilla-lr-wd-in", [](const Files& f) { return convert_nds("nds-vanilla-lr-wd-in", f); }},
    {"nds-vanilla-reruns", [](const Files& f) { return convert_nds("nds-vanilla-reruns", f); }},
    {"suite-zero-nb101", &convert_suite_zero_nb101},
    {"suite-zero-nb201", &convert_suite_zero_nb201},
    {"suite-zero-transnas-macro", &convert_suite_zero_transnas_macro},
    {"suite-zero-transnas-micro", &convert_suite_zero_transnas_micro},
    {"transnas-macro", &convert_transnas_macro},
    {"transnas-micro", &convert_transnas_micro},
};

}  // namespace

BenchmarkTable convert_benchmark(const std::string& benchmark,
                                 const std::map<std::string, std::filesystem::path>& files) {
  for (const Entry& entry : kConverters) {
    if (benchmark == entry.benchmark) return entry.convert(files);
  }
  std::string known;
  for (const std::string& name : converter_names()) known += (known.empty() ? "" : ", ") + name;
  throw Error("no converter for benchmark '" + benchmark +
              "'; benchmarks with a converter: " + known);
}

std::vector<std::string> converter_names() {
  std::vector<std::string> names;
  for (const Entry& entry : kConverters) names.emplace_back(entry.benchmark);
  return names;
}

}  // namespace zcb::data
