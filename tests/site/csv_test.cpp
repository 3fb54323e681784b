#include "zcb/site/csv.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "test_util.hpp"

namespace zcb::site {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    result.push_back(line);
  }
  return result;
}

TEST(SiteCsv, HeaderRowsAndQuoting) {
  const RunStats run = load_stats(testing::fixture_dir());
  const auto rows = lines(task_csv(run.tasks[1]));
  ASSERT_EQ(rows.size(), 8U);  // header + 7 proxies
  EXPECT_EQ(rows[0],
            "proxy,version,higher_is_better,n_scored,n_ok,coverage,"
            "spearman,spearman_lo,spearman_hi,kendall_tau_b,kendall_tau_b_lo,kendall_tau_b_hi,"
            "pearson,pearson_lo,pearson_hi,top10_precision,top10_precision_lo,top10_precision_hi,"
            "mean_build_ms,mean_score_ms");
  EXPECT_EQ(rows[4],
            "snip,1,true,1000,1000,1,-0.1604,-0.2201,-0.0991,-0.1077,-0.1478,-0.0671,"
            "-0.0412,-0.102,0.0213,0.04,0.01,0.09,62.96,29.31");
  // jacov: kendall null, pearson without interval.
  EXPECT_EQ(rows[6],
            "jacov,1,true,1000,947,0.947,0.381,0.3262,0.4332,,,,0.1482,,,0.19,0.12,0.28,62.88,"
            "61.4");
  // A quote in a name is doubled inside a quoted field; missing numbers are empty.
  EXPECT_EQ(rows[7], "\"fisher<script>alert(\"\"xss\"\")</script>\",1,true,1000,0,0,,,,,,,,,,,,,,");
}

TEST(SiteCsv, SeveralSeedsAddTheirSpread) {
  const RunStats run = load_stats(testing::fixture_dir());
  const auto rows = lines(task_csv(run.tasks[0]));
  const std::string suffix =
      ",seeds,spearman_seed_mean,spearman_seed_sd,kendall_tau_b_seed_mean,kendall_tau_b_seed_sd,"
      "pearson_seed_mean,pearson_seed_sd,top10_precision_seed_mean,top10_precision_seed_sd";
  ASSERT_GT(rows[0].size(), suffix.size());
  EXPECT_EQ(rows[0].substr(rows[0].size() - suffix.size()), suffix);
  const auto zico = std::find_if(rows.begin(), rows.end(),
                                 [](const std::string& row) { return row.rfind("zico,", 0) == 0; });
  ASSERT_NE(zico, rows.end());
  const std::string values = ",3,0.8022,0.00759,0.610667,0.007766,,,,";
  EXPECT_EQ(zico->substr(zico->size() - values.size()), values);
  EXPECT_EQ(rows[1].substr(rows[1].size() - 9), ",,,,,,,,,");  // synflow: no spread
}

TEST(SiteCsv, PairwiseOneRowPerPairAndStatistic) {
  const RunStats run = load_stats(testing::fixture_dir());
  const auto rows = lines(pairwise_csv(run.tasks[0]));
  ASSERT_EQ(rows.size(), 6U);  // header + 1 Kendall pair + 4 Spearman pairs
  EXPECT_EQ(rows[0], "statistic,a,b,difference,difference_lo,difference_hi,share_a_better");
  EXPECT_EQ(rows[1], "kendall_tau_b,synflow,naswot,-0.0123,-0.0301,0.0052,0.09");
  EXPECT_EQ(rows[2], "spearman,synflow,naswot,-0.0186,-0.041,0.0041,0.06");
  EXPECT_EQ(rows[5],
            "spearman,zico,\"fisher<script>alert(\"\"xss\"\")</script>\",0.4152,0.3598,0.4703,1");
  EXPECT_EQ(lines(pairwise_csv(run.tasks[1])).size(), 1U);  // no comparisons: the header
}

TEST(SiteCsv, PublishedValuesOneRowEach) {
  const RunStats run = load_stats(testing::fixture_dir());
  const auto rows = lines(published_csv(run));
  ASSERT_EQ(rows.size(), 4U);  // header + the 3 values of the fixture's synflow
  EXPECT_EQ(rows[0],
            "space,task,proxy,statistic,absolute,published,decimals,paper,where,ours_over,ours_n,"
            "ours,ours_lo,ours_hi,difference,verdict,ours_ground_truth,same_ground_truth,sample,"
            "ground_truth,notes,origin");
  EXPECT_EQ(rows[1],
            "nb201,cifar10,synflow,spearman,false,0.76,2,\"Krishnakumar et al., "
            "NAS-Bench-Suite-Zero, NeurIPS 2022 Datasets & Benchmarks\",Figure 6,all,1000,0.7612,"
            "0.7301,0.7893,0.0012,within,valid_acc_200ep_nb201v11,true,"
            "\"1,000 random architectures\",validation accuracy,"
            "\"NASLib, batch 64\",built-in");
  // Not computed: our columns are empty.
  EXPECT_EQ(rows[3].substr(rows[3].find(",Figure 6,")),
            ",Figure 6,,,,,,,not_computed,test_accuracy_200ep_mean,,,,,claims.json");
}

}  // namespace
}  // namespace zcb::site
