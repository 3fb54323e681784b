#include "zcb/site/history.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"
#include "zcb/error.hpp"
#include "zcb/site/render.hpp"

namespace zcb::site {
namespace {

namespace fs = std::filesystem;
using testing::count;
using testing::error_message;
using testing::read_text;
using testing::TempDir;

const char* kFirst = "2026-12-05T03:00:00Z";
const char* kSecond = "2026-12-06T03:00:00Z";

/// Two archived runs: the fixture with @p edit applied to its nb201 task file at kFirst, and the
/// fixture as it is at kSecond, written in the other order.
fs::path two_entries(const TempDir& dir, const std::function<void(nlohmann::ordered_json&)>& edit) {
  const fs::path history = dir.path() / "history";
  add_to_history(load_stats(testing::fixture_dir()), history, kSecond);  // out of order on purpose
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  testing::edit_json(stats / "nb201" / "cifar10.json", edit);
  add_to_history(load_stats(stats), history, kFirst);
  return history;
}

TEST(SiteHistory, AnEntryKeepsEveryProxysVersionAndStatistics) {
  TempDir dir;
  const RunStats run = load_stats(testing::fixture_dir());
  const fs::path file = add_to_history(run, dir.path() / "history", kFirst);
  EXPECT_EQ(file.filename().string().substr(0, 21), "2026-12-05T03-00-00Z-");
  EXPECT_EQ(file.extension(), ".json");
  const std::vector<HistoryEntry> history = load_history(dir.path() / "history");
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history[0].created, kFirst);
  EXPECT_EQ(history[0].run_name, run.name);
  const auto& proxies = history[0].tasks.at("nb201/cifar10");
  ASSERT_EQ(proxies.size(), run.tasks[0].proxies.size());
  EXPECT_EQ(proxies[0].first, "synflow");
  EXPECT_EQ(proxies[0].second.version, run.tasks[0].proxies[0].version);
  EXPECT_EQ(*proxies[0].second.stats.at("spearman")->estimate, 0.7612);
  EXPECT_EQ(*proxies[0].second.stats.at("spearman")->hi, 0.7893);
  // The same time twice is refused rather than overwritten.
  EXPECT_NE(error_message([&] {
              add_to_history(run, dir.path() / "history", kFirst);
            }).find("exists already"),
            std::string::npos);
  EXPECT_TRUE(load_history(dir.path() / "absent").empty());
}

TEST(SiteHistory, ChangesSayWhetherTheVersionMoved) {
  TempDir dir;
  // The older run: synflow's Spearman lower (same version); naswot at version 0.
  const fs::path history_dir = two_entries(dir, [](auto& json) {
    json["proxies"][0]["stats"]["spearman"]["estimate"] = 0.70;
    json["proxies"][0]["stats"]["spearman"]["lo"] = 0.67;
    json["proxies"][0]["stats"]["spearman"]["hi"] = 0.73;
    json["proxies"][1]["version"] = 0;
    json["proxies"][1]["stats"]["kendall_tau_b"]["estimate"] = 0.5;
  });
  const std::vector<HistoryEntry> history = load_history(history_dir);
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[0].created, kFirst);  // sorted by time, not by the order written
  const std::vector<HistoryChange> changes = history_changes(history[0], history[1]);
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].proxy, "synflow");
  EXPECT_EQ(changes[0].statistic, "spearman");
  EXPECT_TRUE(changes[0].unannounced);
  EXPECT_TRUE(changes[0].outside_interval);  // 0.7612 is outside [0.67, 0.73]
  EXPECT_EQ(changes[1].proxy, "naswot");
  EXPECT_EQ(changes[1].statistic, "kendall_tau_b");
  EXPECT_FALSE(changes[1].unannounced);
  EXPECT_EQ(changes[1].version_before, 0);
  EXPECT_TRUE(history_changes(history[1], history[1]).empty());

  const std::string report = history_report(history);
  EXPECT_NE(report.find("2 statistics changed, 1 of them with the proxy's version unchanged."),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("UNANNOUNCED nb201/cifar10 synflow spearman: 0.7000 [0.6700, 0.7300] -> "
                        "0.7612 [0.7301, 0.7893] (v1 -> v1), outside the previous interval\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("versioned   nb201/cifar10 naswot kendall_tau_b:"), std::string::npos);
}

TEST(SiteHistory, TheCommittedFixtureShowsBothKindsOfChange) {
  const std::vector<HistoryEntry> history = load_history(testing::history_fixture_dir());
  ASSERT_EQ(history.size(), 2U);
  const std::vector<HistoryChange> changes = history_changes(history[0], history[1]);
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].proxy, "synflow");
  EXPECT_TRUE(changes[0].unannounced);
  EXPECT_EQ(changes[1].proxy, "naswot");
  EXPECT_FALSE(changes[1].unannounced);
  TempDir dir;
  render_site(testing::fixture_dir(), dir.path() / "site", testing::history_fixture_dir());
  const std::string html = read_text(dir.path() / "site" / "history.html");
  EXPECT_EQ(count(html, "class=\"num history-unannounced\""), 1U);
  EXPECT_EQ(count(html, "class=\"num history-versioned\""), 1U);
}

TEST(SiteHistory, MalformedEntriesNameTheFile) {
  TempDir dir;
  const fs::path history = dir.path() / "history";
  fs::create_directories(history);
  testing::write_text(history / "bad.json", "{\"kind\": \"task_stats\", \"schema_version\": 1}");
  EXPECT_NE(error_message([&] { load_history(history); }).find("bad.json: not a zcbench history"),
            std::string::npos);
  testing::write_text(history / "bad.json",
                      "{\"kind\": \"history_entry\", \"schema_version\": 9, \"tasks\": []}");
  EXPECT_NE(error_message([&] { load_history(history); }).find("update zcbench"),
            std::string::npos);
  testing::write_text(history / "bad.json",
                      "{\"kind\": \"history_entry\", \"schema_version\": 1, "
                      "\"created\": \"x\", \"tasks\": {}}");
  EXPECT_NE(error_message([&] { load_history(history); }).find("\"tasks\" must be an array"),
            std::string::npos);
}

TEST(SiteHistory, TheSiteShowsTheHistoryOnlyWhenThereIsOne) {
  TempDir dir;
  const fs::path history_dir = two_entries(
      dir, [](auto& json) { json["proxies"][0]["stats"]["spearman"]["estimate"] = 0.70; });
  render_site(testing::fixture_dir(), dir.path() / "site", history_dir);
  const std::string html = read_text(dir.path() / "site" / "history.html");
  EXPECT_NE(html.find("1 with the proxy's version unchanged"), std::string::npos);
  EXPECT_EQ(count(html, "class=\"num history-unannounced\""), 1U);  // synflow, newest column
  EXPECT_NE(html.find(">0.700</td>"), std::string::npos);
  EXPECT_NE(read_text(dir.path() / "site" / "index.html").find("href=\"history.html\""),
            std::string::npos);

  render_site(testing::fixture_dir(), dir.path() / "plain");
  EXPECT_FALSE(fs::exists(dir.path() / "plain" / "history.html"));
  EXPECT_EQ(read_text(dir.path() / "plain" / "index.html").find("history.html"), std::string::npos);
}

}  // namespace
}  // namespace zcb::site
