// Throughput and memory of the NB101 official-file conversion, on a synthetic file in the
// official layout (random in-space modules with correct hashes, 3 repeats at 108 epochs, rows
// of the official size). Used to estimate the cost of the real 423,624-module files, which are
// not available here: see data/README.md ("NB101 table") for the numbers and the arithmetic.
//   build-*/tests/zcb_data_bench --benchmark_min_time=0.01
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "zcb/data/nb101.hpp"
#include "zcb/data/nb101_table.hpp"
#include "zcb/data/tfrecord.hpp"

namespace {
namespace fs = std::filesystem;
using namespace zcb::data;  // NOLINT(build/namespaces): benchmark of this library only

struct SyntheticFile {
  fs::path path;
  std::uint64_t bytes = 0;
  std::uint64_t records = 0;
};

// Writes `modules` distinct random in-space modules x 3 repeats to a temp file.
SyntheticFile make_file(int modules) {
  SyntheticFile file;
  file.path = fs::temp_directory_path() /
              ("zcb-nb101-bench-" + std::to_string(::getpid()) + "-" + std::to_string(modules));
  std::mt19937_64 random(42);
  std::set<std::string> seen;
  std::string buffer;
  std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
  while (static_cast<int>(seen.size()) < modules) {
    std::vector<int> matrix(49, 0);
    for (int i = 0; i < 7; ++i) {
      for (int j = i + 1; j < 7; ++j) matrix[static_cast<std::size_t>(i * 7 + j)] = random() % 2;
    }
    std::vector<std::string> ops = {"input"};
    for (int v = 1; v < 6; ++v) ops.emplace_back(kNb101InnerOps[random() % 3]);
    ops.emplace_back("output");
    const auto pruned = prune_nb101(make_nb101_spec(matrix, ops, "random"));
    if (!pruned || !is_nb101_in_domain(*pruned)) continue;
    const std::string hash = nb101_hash(*pruned);
    if (!seen.insert(hash).second) continue;
    const std::string arch = nb101_arch_string(*pruned);
    for (int repeat = 0; repeat < 3; ++repeat) {
      Nb101Row row;
      row.module_hash = hash;
      row.epochs = 108;
      row.raw_adjacency = arch.substr(0, arch.find('|'));
      row.raw_operations = arch.substr(arch.find('|') + 1);
      row.metrics.evaluation_data.resize(3);
      for (int e = 0; e < 3; ++e) {
        Nb101Evaluation& evaluation = row.metrics.evaluation_data[static_cast<std::size_t>(e)];
        evaluation.current_epoch = 54.0 * e;
        evaluation.training_time = 577.0 * e + 0.123456789;
        evaluation.train_accuracy = 0.5 + 0.1 * e;
        evaluation.validation_accuracy = 0.4 + 0.1 * e + 1e-9 * repeat;
        evaluation.test_accuracy = 0.45 + 0.1 * e;
      }
      row.metrics.trainable_parameters = 2694282;
      row.metrics.total_time = 1769.123456;
      buffer.clear();
      append_tfrecord(buffer, nb101_row_json(row));
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      file.bytes += buffer.size();
      ++file.records;
    }
  }
  return file;
}

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void BM_Nb101ConvertOfficialLayout(benchmark::State& state) {
  const SyntheticFile file = make_file(static_cast<int>(state.range(0)));
  const long rss_before = max_rss_kib();
  std::size_t rows = 0;
  for (auto _ : state) {
    Nb101TfRecordSummary summary;
    const BenchmarkTable table = nb101_table_from_tfrecord(file.path, &summary);
    rows = table.size();
    benchmark::DoNotOptimize(rows);
  }
  fs::remove(file.path);
  state.counters["modules"] = static_cast<double>(rows);
  state.counters["bytes_per_record"] =
      static_cast<double>(file.bytes) / static_cast<double>(file.records);
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(file.records), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB_per_s"] = benchmark::Counter(static_cast<double>(file.bytes) / 1e6,
                                                  benchmark::Counter::kIsIterationInvariantRate);
  // Peak RSS growth while converting, per module (the table and the hash index).
  state.counters["peak_rss_growth_bytes_per_module"] =
      1024.0 * static_cast<double>(max_rss_kib() - rss_before) / static_cast<double>(rows);
}
BENCHMARK(BM_Nb101ConvertOfficialLayout)->Arg(20000)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_Nb101Hash(benchmark::State& state) {
  const Nb101Spec spec = parse_nb101_arch_string(
      "0111010000000100000010000100000000100000010000000|input,conv1x1-bn-relu,"
      "conv3x3-bn-relu,conv3x3-bn-relu,conv3x3-bn-relu,maxpool3x3,output",
      "bench");
  for (auto _ : state) benchmark::DoNotOptimize(nb101_hash(spec));
}
BENCHMARK(BM_Nb101Hash);

void BM_Crc32c(benchmark::State& state) {
  const std::string bytes(1 << 20, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(crc32c(bytes));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * (1 << 20));
}
BENCHMARK(BM_Crc32c);

}  // namespace

BENCHMARK_MAIN();
