#include "zcb/data/convert.hpp"

#include "zcb/data/nb201_table.hpp"
#include "zcb/data/transnas_table.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using Converter = BenchmarkTable (*)(const std::map<std::string, std::filesystem::path>&);

struct Entry {
  const char* benchmark;
  Converter convert;
};

// The one list of converters (sorted by name). A new benchmark adds one line here.
constexpr Entry kConverters[] = {
    {"nb201", &convert_nb201},
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
