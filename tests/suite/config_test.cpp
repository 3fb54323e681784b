// Run-config parsing: per-run batch sizes and the errors that name the bad key.
#include "config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "plan.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/error.hpp"
#include "zcb/proxy.hpp"
#include "zcb/results/composite.hpp"
#include "zcb/results/published.hpp"
#include "zcb/search_space.hpp"

namespace zcb {
namespace {

nlohmann::json two_space_config() {
  return nlohmann::json::parse(R"({
    "batch_size": 64,
    "runs": [
      {"space": "nb201", "proxies": ["params"]},
      {"space": "nds_darts", "proxies": ["naswot"], "batch_size": 16}
    ]})");
}

TEST(RunConfig, PerRunBatchSizeOverridesTheConfigs) {
  const RunConfig config = parse_run_config(two_space_config(), "two.json");
  ASSERT_EQ(config.runs.size(), 2U);
  EXPECT_EQ(batch_size_for(config, config.runs[0]), 64);
  EXPECT_EQ(batch_size_for(config, config.runs[1]), 16);
}

TEST(RunConfig, BenchmarkDefaultsToTheSpacesTable) {
  nlohmann::json raw = two_space_config();
  raw["runs"][1]["benchmark"] = "nds-darts-cifar";
  const RunConfig config = parse_run_config(raw, "two.json");
  EXPECT_EQ(benchmark_of(config.runs[0]), "nb201");
  EXPECT_EQ(benchmark_of(config.runs[1]), "nds-darts-cifar");
}

TEST(RunConfig, NegativeRunBatchSizeIsAnErrorNamingTheRun) {
  nlohmann::json raw = two_space_config();
  raw["runs"][1]["batch_size"] = -1;
  try {
    parse_run_config(raw, "two.json");
    FAIL() << "accepted a negative batch size";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("two.json.runs[1]"), std::string::npos) << e.what();
  }
}

TEST(RunConfig, UnknownRunKeyIsAnErrorListingTheKnownOnes) {
  nlohmann::json raw = two_space_config();
  raw["runs"][0]["batchsize"] = 8;
  try {
    parse_run_config(raw, "two.json");
    FAIL() << "accepted an unknown key";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'batchsize'"), std::string::npos) << message;
    EXPECT_NE(message.find("batch_size"), std::string::npos) << message;
  }
}

TEST(RunConfig, ExplicitArchsExcludeASample) {
  nlohmann::json raw = two_space_config();
  raw["runs"][0]["archs"] = {7, 3};
  const RunConfig config = parse_run_config(raw, "two.json");
  EXPECT_EQ(config.runs[0].archs, (std::vector<std::int64_t>{7, 3}));
  raw["runs"][0]["sample"] = {{"size", 10}};
  EXPECT_THROW(parse_run_config(raw, "two.json"), Error);
  raw["runs"][0].erase("sample");
  raw["runs"][0]["archs"] = nlohmann::json::array();
  EXPECT_THROW(parse_run_config(raw, "two.json"), Error);
}

// Every committed config parses, and names registered spaces, benchmarks and proxies.
TEST(RunConfig, RunsOfOneSpaceMustHaveDisjointTasks) {
  const auto config = [](const char* tasks_a, const char* tasks_b) {
    return nlohmann::json::parse(std::string(R"({"name": "t", "runs": [)") +
                                 R"({"space": "nb201", "proxies": ["params"])" + tasks_a + "}," +
                                 R"({"space": "nb201", "proxies": ["flops"])" + tasks_b + "}]}");
  };
  // One run per task is fine.
  EXPECT_NO_THROW(parse_run_config(
      config(R"(, "tasks": ["cifar10"])", R"(, "tasks": ["cifar100"])"), "c.json"));
  for (const auto& [a, b] : std::vector<std::pair<const char*, const char*>>{
           {R"(, "tasks": ["cifar10", "cifar100"])", R"(, "tasks": ["cifar100"])"},
           {"", R"(, "tasks": ["cifar100"])"}}) {
    try {
      parse_run_config(config(a, b), "c.json");
      ADD_FAILURE() << "accepted two runs scoring the same task: " << a << " / " << b;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("runs[0] and runs[1] both score nb201"),
                std::string::npos)
          << e.what();
    }
  }
}

std::string config_error(const nlohmann::json& raw) {
  try {
    parse_run_config(raw, "reg.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

TEST(RunConfig, ProxyOptionsGiveACompositesConstantsBeforeAnyScoring) {
  nlohmann::json raw = nlohmann::json::parse(R"({
    "runs": [{"space": "nb201", "proxies": ["swap", "swap_reg"]}],
    "proxy_options": {"swap_reg": {"mu": 1500, "sigma": 700000}}})");
  const RunConfig config = parse_run_config(raw, "reg.json");
  EXPECT_EQ(config.proxy_options.at("swap_reg").at("sigma"), 700000);
  EXPECT_EQ(scored_proxies(config.runs[0]), (std::vector<std::string>{"swap", "params"}));

  // A composite whose constants are missing fails at parse time, naming the key to set.
  raw.erase("proxy_options");
  EXPECT_NE(config_error(raw).find("reg.json.runs[0]: composite 'swap_reg' needs the option 'mu' "
                                   "(proxy_options.swap_reg.mu"),
            std::string::npos)
      << config_error(raw);
  raw["proxy_options"] = {{"swap_reg", {{"mu", 1500}, {"sigma", 700000}, {"beta", 1}}}};
  EXPECT_NE(config_error(raw).find("no option 'beta'"), std::string::npos);
  raw["proxy_options"] = {{"tenas", {{"mu", 1}}}};
  EXPECT_NE(config_error(raw).find("'tenas' takes no options"), std::string::npos);
  raw["proxy_options"] = {{"swap_reg", {{"mu", "big"}}}};
  EXPECT_NE(config_error(raw).find("'proxy_options' has the wrong type"), std::string::npos);
}

TEST(RunConfig, ARunsProxyOptionsReplaceTheConfigsForItsSpace) {
  // A size prior is in the space's own parameter range: NDS ImageNet networks have millions.
  const RunConfig config = parse_run_config(nlohmann::json::parse(R"({
    "runs": [{"space": "nb201", "proxies": ["swap_reg"]},
             {"space": "nds_darts", "proxies": ["swap_reg"],
              "proxy_options": {"swap_reg": {"mu": 5000, "sigma": 4e6}}}],
    "proxy_options": {"swap_reg": {"mu": 1000, "sigma": 1e6}}})"),
                                            "reg.json");
  EXPECT_EQ(composite_options_for(config, config.runs[0], "swap_reg").at("mu"), 1000);
  EXPECT_EQ(composite_options_for(config, config.runs[1], "swap_reg").at("mu"), 5000);
  EXPECT_TRUE(composite_options_for(config, config.runs[0], "tenas").empty());
  // Without the config-wide constants the first run has none: its index is named.
  nlohmann::json raw = config.raw;
  raw.erase("proxy_options");
  EXPECT_NE(config_error(raw).find("reg.json.runs[0]: composite 'swap_reg' needs the option"),
            std::string::npos)
      << config_error(raw);
}

TEST(RunConfig, ProxyBatchSizesReplaceAProxysOwnPerRun) {
  // NAS-Bench-Suite-Zero gave every proxy one minibatch of 32 on TransNAS-Bench-101; naswot's
  // own is 128.
  const RunConfig config = parse_run_config(nlohmann::json::parse(R"({
    "runs": [{"space": "nb201", "proxies": ["naswot", "tenas"]},
             {"space": "transnas_micro", "proxies": ["naswot", "snip"],
              "proxy_batch_size": {"naswot": 32, "snip": 32}}],
    "proxy_batch_size": {"naswot": 64, "tenas_ntk": 16}})"),
                                            "batch.json");
  EXPECT_EQ(proxy_batch_sizes_for(config, config.runs[0]),
            (std::map<std::string, int>{{"naswot", 64}, {"tenas_ntk", 16}}));
  EXPECT_EQ(proxy_batch_sizes_for(config, config.runs[1]),
            (std::map<std::string, int>{{"naswot", 32}, {"snip", 32}, {"tenas_ntk", 16}}));

  nlohmann::json raw = config.raw;
  raw["runs"][1]["proxy_batch_size"]["snip"] = 0;
  EXPECT_NE(config_error(raw).find("runs[1].proxy_batch_size.snip must be positive"),
            std::string::npos)
      << config_error(raw);
  raw = config.raw;
  raw["runs"][1]["proxy_batch_size"] = {{"synflow", 8}};
  EXPECT_NE(config_error(raw).find("runs[1].proxy_batch_size: 'synflow' is not scored by this run"),
            std::string::npos)
      << config_error(raw);
  raw = config.raw;
  raw["proxy_batch_size"] = {{"zico", 8}};
  EXPECT_NE(config_error(raw).find("proxy_batch_size: 'zico' is not scored by any run"),
            std::string::npos)
      << config_error(raw);
  raw["proxy_batch_size"] = {{"tenas", 8}};
  EXPECT_NE(config_error(raw).find("'tenas' is a composite; give its components' batch sizes"),
            std::string::npos)
      << config_error(raw);
}

TEST(RunConfig, CommittedConfigsAreValid) {
  const auto manifests = data::manifest_names();
  int configs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(ZCB_SOURCE_DIR) / "suite" / "configs")) {
    if (entry.path().extension() != ".json") continue;
    ++configs;
    SCOPED_TRACE(entry.path().string());
    const RunConfig config = read_run_config(entry.path());
    for (const SpaceRun& run : config.runs) {
      EXPECT_NO_THROW(make_search_space(run.space));
      EXPECT_NE(std::find(manifests.begin(), manifests.end(), benchmark_of(run)), manifests.end());
      for (const std::string& proxy : scored_proxies(run)) EXPECT_NO_THROW(make_proxy(proxy));
    }
  }
  EXPECT_GE(configs, 6);
}

// A space whose benchmark() names no manifest could never be planned by `zcbench run`
// (nats_sss once named its table "nats_sss" instead of "nats-sss").
TEST(RunConfig, EverySpaceNamesAManifestedBenchmark) {
  const auto manifests = data::manifest_names();
  for (const std::string& name : search_space_names()) {
    const std::string benchmark = make_search_space(name)->benchmark();
    EXPECT_NE(std::find(manifests.begin(), manifests.end(), benchmark), manifests.end())
        << name << " -> " << benchmark;
  }
}

TEST(ShardOf, DealsEverySampleEvenlyAndDeterministically) {
  for (const int count : {1, 2, 3, 7, 30}) {
    for (const std::string task : {"cifar10", "class_scene"}) {
      std::vector<int> per_shard(static_cast<std::size_t>(count), 0);
      for (std::int64_t position = 0; position < 100; ++position) {
        const int shard = shard_of("nb201", task, 0, position, count);
        ASSERT_GE(shard, 0);
        ASSERT_LT(shard, count);
        ++per_shard[static_cast<std::size_t>(shard)];
      }
      const auto [low, high] = std::minmax_element(per_shard.begin(), per_shard.end());
      EXPECT_LE(*high - *low, 1) << count << " shards, " << task;
    }
  }
  // The offset comes from sha256 of "space/task/seed": these values hold on every platform.
  EXPECT_EQ(shard_of("nb201", "cifar10", 0, 0, 1), 0);
  EXPECT_EQ(shard_of("nb201", "cifar10", 0, 0, 8), 3);
  EXPECT_EQ(shard_of("transnas_micro", "segmentsemantic", 1, 5, 30), 15);
  EXPECT_NE(shard_of("nb201", "cifar10", 0, 0, 1000), shard_of("nb201", "cifar100", 0, 0, 1000));
  EXPECT_THROW(shard_of("nb201", "cifar10", 0, 0, 0), Error);
}

// A typo in results/published.json would silently match nothing: every value must name a
// registered proxy (or rank aggregate) and space. (Task names come from the benchmark tables;
// the stats stage reports how many values matched its run.)
TEST(PublishedValues, EveryBuiltInValueNamesARegisteredProxyAndSpace) {
  const std::vector<std::string> proxies = proxy_names();
  const std::vector<std::string> spaces = search_space_names();
  for (const PublishedValue& value : builtin_published_values()) {
    EXPECT_TRUE(is_composite(value.proxy) ||
                std::find(proxies.begin(), proxies.end(), value.proxy) != proxies.end())
        << value.proxy << " (" << value.paper << ")";
    EXPECT_NE(std::find(spaces.begin(), spaces.end(), value.space), spaces.end()) << value.space;
  }
}

}  // namespace
}  // namespace zcb
