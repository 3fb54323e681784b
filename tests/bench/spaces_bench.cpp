// Cost of the NB101 and NATS-SSS spaces: build() per architecture and each proxy per
// architecture (CIFAR-10 shapes, batch 64 unless the proxy asks otherwise, one thread). Not a
// test: run
//   build/tests/zcb_spaces_bench --benchmark_min_time=0.01
// and filter with --benchmark_filter (e.g. 'BM_Build', 'BM_Proxy/nats_sss/synflow').
#include <benchmark/benchmark.h>

#include "proxy_runner.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"
#include "zcb/torch_headers.hpp"

namespace zcb {
namespace {

struct SpaceArchs {
  const char* space;
  std::vector<std::string> archs;  // smallest, typical, largest
};

const SpaceArchs kSpaces[] = {
    {"nb101",
     {"0100|input,output",
      "0111010000000100000010000100000000100000010000000|input,conv1x1-bn-relu,conv3x3-bn-relu,"
      "conv3x3-bn-relu,conv3x3-bn-relu,maxpool3x3,output",
      // A chain of five 3x3 convs at full width plus input projections: 49,979,274 params.
      "0111001001000000010000000100000001000000010000000|input,conv3x3-bn-relu,conv3x3-bn-relu,"
      "conv3x3-bn-relu,conv3x3-bn-relu,conv3x3-bn-relu,output"}},
    {"nats_sss", {"8:8:8:8:8", "32:32:32:32:32", "64:64:64:64:64"}},
};

void BM_Build(benchmark::State& state, const SpaceArchs* space_archs) {
  torch::set_num_threads(1);
  const auto space = make_search_space(space_archs->space);
  const std::string& arch = space_archs->archs.at(static_cast<std::size_t>(state.range(0)));
  const TaskInfo task = test::cifar_task();
  std::int64_t params = 0;
  for (auto _ : state) {
    torch::manual_seed(1);
    auto network = space->build(arch, task);
    benchmark::DoNotOptimize(network.get());
  }
  params = space->complexity(arch, task).params;
  state.counters["params"] = static_cast<double>(params);
  state.SetLabel(arch);
}

void BM_Proxy(benchmark::State& state, const SpaceArchs* space_archs, const std::string& name) {
  torch::set_num_threads(1);
  const auto space = make_search_space(space_archs->space);
  const auto proxy = make_proxy(name);
  const ProxyRequirements needs = proxy->requirements();
  const TaskInfo task = test::cifar_task();
  const std::string& arch = space_archs->archs.at(static_cast<std::size_t>(state.range(0)));
  const Complexity complexity = space->complexity(arch, task);
  torch::manual_seed(0);
  const int batch = needs.batch_size > 0 ? needs.batch_size : 64;
  const torch::Tensor inputs = torch::randn({batch, 3, 32, 32});
  const torch::Tensor labels = torch::randint(0, 10, {batch}, torch::kInt64);
  for (auto _ : state) {
    torch::manual_seed(1);
    auto network = space->build(arch, task);
    benchmark::DoNotOptimize(
        test::score_with_requirements(*proxy, *network, inputs, labels, task, &complexity));
  }
  state.SetLabel(arch);
}

}  // namespace
}  // namespace zcb

int main(int argc, char** argv) {
  for (const auto& space_archs : zcb::kSpaces) {
    const std::string space = space_archs.space;
    benchmark::RegisterBenchmark(("BM_Build/" + space).c_str(), zcb::BM_Build, &space_archs)
        ->DenseRange(0, 2)
        ->Unit(benchmark::kMillisecond);
    for (const std::string& name : zcb::proxy_names()) {
      benchmark::RegisterBenchmark(("BM_Proxy/" + space + "/" + name).c_str(), zcb::BM_Proxy,
                                   &space_archs, name)
          ->DenseRange(0, 2)
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
