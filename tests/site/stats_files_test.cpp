#include "zcb/site/stats_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.hpp"

namespace zcb::site {
namespace {

namespace fs = std::filesystem;
using testing::copy_fixture;
using testing::edit_json;
using testing::error_message;
using testing::fixture_dir;
using testing::TempDir;

const std::string kXssName = "fisher<script>alert(\"xss\")</script>";

const ProxyStats& find_proxy(const TaskStats& task, const std::string& name) {
  for (const auto& proxy : task.proxies) {
    if (proxy.name == name) {
      return proxy;
    }
  }
  throw std::runtime_error("no proxy " + name);
}

TEST(SiteStatsFiles, LoadsTheFixture) {
  const RunStats run = load_stats(fixture_dir());
  EXPECT_EQ(run.name, "fixture-nightly-2025-01-14");
  EXPECT_EQ(run.provenance.at("workers"), 2);
  ASSERT_EQ(run.tasks.size(), 2U);
  const TaskStats& nb201 = run.tasks[0];
  EXPECT_EQ(nb201.space, "nb201");
  EXPECT_EQ(nb201.task, "cifar10");
  EXPECT_EQ(nb201.ground_truth, "test_accuracy_200ep_mean");
  EXPECT_EQ(nb201.n_planned, 1000);
  EXPECT_EQ(nb201.n_common, 991);
  EXPECT_EQ(nb201.bootstrap.method, "percentile");
  EXPECT_EQ(nb201.bootstrap.samples, 1000);
  EXPECT_EQ(nb201.bootstrap.seed, "17446744073709551557");  // exceeds int64, kept exact
  EXPECT_EQ(nb201.score_files.size(), 7U);
  EXPECT_EQ(nb201.oriented, true);
  EXPECT_EQ(nb201.statistics.size(), 4U);
  EXPECT_TRUE(nb201.stats_reason.empty());
  EXPECT_EQ(run.tasks[1].n_truth_nonfinite, 2);
  ASSERT_EQ(nb201.proxies.size(), 7U);

  const ProxyStats& jacov = find_proxy(nb201, "jacov");
  EXPECT_EQ(jacov.status_counts.at("error"), 6);
  EXPECT_EQ(jacov.errors.size(), 3U);
  EXPECT_DOUBLE_EQ(*jacov.coverage, 0.991);
  EXPECT_DOUBLE_EQ(*jacov.stats.at("spearman")->estimate, 0.7404);
  EXPECT_EQ(jacov.stats.at("spearman")->n_nan_resamples, 2);
}

TEST(SiteStatsFiles, NullStatisticsAndMissingNumbersAreEmpty) {
  const RunStats run = load_stats(fixture_dir());
  const TaskStats& nb101 = run.tasks[1];
  const ProxyStats& jacov = find_proxy(nb101, "jacov");
  EXPECT_FALSE(jacov.stats.at("kendall_tau_b").has_value());  // null
  ASSERT_TRUE(jacov.stats.at("pearson").has_value());         // estimate without interval
  EXPECT_TRUE(jacov.stats.at("pearson")->estimate.has_value());
  EXPECT_FALSE(jacov.stats.at("pearson")->lo.has_value());

  const ProxyStats& unsupported = find_proxy(nb101, kXssName);
  EXPECT_FALSE(unsupported.stats.at("spearman").has_value());
  EXPECT_FALSE(unsupported.mean_build_ms.has_value());  // null
  EXPECT_FALSE(unsupported.mean_score_ms.has_value());  // missing
  EXPECT_EQ(unsupported.status_counts.at("unsupported"), 1000);
}

TEST(SiteStatsFiles, WrongKindNamesTheFile) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "nb101" / "cifar10.json", [](auto& json) { json["kind"] = "run"; });
  const std::string message = error_message([&] { load_stats(stats); });
  EXPECT_NE(message.find("nb101/cifar10.json"), std::string::npos) << message;
  EXPECT_NE(message.find("task_stats"), std::string::npos) << message;
}

TEST(SiteStatsFiles, RunFileOfTheWrongKind) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "run.json", [](auto& json) { json["kind"] = "task_stats"; });
  const std::string message = error_message([&] { load_stats(stats); });
  EXPECT_NE(message.find("run.json"), std::string::npos) << message;
}

TEST(SiteStatsFiles, NewerSchemaVersionAsksForAnUpdate) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "nb201" / "cifar10.json",
            [](auto& json) { json["schema_version"] = kStatsSchemaVersion + 1; });
  const std::string message = error_message([&] { load_stats(stats); });
  EXPECT_NE(message.find("nb201/cifar10.json"), std::string::npos) << message;
  EXPECT_NE(message.find("newer"), std::string::npos) << message;
}

TEST(SiteStatsFiles, MissingOrInvalidSchemaVersion) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "run.json", [](auto& json) { json.erase("schema_version"); });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("schema_version"), std::string::npos);
  edit_json(stats / "run.json", [](auto& json) { json["schema_version"] = "1"; });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("schema_version"), std::string::npos);
}

TEST(SiteStatsFiles, MissingFilesNameThemselves) {
  TempDir dir;
  EXPECT_NE(error_message([&] { load_stats(dir.path()); }).find("run.json"), std::string::npos);
  const fs::path stats = copy_fixture(dir.path() / "stats");
  fs::remove(stats / "nb101" / "cifar10.json");
  const std::string message = error_message([&] { load_stats(stats); });
  EXPECT_NE(message.find("nb101/cifar10.json"), std::string::npos) << message;
}

TEST(SiteStatsFiles, InvalidJsonNamesTheFile) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  testing::write_text(stats / "nb201" / "cifar10.json", "{\"kind\": \"task_stats\",");
  const std::string message = error_message([&] { load_stats(stats); });
  EXPECT_NE(message.find("nb201/cifar10.json"), std::string::npos) << message;
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
}

TEST(SiteStatsFiles, FieldOfTheWrongTypeNamesTheField) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "nb201" / "cifar10.json",
            [](auto& json) { json["proxies"][2]["coverage"] = "high"; });
  const std::string message = error_message([&] { load_stats(stats); });
  EXPECT_NE(message.find("proxies[2].coverage"), std::string::npos) << message;
}

TEST(SiteStatsFiles, TaskFileMustStayInsideTheStatsDirectory) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "run.json",
            [](auto& json) { json["tasks"][0]["file"] = "../stats/nb201/cifar10.json"; });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("inside the stats directory"),
            std::string::npos);
  edit_json(stats / "run.json", [&](auto& json) {
    json["tasks"][0]["file"] = (stats / "nb201" / "cifar10.json").string();
  });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("inside the stats directory"),
            std::string::npos);
}

TEST(SiteStatsFiles, TaskFileMustMatchItsEntry) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "run.json", [](auto& json) { json["tasks"][1]["task"] = "cifar100"; });
  const std::string message = error_message([&] { load_stats(stats); });
  EXPECT_NE(message.find("nb101/cifar100"), std::string::npos) << message;
}

TEST(SiteStatsFiles, DuplicateProxyOrTaskIsAnError) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "run.json", [](auto& json) { json["tasks"].push_back(json["tasks"][0]); });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("twice"), std::string::npos);

  copy_fixture(stats);  // restore run.json
  edit_json(stats / "nb201" / "cifar10.json",
            [](auto& json) { json["proxies"].push_back(json["proxies"][0]); });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("\"synflow\" is listed twice"),
            std::string::npos);
}

TEST(SiteStatsFiles, UnknownFieldsAreIgnored) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "nb201" / "cifar10.json", [](auto& json) {
    json["something_new"] = {1, 2, 3};
    json["proxies"][0]["future"] = {{"a", "b"}};
  });
  EXPECT_EQ(load_stats(stats).tasks[0].proxies.size(), 7U);
}

TEST(SiteStatsFiles, StatsAllSpearmanIsReadAsSpearmanAll) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "nb201" / "cifar10.json", [](auto& json) {
    json["proxies"][0]["stats_all"] = {
        {"n", 1000},
        {"n_ranked_last", 9},
        {"stats",
         {{"spearman", {{"estimate", 0.81}, {"lo", 0.78}, {"hi", 0.83}, {"n_nan_resamples", 0}}},
          {"kendall_tau_b", nullptr}}}};
    json["proxies"][1]["stats_all"] = {{"n", 2}, {"n_ranked_last", 0}, {"stats", nullptr}};
  });
  const TaskStats task = load_stats(stats).tasks[0];
  ASSERT_TRUE(task.proxies[0].stats.at("spearman_all").has_value());
  EXPECT_DOUBLE_EQ(*task.proxies[0].stats.at("spearman_all")->estimate, 0.81);
  EXPECT_DOUBLE_EQ(*task.proxies[0].stats.at("spearman_all")->lo, 0.78);
  EXPECT_EQ(task.proxies[1].stats.count("spearman_all"), 0U);  // too few: no column value
}

TEST(SiteStatsFiles, PublishedValuesAreRead) {
  const RunStats run = load_stats(testing::fixture_dir());
  const auto nb201 = std::find_if(run.tasks.begin(), run.tasks.end(),
                                  [](const TaskStats& task) { return task.space == "nb201"; });
  ASSERT_NE(nb201, run.tasks.end());
  const TaskStats& task = *nb201;
  ASSERT_EQ(task.proxies[0].name, "synflow");
  ASSERT_EQ(task.proxies[0].published.size(), 3U);
  const PublishedComparison& absolute = task.proxies[0].published[1];
  EXPECT_TRUE(absolute.absolute);
  EXPECT_EQ(absolute.decimals, 3);
  EXPECT_DOUBLE_EQ(*absolute.value, 0.737);
  EXPECT_EQ(absolute.over, "all");
  EXPECT_EQ(absolute.n, 1000);
  EXPECT_DOUBLE_EQ(*absolute.ours.lo, 0.7401);
  EXPECT_EQ(absolute.verdict, "below");
  const PublishedComparison& missing = task.proxies[0].published[2];
  EXPECT_EQ(missing.verdict, "not_computed");
  EXPECT_FALSE(missing.ours.estimate.has_value());
  EXPECT_TRUE(missing.over.empty());
  EXPECT_TRUE(task.proxies[1].published.empty());
}

TEST(SiteStatsFiles, PairedComparisonsAreRead) {
  const RunStats run = load_stats(testing::fixture_dir());
  const TaskStats& task = run.tasks[0];
  ASSERT_EQ(task.space, "nb201");
  ASSERT_EQ(task.comparisons.size(), 2U);
  const auto& spearman = task.comparisons.at("spearman");
  ASSERT_EQ(spearman.size(), 4U);
  EXPECT_EQ(spearman[1].a, "synflow");
  EXPECT_EQ(spearman[1].b, "zico");
  EXPECT_DOUBLE_EQ(*spearman[1].difference.estimate, -0.0401);
  EXPECT_DOUBLE_EQ(*spearman[1].difference.lo, -0.0621);
  EXPECT_DOUBLE_EQ(*spearman[1].difference.hi, -0.0182);
  EXPECT_DOUBLE_EQ(*spearman[1].share_a_better, 0.0);
  EXPECT_EQ(task.comparisons.at("kendall_tau_b").size(), 1U);
  EXPECT_TRUE(run.tasks[1].comparisons.empty());  // none in the file
}

TEST(SiteStatsFiles, SeedSpreadIsRead) {
  const TaskStats task = load_stats(testing::fixture_dir()).tasks[0];
  const auto zico = std::find_if(task.proxies.begin(), task.proxies.end(),
                                 [](const ProxyStats& proxy) { return proxy.name == "zico"; });
  ASSERT_NE(zico, task.proxies.end());
  ASSERT_EQ(zico->seed_spread.size(), 3U);  // spearman, kendall_tau_b, spearman_all
  const SeedSpread& spearman = zico->seed_spread.at("spearman");
  EXPECT_EQ(spearman.seeds, (std::vector<std::int64_t>{0, 1, 2}));
  ASSERT_EQ(spearman.values.size(), 3U);
  EXPECT_DOUBLE_EQ(*spearman.values[1], 0.7951);
  EXPECT_DOUBLE_EQ(*spearman.sd, 0.00759);
  EXPECT_DOUBLE_EQ(*zico->seed_spread.at("spearman_all").max, 0.8133);
  const auto naswot = std::find_if(task.proxies.begin(), task.proxies.end(),
                                   [](const ProxyStats& proxy) { return proxy.name == "naswot"; });
  EXPECT_FALSE(naswot->seed_spread.at("spearman").values[1].has_value());
  EXPECT_TRUE(task.proxies[0].seed_spread.empty());  // synflow: none in the file
}

TEST(SiteStatsFiles, MalformedSeedSpreadNamesTheField) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  const fs::path file = stats / "nb201" / "cifar10.json";
  edit_json(file, [](auto& json) {
    json["proxies"][2]["seed_spread"]["stats"]["spearman"]["values"] = {0.8, 0.7};
  });
  EXPECT_NE(error_message([&] { load_stats(stats); })
                .find("\"proxies[2].seed_spread.stats.spearman.values\" must be an array of one "
                      "number or null per seed"),
            std::string::npos);
  edit_json(file, [](auto& json) { json["proxies"][2]["seed_spread"]["seeds"] = {"0", "1", "2"}; });
  EXPECT_NE(error_message([&] {
              load_stats(stats);
            }).find("\"proxies[2].seed_spread.seeds\" must be an array of integers"),
            std::string::npos);
}

TEST(SiteStatsFiles, TheScatterIsRead) {
  const RunStats run = load_stats(testing::fixture_dir());
  const Scatter& scatter = run.tasks[0].scatter;
  EXPECT_EQ(scatter.truth, (std::vector<double>{85.0, 90.5, 91.2, 93.1, 94.37}));
  ASSERT_EQ(scatter.places.size(), 2U);
  EXPECT_EQ(scatter.places.at("synflow"), (std::vector<double>{0.0, 0.6, 0.4, 0.8, 1.0}));
  EXPECT_TRUE(run.tasks[1].scatter.truth.empty());  // none in the file

  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  const fs::path file = stats / "nb201" / "cifar10.json";
  edit_json(file, [](auto& json) { json["scatter"]["places"]["zico"] = {0.5}; });
  EXPECT_NE(error_message([&] {
              load_stats(stats);
            }).find("\"scatter.places.zico\" must have one value per \"scatter.truth\" value"),
            std::string::npos);
  edit_json(file, [](auto& json) {
    json["scatter"]["places"]["zico"] = {0, 0, 0, 0, 0};
    json["scatter"]["places"]["zen"] = {0, 0, 0, 0, 0};
  });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("names proxy \"zen\""),
            std::string::npos);
}

TEST(SiteStatsFiles, MalformedComparisonsNameTheField) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  const fs::path file = stats / "nb201" / "cifar10.json";
  edit_json(file, [](auto& json) { json["comparisons"]["spearman"][1]["b"] = "zen"; });
  EXPECT_NE(error_message([&] { load_stats(stats); })
                .find("\"comparisons.spearman[1].b\" names proxy \"zen\", which the file does "
                      "not list"),
            std::string::npos);
  edit_json(file, [](auto& json) { json["comparisons"]["spearman"][1]["b"] = "synflow"; });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("with itself"), std::string::npos);
  edit_json(file, [](auto& json) {
    json["comparisons"]["spearman"][1]["b"] = "zico";
    json["comparisons"]["spearman"][1]["difference"]["lo"] = "low";
  });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("comparisons.spearman[1].difference.lo"),
            std::string::npos);
  edit_json(file, [](auto& json) { json["comparisons"]["spearman"] = 3; });
  EXPECT_NE(
      error_message([&] { load_stats(stats); }).find("\"comparisons.spearman\" must be an array"),
      std::string::npos);
  edit_json(file, [](auto& json) { json["comparisons"] = nullptr; });  // too few architectures
  EXPECT_TRUE(load_stats(stats).tasks[0].comparisons.empty());
}

TEST(SiteStatsFiles, MalformedPublishedValuesNameTheField) {
  TempDir dir;
  const fs::path stats = copy_fixture(dir.path() / "stats");
  edit_json(stats / "nb201" / "cifar10.json",
            [](auto& json) { json["proxies"][0]["published"][1]["value"] = "0.737"; });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("proxies[0].published[1].value"),
            std::string::npos);
  edit_json(stats / "nb201" / "cifar10.json", [](auto& json) {
    json["proxies"][0]["published"] = {{"paper", "x"}};
  });
  EXPECT_NE(error_message([&] { load_stats(stats); }).find("\"proxies[0].published\" must be"),
            std::string::npos);
}

}  // namespace
}  // namespace zcb::site
