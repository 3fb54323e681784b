#include "zcb/site/leaderboard.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace zcb::site {
namespace {

ProxyStats proxy_with(const std::string& name, std::optional<double> spearman) {
  ProxyStats proxy;
  proxy.name = name;
  if (spearman) {
    proxy.stats["spearman"] = Estimate{spearman, std::nullopt, std::nullopt, std::nullopt};
  } else {
    proxy.stats["spearman"] = std::nullopt;
  }
  return proxy;
}

TaskStats task_with(std::vector<ProxyStats> proxies) {
  TaskStats task;
  task.space = "space";
  task.task = "task";
  task.proxies = std::move(proxies);
  return task;
}

TEST(SiteLeaderboard, MeanRankWithTiesAndMissingEstimates) {
  RunStats run;
  // Task 0: a > b = c; d absent. Task 1: b > a; c null; d null.
  run.tasks.push_back(
      task_with({proxy_with("a", 0.9), proxy_with("b", 0.5), proxy_with("c", 0.5)}));
  run.tasks.push_back(task_with({proxy_with("b", 0.8), proxy_with("a", 0.7),
                                 proxy_with("c", std::nullopt), proxy_with("d", std::nullopt)}));
  const auto board = build_leaderboard(run);
  ASSERT_EQ(board.size(), 4U);

  // a: ranks 1 and 2 -> 1.5. b: ranks 2.5 and 1 -> 1.75. c: 2.5 and 3.5 (ties for last with d)
  // -> 3. d: absent in task 0 -> 4 (alone last), 3.5 -> 3.75.
  EXPECT_EQ(board[0].proxy, "a");
  EXPECT_DOUBLE_EQ(board[0].mean_rank, 1.5);
  EXPECT_EQ(board[1].proxy, "b");
  EXPECT_DOUBLE_EQ(board[1].mean_rank, 1.75);
  EXPECT_EQ(board[2].proxy, "c");
  EXPECT_DOUBLE_EQ(board[2].ranks[0], 2.5);
  EXPECT_DOUBLE_EQ(board[2].ranks[1], 3.5);
  EXPECT_EQ(board[2].tasks_with_estimate, 1);
  EXPECT_EQ(board[3].proxy, "d");
  EXPECT_DOUBLE_EQ(board[3].mean_rank, 3.75);
  EXPECT_EQ(board[3].stats[0], nullptr);
  EXPECT_FALSE(board[3].mean_estimate.has_value());
}

TEST(SiteLeaderboard, EqualMeanRanksFallBackToMeanEstimateThenName) {
  RunStats run;
  run.tasks.push_back(task_with({proxy_with("x", 0.9), proxy_with("y", 0.1)}));
  run.tasks.push_back(task_with({proxy_with("y", 0.3), proxy_with("x", 0.2)}));
  const auto board = build_leaderboard(run);
  ASSERT_EQ(board.size(), 2U);
  EXPECT_DOUBLE_EQ(board[0].mean_rank, board[1].mean_rank);
  EXPECT_EQ(board[0].proxy, "x");  // mean 0.55 beats 0.2
}

TEST(SiteLeaderboard, Fixture) {
  const RunStats run = load_stats(testing::fixture_dir());
  const auto board = build_leaderboard(run);
  ASSERT_EQ(board.size(), 7U);
  EXPECT_EQ(board.front().proxy, "zico");
  EXPECT_DOUBLE_EQ(board.front().mean_rank, 1.0);
  // Lowest on nb201 and unsupported (all null) on nb101.
  EXPECT_EQ(board.back().proxy, "fisher<script>alert(\"xss\")</script>");
  EXPECT_DOUBLE_EQ(board.back().mean_rank, 7.0);
}

TEST(SiteLeaderboard, NoTasksNoEntries) { EXPECT_TRUE(build_leaderboard(RunStats{}).empty()); }

}  // namespace
}  // namespace zcb::site
