#include "zcb/results/task_stats.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "temp_dir.hpp"
#include "zcb/error.hpp"
#include "zcb/results/json_file.hpp"

namespace zcb {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// 20 archs in the table, 16 planned (0..15). Truth is missing for arch 6 (planned) and 19.
// synflow (higher is better): arch 3 failed, arch 5 non-finite, arch 18 scored but unplanned.
// params (lower is better): arch 7 has no row, arch 9 ran out of memory.
// Common set: 0..15 minus 6 (truth), 3 and 5 (synflow), 7 and 9 (params): 11 archs.
TaskStatsInput sample_input() {
  TaskStatsInput input;
  input.space = "nb201";
  input.task = "cifar10";
  input.ground_truth_metric = "test_accuracy_200ep_mean";
  for (int i = 0; i < 20; ++i) input.truth.push_back(50.0 + 0.5 * i);
  input.truth[6] = kNaN;
  input.truth[19] = kNaN;
  for (int i = 0; i < 16; ++i) input.planned_archs.push_back(i);
  input.statistics = {"spearman", "kendall_tau_b", "pearson", "top10_precision"};
  input.bootstrap.samples = 200;
  input.bootstrap.seed = 5;
  input.table_sha256 = "tablehash";
  input.provenance = {{"git_sha", "abc"}};

  ProxyResult synflow{"synflow", 2, true, {}, {}, "synflowhash"};
  for (int i = 0; i < 16; ++i) {
    const double truth = std::isnan(input.truth[i]) ? 0.0 : input.truth[i];
    synflow.rows.push_back({i, truth + 0.3 * ((i * 7) % 5), RowStatus::kOk, ""});
    synflow.timings.push_back({i, 10.0, static_cast<double>(i)});
  }
  synflow.rows[3] = {3, kNaN, RowStatus::kError, "boom"};
  synflow.rows[5] = {5, kNaN, RowStatus::kNonFinite, ""};
  synflow.rows.push_back({18, 1.0, RowStatus::kOk, ""});
  synflow.timings.push_back({18, 1000.0, 1000.0});  // unplanned: not in the means

  ProxyResult params{"params", 1, false, {}, {}, "paramshash"};
  for (int i = 0; i < 16; ++i) {
    if (i == 7) continue;
    const double truth = std::isnan(input.truth[i]) ? 0.0 : input.truth[i];
    params.rows.push_back({i, -truth, RowStatus::kOk, ""});
  }
  for (ScoreRow& row : params.rows) {
    if (row.arch_id == 9) row = {9, kNaN, RowStatus::kOutOfMemory, "CUDA out of memory"};
  }
  input.proxies = {synflow, params};
  return input;
}

const std::vector<std::int64_t> kCommon = {0, 1, 2, 4, 8, 10, 11, 12, 13, 14, 15};

TEST(TaskStats, CountsEveryRowAndComputesOnTheCommonSet) {
  const TaskStatsInput input = sample_input();
  const json stats = compute_task_stats(input);
  EXPECT_EQ(stats["kind"], "task_stats");
  EXPECT_EQ(stats["schema_version"], 1);
  EXPECT_EQ(stats["space"], "nb201");
  EXPECT_EQ(stats["task"], "cifar10");
  EXPECT_EQ(stats["ground_truth"], "test_accuracy_200ep_mean");
  EXPECT_EQ(stats["n_planned"], 16);
  EXPECT_EQ(stats["n_truth_nonfinite"], 1);
  EXPECT_EQ(stats["n_common"], kCommon.size());
  EXPECT_EQ(stats["oriented"], true);
  EXPECT_TRUE(stats["stats_reason"].is_null());
  EXPECT_EQ(stats["bootstrap"],
            (json{{"method", "percentile"}, {"samples", 200}, {"confidence", 0.95}, {"seed", 5}}));
  EXPECT_EQ(stats["inputs"],
            (json{{"table_sha256", "tablehash"},
                  {"score_files", {{"synflow", "synflowhash"}, {"params", "paramshash"}}}}));
  EXPECT_EQ(stats["provenance"], input.provenance);
  ASSERT_EQ(stats["proxies"].size(), 2u);

  const json& synflow = stats["proxies"][0];
  EXPECT_EQ(synflow["name"], "synflow");
  EXPECT_EQ(synflow["version"], 2);
  EXPECT_EQ(synflow["higher_is_better"], true);
  EXPECT_EQ(synflow["n_scored"], 16);
  EXPECT_EQ(synflow["n_ok"], 14);
  EXPECT_EQ(synflow["n_missing"], 0);
  EXPECT_EQ(synflow["n_unplanned"], 1);
  EXPECT_DOUBLE_EQ(synflow["coverage"].get<double>(), 14.0 / 16.0);
  EXPECT_EQ(synflow["status_counts"], (json{{"ok", 14}, {"error", 1}, {"non_finite", 1}}));
  EXPECT_EQ(synflow["errors"], (json{"boom"}));
  EXPECT_DOUBLE_EQ(synflow["mean_build_ms"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(synflow["mean_score_ms"].get<double>(), 7.5);  // mean of 0..15

  const json& params = stats["proxies"][1];
  EXPECT_EQ(params["higher_is_better"], false);
  EXPECT_EQ(params["n_scored"], 15);
  EXPECT_EQ(params["n_ok"], 14);
  EXPECT_EQ(params["n_missing"], 1);
  EXPECT_EQ(params["n_unplanned"], 0);
  EXPECT_EQ(params["status_counts"], (json{{"ok", 14}, {"out_of_memory", 1}}));
  EXPECT_EQ(params["errors"], (json{"CUDA out of memory"}));
  EXPECT_TRUE(params["mean_build_ms"].is_null());
  EXPECT_TRUE(params["mean_score_ms"].is_null());

  // The statistics are those of the common set; params, negated, ranks perfectly.
  std::vector<double> scores, truth;
  for (std::int64_t id : kCommon) {
    scores.push_back(input.proxies[0].rows[static_cast<std::size_t>(id)].score);
    truth.push_back(input.truth[static_cast<std::size_t>(id)]);
  }
  for (const char* name : {"spearman", "kendall_tau_b", "pearson", "top10_precision"}) {
    const json& s = synflow["stats"][name];
    EXPECT_DOUBLE_EQ(s["estimate"].get<double>(), find_statistic(name).compute(scores, truth))
        << name;
    EXPECT_LE(s["lo"].get<double>(), s["estimate"].get<double>()) << name;
    EXPECT_GE(s["hi"].get<double>(), s["estimate"].get<double>()) << name;
    EXPECT_EQ(s["n_nan_resamples"], 0) << name;
    EXPECT_EQ(params["stats"][name]["estimate"], 1.0) << name;
  }
  EXPECT_LT(synflow["stats"]["spearman"]["estimate"].get<double>(), 1.0);
}

// stats_all: every planned arch with a truth that the proxy scored ok or non-finite, the
// non-finite ones ranked last; failures stay out; only rank statistics.
TEST(TaskStats, StatsAllRankNonFiniteScoresLastOverEveryScoredArch) {
  TaskStatsInput input = sample_input();
  input.proxies[1].rows.clear();  // params: a perfect ranking (lower is better), arch 0 worst
  for (int i = 0; i < 16; ++i) {
    input.proxies[1].rows.push_back(
        {i, -input.truth[static_cast<std::size_t>(i)], RowStatus::kOk, ""});
  }
  input.proxies[1].rows[0] = {0, kNaN, RowStatus::kNonFinite, ""};      // the worst arch: NaN
  input.proxies[1].rows[1] = {1, kNaN, RowStatus::kUnsupported, "no"};  // not a score: out
  input.proxies[1].rows[6].score = 0.0;  // truth NaN: out whatever the score
  const json stats = compute_task_stats(input);
  const json& all = stats["proxies"][1]["stats_all"];
  EXPECT_EQ(all["n"], 16 - 1 - 1);  // minus the unsupported row and the NaN truth
  EXPECT_EQ(all["n_ranked_last"], 1);
  // The NaN sits where the worst architecture belongs, so the ranking is still perfect.
  EXPECT_DOUBLE_EQ(all["stats"]["spearman"]["estimate"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(all["stats"]["kendall_tau_b"]["estimate"].get<double>(), 1.0);
  EXPECT_TRUE(all["stats"].contains("top10_precision"));
  EXPECT_FALSE(all["stats"].contains("pearson"));  // no value stands for "last"
  // The common set left arch 0 out instead (and every other proxy's failures).
  EXPECT_EQ(stats["n_common"], 11);  // 0..15 minus 6 (truth), 3 and 5 (synflow), 0 and 1
  // synflow: its error row (arch 3) stays out, its non-finite arch 5 is ranked last.
  const json& synflow = stats["proxies"][0]["stats_all"];
  EXPECT_EQ(synflow["n"], 16 - 1 - 1);
  EXPECT_EQ(synflow["n_ranked_last"], 1);
}

TEST(TaskStats, DoesNotDependOnRowOrPlanOrder) {
  TaskStatsInput input = sample_input();
  const std::string expected = compute_task_stats(input).dump();
  std::reverse(input.planned_archs.begin(), input.planned_archs.end());
  for (ProxyResult& proxy : input.proxies) {
    std::reverse(proxy.rows.begin(), proxy.rows.end());
    std::rotate(proxy.rows.begin(), proxy.rows.begin() + 4, proxy.rows.end());
    std::reverse(proxy.timings.begin(), proxy.timings.end());
  }
  EXPECT_EQ(compute_task_stats(input).dump(), expected);
}

// sample_input() with a third proxy, "synflow_copy", scoring exactly as synflow.
TaskStatsInput input_with_a_copy_of_synflow() {
  TaskStatsInput input = sample_input();
  ProxyResult copy = input.proxies[0];
  copy.name = "synflow_copy";
  input.proxies.push_back(copy);
  return input;
}

TEST(TaskStats, ProxiesWithEqualScoresGetEqualIntervals) {
  // One bootstrap seed for all: equal inputs see equal resamples, so equal intervals.
  const TaskStatsInput input = input_with_a_copy_of_synflow();
  const json stats = compute_task_stats(input);
  EXPECT_EQ(stats["proxies"][2]["stats"], stats["proxies"][0]["stats"]);
  EXPECT_NE(stats["proxies"][1]["stats"]["spearman"], stats["proxies"][0]["stats"]["spearman"]);
}

TEST(TaskStats, ComparesEveryPairOfProxiesWithThePairedBootstrap) {
  TaskStatsInput input = input_with_a_copy_of_synflow();
  const json stats = compute_task_stats(input);
  const json& comparisons = stats["comparisons"];
  ASSERT_EQ(comparisons.size(), input.statistics.size());
  for (const std::string& name : input.statistics) {
    const json& pairs = comparisons[name];
    ASSERT_EQ(pairs.size(), 3u) << name;  // a before b, in input order
    EXPECT_EQ(pairs[0]["a"], "synflow");
    EXPECT_EQ(pairs[0]["b"], "params");
    EXPECT_EQ(pairs[1]["a"], "synflow");
    EXPECT_EQ(pairs[1]["b"], "synflow_copy");
    EXPECT_EQ(pairs[2]["a"], "params");
    EXPECT_EQ(pairs[2]["b"], "synflow_copy");
    for (const json& pair : pairs) {
      const auto estimate = [&](const json& proxy_name) {
        for (const json& proxy : stats["proxies"]) {
          if (proxy["name"] == proxy_name) return proxy["stats"][name]["estimate"].get<double>();
        }
        ADD_FAILURE() << proxy_name;
        return kNaN;
      };
      const json& difference = pair["difference"];
      EXPECT_EQ(difference["estimate"].get<double>(), estimate(pair["a"]) - estimate(pair["b"]));
      EXPECT_LE(difference["lo"].get<double>(), difference["estimate"].get<double>());
      EXPECT_GE(difference["hi"].get<double>(), difference["estimate"].get<double>());
    }
    // Equal scores: the same resamples give a difference of exactly 0 in every one.
    EXPECT_EQ(pairs[1]["difference"]["lo"], 0.0);
    EXPECT_EQ(pairs[1]["difference"]["hi"], 0.0);
    EXPECT_EQ(pairs[1]["share_a_better"], 0.5);
  }
  // The perfect ranking (params) is never beaten by synflow (it ties where a resample happens
  // to order synflow perfectly too).
  EXPECT_LE(comparisons["spearman"][0]["difference"]["hi"].get<double>(), 0.0);
  EXPECT_LT(comparisons["spearman"][0]["share_a_better"].get<double>(), 0.5);

  // The same numbers as paired_difference() on the common set's ranks.
  std::vector<double> synflow, params, truth;
  for (std::int64_t id : kCommon) {
    const auto i = static_cast<std::size_t>(id);
    synflow.push_back(input.proxies[0].rows[i].score);
    truth.push_back(input.truth[i]);
  }
  for (const ScoreRow& row : input.proxies[1].rows) {
    if (std::binary_search(kCommon.begin(), kCommon.end(), row.arch_id)) {
      params.push_back(-row.score);  // oriented: lower is better
    }
  }
  const auto distribution = [&](const std::vector<double>& scores) {
    return bootstrap_distribution(spearman, dense_ranks(scores), dense_ranks(truth),
                                  input.bootstrap);
  };
  const PairedDifference expected =
      paired_difference(distribution(synflow), distribution(params), input.bootstrap);
  EXPECT_EQ(comparisons["spearman"][0]["difference"]["lo"].get<double>(), expected.difference.lo);
  EXPECT_EQ(comparisons["spearman"][0]["difference"]["hi"].get<double>(), expected.difference.hi);

  input.planned_archs = {0, 1, 3};  // too few common archs: no comparison
  EXPECT_TRUE(compute_task_stats(input)["comparisons"].is_null());
}

TEST(TaskStats, WithoutIntervalsGivesTheSameEstimatesAndNoBounds) {
  TaskStatsInput input = sample_input();
  const json full = compute_task_stats(input);
  input.intervals = false;
  const json bare = compute_task_stats(input);
  EXPECT_TRUE(bare["comparisons"].is_null());
  ASSERT_EQ(bare["proxies"].size(), full["proxies"].size());
  for (std::size_t p = 0; p < full["proxies"].size(); ++p) {
    for (const std::string& name : input.statistics) {
      const json& ours = bare["proxies"][p]["stats"][name];
      EXPECT_EQ(ours["estimate"], full["proxies"][p]["stats"][name]["estimate"]) << name;
      EXPECT_TRUE(ours["lo"].is_null()) << name;
      EXPECT_TRUE(ours["hi"].is_null()) << name;
    }
    EXPECT_EQ(bare["proxies"][p]["stats_all"]["stats"]["spearman"]["estimate"],
              full["proxies"][p]["stats_all"]["stats"]["spearman"]["estimate"]);
    EXPECT_TRUE(bare["proxies"][p]["stats_all"]["stats"]["spearman"]["lo"].is_null());
  }
}

TEST(TaskStats, SeedSpreadSummarisesEverySeed) {
  // Three seeds: synflow's scores move with the seed; in the third, params failed almost
  // everywhere, so that seed has no common set and no statistics.
  std::vector<json> documents;
  for (int seed = 0; seed < 3; ++seed) {
    TaskStatsInput input = sample_input();
    input.intervals = seed == 0;
    for (ScoreRow& row : input.proxies[0].rows) {
      if (row.status == RowStatus::kOk) row.score += 0.4 * seed * ((row.arch_id * 3) % 4);
    }
    if (seed == 2) {
      for (ScoreRow& row : input.proxies[1].rows) {
        if (row.arch_id > 1) row = {row.arch_id, kNaN, RowStatus::kError, "boom"};
      }
    }
    documents.push_back(compute_task_stats(input));
  }
  json document = documents[0];
  add_seed_spread(document, {0, 1, 2}, {&documents[0], &documents[1], &documents[2]});
  const json& spread = document["proxies"][0]["seed_spread"];
  EXPECT_EQ(spread["seeds"], (json{0, 1, 2}));
  const json& spearman = spread["stats"]["spearman"];
  std::vector<double> values;
  for (int seed = 0; seed < 2; ++seed) {
    values.push_back(documents[seed]["proxies"][0]["stats"]["spearman"]["estimate"].get<double>());
    EXPECT_EQ(spearman["values"][seed].get<double>(), values.back());
  }
  EXPECT_TRUE(spearman["values"][2].is_null());  // no common set in seed 2
  EXPECT_NE(values[0], values[1]);
  EXPECT_DOUBLE_EQ(spearman["mean"].get<double>(), (values[0] + values[1]) / 2);
  EXPECT_DOUBLE_EQ(spearman["sd"].get<double>(), std::abs(values[0] - values[1]) / std::sqrt(2.0));
  EXPECT_EQ(spearman["min"].get<double>(), std::min(values[0], values[1]));
  EXPECT_EQ(spearman["max"].get<double>(), std::max(values[0], values[1]));
  // stats_all: rank statistics only; a seed without statistics has none either.
  const json& all = spread["stats_all"];
  ASSERT_EQ(all["spearman"]["values"].size(), 3u);
  EXPECT_EQ(all["spearman"]["values"][1],
            documents[1]["proxies"][0]["stats_all"]["stats"]["spearman"]["estimate"]);
  EXPECT_TRUE(all["spearman"]["values"][2].is_null());
  EXPECT_FALSE(all.contains("pearson"));
  // params ranks perfectly in seeds 0 and 1: sd 0.
  EXPECT_EQ(document["proxies"][1]["seed_spread"]["stats"]["spearman"]["sd"], 0.0);

  // One seed: no sd. Mismatched inputs are refused.
  json single = documents[0];
  add_seed_spread(single, {0}, {&documents[0]});
  EXPECT_TRUE(single["proxies"][0]["seed_spread"]["stats"]["spearman"]["sd"].is_null());
  EXPECT_THROW(add_seed_spread(single, {0, 1}, {&documents[0]}), Error);
  json renamed = documents[1];
  renamed["proxies"][1]["name"] = "zen";
  EXPECT_THROW(add_seed_spread(single, {0, 1}, {&documents[0], &renamed}), Error);
}

TEST(TaskStats, TheScatterPlacesEachCommonArchitecture) {
  const TaskStatsInput input = sample_input();
  const json scatter = compute_task_stats(input)["scatter"];
  ASSERT_EQ(scatter["n"], kCommon.size());
  for (std::size_t i = 0; i < kCommon.size(); ++i) {
    EXPECT_EQ(scatter["truth"][i].get<double>(), input.truth[static_cast<std::size_t>(kCommon[i])]);
  }
  // params ranks perfectly (lower is better, oriented): its places rise with the truth, from 0
  // to 1; truth here increases with the arch id.
  const json& params = scatter["places"]["params"];
  ASSERT_EQ(params.size(), kCommon.size());
  EXPECT_EQ(params.front(), 0.0);
  EXPECT_EQ(params.back(), 1.0);
  EXPECT_EQ(params[5].get<double>(), 0.5);
  for (const json& place : scatter["places"]["synflow"]) {
    EXPECT_GE(place.get<double>(), 0.0);
    EXPECT_LE(place.get<double>(), 1.0);
  }
  TaskStatsInput few = input;
  few.planned_archs = {0, 1, 3};
  EXPECT_TRUE(compute_task_stats(few)["scatter"].is_null());
}

TEST(TaskStats, TheScatterShowsAtMostAThousandArchitectures) {
  TaskStatsInput input;
  input.space = "nb201";
  input.task = "cifar10";
  input.statistics = {"spearman"};
  input.bootstrap.samples = 5;
  ProxyResult proxy{"synflow", 1, true, {}, {}, ""};
  for (int i = 0; i < 2500; ++i) {
    input.truth.push_back(i);
    input.planned_archs.push_back(i);
    proxy.rows.push_back({i, static_cast<double>(i), RowStatus::kOk, ""});
  }
  input.proxies = {proxy};
  const json scatter = compute_task_stats(input)["scatter"];
  ASSERT_EQ(scatter["n"], 1000);
  EXPECT_EQ(scatter["truth"][1], 2.0);  // every 2.5th architecture: 0, 2, 5, 7, ...
  EXPECT_EQ(scatter["truth"][2], 5.0);
  EXPECT_EQ(scatter["places"]["synflow"][999], std::round(2497.0 / 2499 * 1e4) / 1e4);
}

TEST(TaskStats, KeepsTheFirstFiveDistinctErrors) {
  TaskStatsInput input = sample_input();
  const std::vector<std::string> messages = {"m0", "m1", "m0", "m2", "m3", "", "m4", "m5"};
  for (std::size_t i = 0; i < messages.size(); ++i) {
    input.proxies[1].rows[i] = {input.proxies[1].rows[i].arch_id, kNaN, RowStatus::kError,
                                messages[i]};
  }
  const json stats = compute_task_stats(input);
  EXPECT_EQ(stats["proxies"][1]["errors"], (json{"m0", "m1", "m2", "m3", "m4"}));
  EXPECT_EQ(stats["proxies"][1]["status_counts"]["error"], 8);
}

TEST(TaskStats, TooFewCommonArchsGiveNullStatsWithAReason) {
  TaskStatsInput input = sample_input();
  input.planned_archs = {0, 1, 3};  // synflow failed on 3: two common archs
  const json stats = compute_task_stats(input);
  EXPECT_EQ(stats["n_common"], 2);
  EXPECT_THAT(stats["stats_reason"].get<std::string>(), HasSubstr("only 2 architectures"));
  for (const json& proxy : stats["proxies"]) {
    EXPECT_TRUE(proxy["stats"].is_null());
    EXPECT_EQ(proxy["n_scored"], 3);
  }
  input.planned_archs.clear();
  const json empty = compute_task_stats(input);
  EXPECT_EQ(empty["n_common"], 0);
  EXPECT_TRUE(empty["proxies"][0]["coverage"].is_null());
}

// NDS reruns: rows that are one network trained again. Ranking them is not ranking a space.
TEST(TaskStats, RetrainingsOfTwoNetworksGiveNullStatsWithAReason) {
  TaskStatsInput input = sample_input();
  input.network_of.assign(input.truth.size(), 0);
  for (std::size_t id = 1; id < input.network_of.size(); id += 2) input.network_of[id] = 1;
  const json two = compute_task_stats(input);
  EXPECT_EQ(two["n_common"], kCommon.size());
  EXPECT_EQ(two["n_distinct_networks"], 2);
  EXPECT_THAT(two["stats_reason"].get<std::string>(), HasSubstr("only 2 distinct networks"));
  for (const json& proxy : two["proxies"]) EXPECT_TRUE(proxy["stats"].is_null());
  EXPECT_TRUE(two["comparisons"].is_null());

  // Three networks (common archs 0, 1 and 2 each start one; the rest repeat network 0): the
  // statistics run, over every common row, and the count says how many networks they are.
  input.network_of.assign(input.truth.size(), 0);
  input.network_of[1] = 1;
  input.network_of[2] = 2;
  const json three = compute_task_stats(input);
  EXPECT_EQ(three["n_distinct_networks"], 3);
  EXPECT_TRUE(three["stats_reason"].is_null());
  EXPECT_EQ(three["proxies"][0]["stats"],
            compute_task_stats(sample_input())["proxies"][0]["stats"]);
  EXPECT_EQ(compute_task_stats(sample_input())["n_distinct_networks"], kCommon.size());

  input.network_of.pop_back();
  EXPECT_THROW(compute_task_stats(input), Error);
}

TEST(TaskStats, TheDocumentSurvivesAJsonFile) {
  test::TempDir dir;
  const json stats = compute_task_stats(sample_input());
  write_json_atomically(dir / "cifar10.json", stats);
  EXPECT_EQ(read_json_file(dir / "cifar10.json"), stats);
}

TEST(TaskStats, RejectsInconsistentInput) {
  const auto rejected = [](auto change, const char* reason) {
    TaskStatsInput input = sample_input();
    change(input);
    try {
      compute_task_stats(input);
      ADD_FAILURE() << "expected zcb::Error: " << reason;
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr(reason));
    }
  };
  rejected([](TaskStatsInput& in) { in.statistics.push_back("spearmann"); },
           "known: spearman, kendall_tau_b");
  rejected([](TaskStatsInput& in) { in.statistics.push_back("pearson"); }, "listed twice");
  rejected([](TaskStatsInput& in) { in.bootstrap.method = "basic"; }, "unknown method");
  rejected([](TaskStatsInput& in) { in.planned_archs.push_back(4); }, "planned twice");
  rejected([](TaskStatsInput& in) { in.planned_archs.push_back(20); }, "no ground-truth entry");
  rejected([](TaskStatsInput& in) { in.planned_archs.push_back(-1); }, "no ground-truth entry");
  rejected([](TaskStatsInput& in) { in.proxies.push_back(in.proxies[0]); }, "given twice");
  rejected(
      [](TaskStatsInput& in) {
        in.proxies[1].rows.push_back({0, -1.0, RowStatus::kOk, ""});
      },
      "two rows for arch 0");
  rejected([](TaskStatsInput& in) { in.proxies[0].rows[0].score = kNaN; }, "non-finite");
}

}  // namespace
}  // namespace zcb
