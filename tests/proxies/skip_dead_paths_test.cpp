// Skipping work that cannot change a score ('none' edges, edges into nodes that never reach
// the output) must leave every proxy's score bit for bit unchanged.
#include <gtest/gtest.h>

#include <cstring>

#include "proxy_runner.hpp"
#include "zcb/network.hpp"
#include "zcb/proxy.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

std::uint64_t bits(double value) {
  std::uint64_t out = 0;
  std::memcpy(&out, &value, sizeof(out));
  return out;
}

double score_once(const std::string& proxy_name, const std::string& arch, bool skip) {
  const auto space = make_search_space("nb201");
  const auto proxy = make_proxy(proxy_name);
  const TaskInfo task = test::cifar_task(10, 16);
  const Complexity complexity = space->complexity(arch, task);
  torch::manual_seed(7);
  auto network = test::build_for(*proxy, *space, arch, task);
  network->hooks().skip_dead_paths = skip;
  network->train();
  torch::manual_seed(11);
  const torch::Tensor inputs = torch::randn({16, 3, 16, 16});
  const torch::Tensor labels = torch::randint(0, 10, {16}, torch::kInt64);
  torch::manual_seed(13);
  return test::score_with_requirements(*proxy, *network, inputs, labels, task, &complexity);
}

TEST(SkipDeadPaths, EveryProxyScoresBitIdentically) {
  torch::set_num_threads(1);
  // Node 1 feeds only 'none' edges (dead), node 2 reads only through 'none', and the output
  // node has a 'none' input: every skipping rule fires.
  const std::vector<std::string> archs = {
      "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|",
      "|nor_conv_1x1~0|+|avg_pool_3x3~0|none~1|+|none~0|none~1|nor_conv_3x3~2|",
      "|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|"};
  for (const std::string& arch : archs) {
    for (const std::string& name : proxy_names()) {
      const double skipped = score_once(name, arch, true);
      const double full = score_once(name, arch, false);
      EXPECT_EQ(bits(skipped), bits(full))
          << name << " on " << arch << ": " << skipped << " vs " << full;
    }
  }
}

}  // namespace
}  // namespace zcb
