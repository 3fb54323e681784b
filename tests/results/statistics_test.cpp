#include "zcb/results/statistics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>

#include "zcb/error.hpp"

namespace zcb {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// std::mt19937_64's output is fixed by the standard; the conversion to doubles is ours, so the
// test data are the same with every standard library.
class TestData {
 public:
  explicit TestData(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // One of @p levels values 0..levels-1: many ties.
  double level(int levels) { return static_cast<double>(engine_() % levels); }
  // Approximately normal (Irwin-Hall sum of 12 uniforms, minus 6).
  double normal() {
    double sum = 0.0;
    for (int i = 0; i < 12; ++i) sum += uniform();
    return sum - 6.0;
  }

 private:
  std::mt19937_64 engine_;
};

// Reference values below come from scipy 1.10.1 (Debian python3-scipy), computed with
//   /usr/bin/python3 -c "from scipy import stats; print(stats.kendalltau(x, y, variant='b'),
//                        stats.spearmanr(x, y), stats.pearsonr(x, y))"
// unless a comment derives them by hand.
struct Golden {
  std::vector<double> x, y;
  double kendall, spearman, pearson;
};

const std::vector<Golden>& goldens() {
  static const std::vector<Golden> cases = {
      // By hand: discordant pairs (1,2) and (3,4), 8 concordant: tau = 6/10; rho = 1 - 6*4/120.
      {{1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}, 0.6, 0.8, 0.8},
      // By hand: one pair tied in x, two concordant: tau_b = 2 / sqrt(2 * 3).
      {{1, 1, 2}, {1, 2, 3}, 0.816496580927726, 0.8660254037844387, 0.8660254037844386},
      {{1, 2, 2, 3, 3, 3, 4},
       {1, 3, 2, 2, 4, 3, 5},
       0.7233393492970543,
       0.7812713323158736,
       0.8342976876265135},
      {{0.5, -1.0, 2.0, 2.0, 7.5, 0.5, 3.0, -1.0},
       {10, 10, 3, 4, 4, 1, 8, 10},
       -0.32659863237109044,
       -0.49378857873975496,
       -0.43872390502092734},
      {{1, 2, 3, 4, 5},
       {2, 4, 5, 4, 5},
       0.6708203932499368,
       0.7378647873726218,
       0.7745966692414835},
  };
  return cases;
}

TEST(AverageRanks, TiesGetTheMeanRank) {
  // scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
  EXPECT_EQ(average_ranks({3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}),
            (std::vector<double>{4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8}));
  EXPECT_EQ(average_ranks({7}), std::vector<double>{1});
  EXPECT_EQ(average_ranks({2, 2, 2}), (std::vector<double>{2, 2, 2}));
}

TEST(AverageRanks, SortAndCountingPathsAgree) {
  // Small non-negative integers are ranked by counting sort, anything else by sorting.
  EXPECT_EQ(average_ranks({0.3, -2.5, 0.3, 1e9}), (std::vector<double>{2.5, 1, 2.5, 4}));
  TestData data(12);
  std::vector<double> levels(300), shifted(300);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    levels[i] = data.level(40);
    shifted[i] = levels[i] * 0.37 - 5.0;  // same order, not integers
  }
  EXPECT_EQ(average_ranks(levels), average_ranks(shifted));
}

TEST(AverageRanks, RejectsEmptyAndNonFiniteInput) {
  EXPECT_THROW(average_ranks({}), Error);
  EXPECT_THROW(average_ranks({1, kNaN}), Error);
  EXPECT_THROW(average_ranks({kInf, 1}), Error);
}

TEST(DenseRanks, NumberTheDistinctValues) {
  EXPECT_EQ(dense_ranks({2.5, -1, 2.5, 7, -1}), (std::vector<double>{1, 0, 1, 2, 0}));
  EXPECT_EQ(dense_ranks({3}), std::vector<double>{0});
  EXPECT_THROW(dense_ranks({}), Error);
  EXPECT_THROW(dense_ranks({1, kNaN}), Error);
}

TEST(DenseRanks, RankBasedStatisticsGiveIdenticalResults) {
  TestData data(13);
  std::vector<double> x(500), y(500);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = data.normal();
    y[i] = std::round(4 * (x[i] + data.normal())) / 4;  // many ties
  }
  x[7] = x[8];
  const auto rx = dense_ranks(x);
  const auto ry = dense_ranks(y);
  for (const auto& named : statistic_registry()) {
    if (named.rank_based) {
      EXPECT_EQ(named.compute(rx, ry), named.compute(x, y)) << named.name;
    } else if (named.name == "pearson") {
      EXPECT_NE(named.compute(rx, ry), named.compute(x, y)) << named.name;
    }
  }
  EXPECT_EQ(kendall_tau_b_naive(rx, ry), kendall_tau_b_naive(x, y));
}

TEST(Correlations, MatchScipy) {
  for (const Golden& g : goldens()) {
    EXPECT_NEAR(kendall_tau_b(g.x, g.y), g.kendall, 1e-12);
    EXPECT_NEAR(kendall_tau_b_naive(g.x, g.y), g.kendall, 1e-12);
    EXPECT_NEAR(spearman(g.x, g.y), g.spearman, 1e-12);
    EXPECT_NEAR(pearson(g.x, g.y), g.pearson, 1e-12);
  }
}

TEST(Correlations, PerfectOrderGivesExactlyPlusOrMinusOne) {
  std::vector<double> x, y;
  for (int i = 0; i < 1000; ++i) {
    x.push_back(0.1 * i);
    y.push_back(std::exp(0.01 * i));
  }
  EXPECT_EQ(spearman(x, y), 1.0);
  EXPECT_EQ(kendall_tau_b(x, y), 1.0);
  std::vector<double> minus_y(y.size());
  std::transform(y.begin(), y.end(), minus_y.begin(), [](double v) { return -v; });
  EXPECT_EQ(spearman(x, minus_y), -1.0);
  EXPECT_EQ(kendall_tau_b(x, minus_y), -1.0);
  // Linear with a step that does not divide evenly: rounding must not leave [-1, 1].
  std::vector<double> line(x.size());
  std::transform(x.begin(), x.end(), line.begin(), [](double v) { return 3.3 * v + 0.7; });
  EXPECT_LE(pearson(x, line), 1.0);
  EXPECT_NEAR(pearson(x, line), 1.0, 1e-14);
}

TEST(Correlations, ConstantVectorIsNaN) {
  // 0.1 three times: its mean rounds to a different double, the exact test must still catch it.
  const std::vector<double> constant = {0.1, 0.1, 0.1};
  const std::vector<double> other = {1, 2, 3};
  for (auto* statistic : {&pearson, &spearman, &kendall_tau_b, &kendall_tau_b_naive}) {
    EXPECT_TRUE(std::isnan(statistic(constant, other)));
    EXPECT_TRUE(std::isnan(statistic(other, constant)));
  }
}

TEST(Correlations, RejectInvalidInput) {
  for (auto* statistic : {&pearson, &spearman, &kendall_tau_b, &kendall_tau_b_naive}) {
    EXPECT_THROW(statistic({1, 2, 3}, {1, 2}), Error);
    EXPECT_THROW(statistic({1}, {1}), Error);
    EXPECT_THROW(statistic({1, kNaN, 3}, {1, 2, 3}), Error);
    EXPECT_THROW(statistic({1, 2, 3}, {1, -kInf, 3}), Error);
  }
  try {
    spearman({1, 2}, {1, 2, 3});
    FAIL() << "expected zcb::Error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("spearman"));
    EXPECT_THAT(e.what(), HasSubstr("2 values"));
  }
}

TEST(KendallTauB, FastAgreesWithNaiveOnManyTies) {
  TestData data(1);
  for (int n : {2, 3, 5, 17, 64, 200, 513}) {
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<double> x(n), y(n);
      for (int i = 0; i < n; ++i) {
        x[i] = data.level(5);
        // Half the trials correlate y with x so tau is far from 0 as well.
        y[i] = trial % 2 == 0 ? data.level(5) : x[i] + data.level(3);
      }
      const double fast = kendall_tau_b(x, y);
      const double naive = kendall_tau_b_naive(x, y);
      if (std::isnan(naive)) {
        EXPECT_TRUE(std::isnan(fast)) << "n=" << n;
      } else {
        EXPECT_NEAR(fast, naive, 1e-12) << "n=" << n << " trial=" << trial;
      }
    }
  }
}

TEST(KendallTauB, FastAgreesWithNaiveOnContinuousData) {
  TestData data(2);
  std::vector<double> x(1000), y(1000);
  for (int i = 0; i < 1000; ++i) {
    x[i] = data.normal();
    y[i] = 0.5 * x[i] + data.normal();
  }
  EXPECT_NEAR(kendall_tau_b(x, y), kendall_tau_b_naive(x, y), 1e-12);
  EXPECT_GT(kendall_tau_b(x, y), 0.1);
}

TEST(TopKPrecision, CountsTheOverlapWithoutTies) {
  // n = 10, fraction 0.3 -> k = 3. Top 3 by score: items 0, 1, 2; by truth: 0, 1, 3.
  const std::vector<double> scores = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  const std::vector<double> truth = {10, 9, 1, 8, 2, 3, 4, 5, 6, 7};
  EXPECT_DOUBLE_EQ(top_k_precision(scores, truth, 0.3), 2.0 / 3.0);
  EXPECT_EQ(top_k_precision(scores, scores, 0.3), 1.0);
  // The full set always overlaps completely.
  EXPECT_EQ(top_k_precision(scores, truth, 1.0), 1.0);
}

TEST(TopKPrecision, KIsRoundedAndAtLeastOne) {
  // n = 4, fraction 0.1: round(0.4) = 0, so k = 1 and only the best item counts.
  EXPECT_EQ(top_k_precision({4, 3, 2, 1}, {4, 1, 2, 3}, 0.1), 1.0);
  EXPECT_EQ(top_k_precision({4, 3, 2, 1}, {1, 4, 2, 3}, 0.1), 0.0);
  // n = 25, fraction 0.1: 2.5 rounds away from zero to k = 3. Scores rank items 0, 1, 2 first;
  // truth ranks 0, 24, 1 first: 2 of 3 (with k = 2 it would be 1 of 2).
  std::vector<double> scores(25), truth(25);
  for (int i = 0; i < 25; ++i) {
    scores[i] = 25 - i;
    truth[i] = 25 - i;
  }
  truth[24] = 24.5;  // third best by truth
  EXPECT_DOUBLE_EQ(top_k_precision(scores, truth, 0.1), 2.0 / 3.0);
}

TEST(TopKPrecision, AllEqualScoresGiveKOverN) {
  // Every item ties at the boundary: each is in the top k by score with weight k/n. The k
  // items in the top k by truth have weight 1, so the overlap is k * k/n and the precision
  // k/n: what a random ranking achieves on average.
  const std::vector<double> scores(10, 42.0);
  const std::vector<double> truth = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(top_k_precision(scores, truth, 0.3), 0.3);
  EXPECT_DOUBLE_EQ(top_k_precision(scores, truth, 0.5), 0.5);
}

TEST(TopKPrecision, BoundaryTiesShareTheFreeSlots) {
  // n = 6, k = 3. Scores: item 0 (5) is above the boundary value 4; items 1, 2, 3 tie at it
  // and share the 2 free slots, 2/3 each. Truth's top 3: items 0, 1, 4.
  // Overlap = 1 + 2/3 = 5/3, precision 5/9. Check by enumerating the tie-breaks: the top 3 by
  // score is {0,1,2}, {0,1,3} or {0,2,3}, overlapping truth's in 2, 2, 1 items: mean 5/3.
  const std::vector<double> scores = {5, 4, 4, 4, 1, 0};
  const std::vector<double> truth = {9, 8, 2, 1, 7, 0};
  EXPECT_DOUBLE_EQ(top_k_precision(scores, truth, 0.5), 5.0 / 9.0);
}

// Calls visit(ranked) for every order of the items: @p values' indices sorted by value,
// descending, the ties broken by that order (items listed earlier win). Returns the number of
// orders, each equally likely under random tie-breaking.
template <typename Visit>
double for_each_tie_break(const std::vector<double>& values, Visit visit) {
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  double orders = 0;
  do {
    std::vector<int> ranked = order;
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](int a, int b) { return values[a] > values[b]; });
    visit(ranked);
    orders += 1;
  } while (std::next_permutation(order.begin(), order.end()));
  return orders;
}

// The expected overlap under random tie-breaking, by enumerating every order of the items:
// P(i in top k) for scores and truth separately, multiplied (the tie-breaks are independent).
double brute_force_top_k(const std::vector<double>& scores, const std::vector<double>& truth,
                         std::size_t k) {
  const auto membership = [&](const std::vector<double>& values) {
    std::vector<double> hits(values.size(), 0.0);
    const double orders = for_each_tie_break(values, [&](const std::vector<int>& ranked) {
      for (std::size_t i = 0; i < k; ++i) hits[ranked[i]] += 1;
    });
    for (double& h : hits) h /= orders;
    return hits;
  };
  const auto by_score = membership(scores);
  const auto by_truth = membership(truth);
  double overlap = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) overlap += by_score[i] * by_truth[i];
  return overlap / static_cast<double>(k);
}

TEST(TopKPrecision, EqualsTheExpectationOverRandomTieBreaks) {
  TestData data(3);
  for (int trial = 0; trial < 6; ++trial) {
    std::vector<double> scores(7), truth(7);
    for (int i = 0; i < 7; ++i) {
      scores[i] = data.level(3);
      truth[i] = data.level(4);
    }
    for (double fraction : {0.2, 0.45, 0.6}) {
      const auto k = static_cast<std::size_t>(std::max(1.0, std::round(fraction * 7)));
      EXPECT_NEAR(top_k_precision(scores, truth, fraction), brute_force_top_k(scores, truth, k),
                  1e-12);
    }
  }
}

TEST(TopKPrecision, RejectsInvalidFractions) {
  for (double fraction : {0.0, -0.1, 1.5, kNaN}) {
    EXPECT_THROW(top_k_precision({1, 2, 3}, {1, 2, 3}, fraction), Error) << fraction;
  }
  EXPECT_THROW(top_k_precision({1, 2, 3}, {1, 2}, 0.5), Error);
}

TEST(TopKRegret, IsTheGapToTheBestInTruthUnits) {
  // n = 10, k = 2 (fraction 0.2). Top 2 by score: items 0 and 1, truths 90 and 93; the best is
  // item 5 at 94.5: regret 1.5.
  const std::vector<double> scores = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  const std::vector<double> truth = {90, 93, 91, 80, 70, 94.5, 60, 50, 40, 30};
  EXPECT_DOUBLE_EQ(top_k_regret(scores, truth, 0.2), 1.5);
  EXPECT_DOUBLE_EQ(top_k_regret(scores, truth, 0.6), 0.0);   // item 5 is in the top 6
  EXPECT_DOUBLE_EQ(top_k_regret(scores, truth, 0.01), 4.5);  // k = 1: item 0
  EXPECT_DOUBLE_EQ(top_k_regret(truth, truth, 0.1), 0.0);    // the truth itself: no regret
}

TEST(TopKRegret, BoundaryTiesJoinAtRandom) {
  // n = 5, k = 2. Item 0 (score 5, truth 1) is above the boundary; items 1, 2, 3 tie at 4 with
  // truths 3, 7, 2 and one of them joins, each with probability 1/3: the best of the top 2 is
  // 3, 7 or 2, so its expectation is 4, and the regret 7 - 4 = 3.
  const std::vector<double> scores = {5, 4, 4, 4, 0};
  const std::vector<double> truth = {1, 3, 7, 2, 6};
  EXPECT_DOUBLE_EQ(top_k_regret(scores, truth, 0.4), 3.0);
  // All tied, k = 2 of 5: each pair equally likely, E[max] over the 10 pairs of {1,3,7,2,6}
  // = (7*4 + 6*3 + 3*2 + 2*1) / 10 = 5.4.
  EXPECT_DOUBLE_EQ(top_k_regret(std::vector<double>(5, 1.0), truth, 0.4), 7.0 - 5.4);
}

// The expected regret under random tie-breaking, by enumerating every order of the items.
double brute_force_regret(const std::vector<double>& scores, const std::vector<double>& truth,
                          std::size_t k) {
  const double best = *std::max_element(truth.begin(), truth.end());
  double sum = 0;
  const double orders = for_each_tie_break(scores, [&](const std::vector<int>& ranked) {
    double top = -1e300;
    for (std::size_t i = 0; i < k; ++i) top = std::max(top, truth[ranked[i]]);
    sum += best - top;
  });
  return sum / orders;
}

TEST(TopKRegret, EqualsTheExpectationOverRandomTieBreaks) {
  TestData data(31);
  for (int trial = 0; trial < 6; ++trial) {
    std::vector<double> scores(7), truth(7);
    for (int i = 0; i < 7; ++i) {
      scores[i] = data.level(3);
      truth[i] = data.level(4) + 0.25 * data.level(2);
    }
    for (double fraction : {0.1, 0.3, 0.45, 0.6, 1.0}) {
      const auto k = static_cast<std::size_t>(std::max(1.0, std::round(fraction * 7)));
      EXPECT_NEAR(top_k_regret(scores, truth, fraction), brute_force_regret(scores, truth, k),
                  1e-12)
          << trial << " " << fraction;
    }
  }
  for (double fraction : {0.0, -0.1, 1.5, kNaN}) {
    EXPECT_THROW(top_k_regret({1, 2, 3}, {1, 2, 3}, fraction), Error) << fraction;
  }
  EXPECT_THROW(top_k_regret({1, 2, 3}, {1, 2}, 0.5), Error);
}

// Correlated pairs for the bootstrap tests.
void correlated(std::size_t n, double noise, std::uint64_t seed, std::vector<double>& x,
                std::vector<double>& y) {
  TestData data(seed);
  x.resize(n);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = data.normal();
    y[i] = x[i] + noise * data.normal();
  }
}

TEST(Bootstrap, IsDeterministicForASeed) {
  std::vector<double> x, y;
  correlated(100, 1.0, 4, x, y);
  for (const char* method : {"percentile", "bca"}) {
    BootstrapSettings settings;
    settings.samples = 300;
    settings.seed = 11;
    settings.method = method;
    const Interval a = bootstrap(spearman, x, y, settings);
    const Interval b = bootstrap(spearman, x, y, settings);
    EXPECT_EQ(a.estimate, b.estimate);
    EXPECT_EQ(a.lo, b.lo);
    EXPECT_EQ(a.hi, b.hi);
    settings.seed = 12;
    const Interval c = bootstrap(spearman, x, y, settings);
    EXPECT_EQ(c.estimate, a.estimate);
    EXPECT_NE(c.lo, a.lo);
  }
}

TEST(Bootstrap, ResamplesArePinnedAcrossPlatforms) {
  // Expected indices from tests/results/reference/statistics_reference.py, an independent
  // Python implementation of splitmix64 -> xoshiro256** (checked there against the published
  // test vectors) with the same rejection draw.
  std::vector<double> x(10);
  std::iota(x.begin(), x.end(), 0.0);
  std::vector<std::vector<double>> seen;
  const auto record = [&](const std::vector<double>& a, const std::vector<double>&) {
    seen.push_back(a);
    return 0.0;
  };
  BootstrapSettings settings;
  settings.samples = 2;
  settings.seed = 42;
  bootstrap(record, x, x, settings);
  ASSERT_EQ(seen.size(), 3u);  // the estimate, then the two resamples
  EXPECT_EQ(seen[1], (std::vector<double>{2, 2, 9, 3, 6, 4, 4, 7, 8, 5}));
  EXPECT_EQ(seen[2], (std::vector<double>{9, 3, 0, 2, 3, 0, 1, 6, 5, 8}));
}

TEST(Bootstrap, MatchesTheIndependentReference) {
  // Values printed by tests/results/reference/statistics_reference.py (scipy 1.10.1,
  // numpy 1.24.2): (estimate, lo, hi, NaN resamples) per method.
  struct Case {
    PairStatistic statistic;
    std::vector<double> x, y;
    std::uint64_t seed;
    int samples;
    double confidence;
    const char* method;
    double estimate, lo, hi;
    int n_nan;
  };
  const std::vector<double> x1 = {0.5, -1.0, 2.0, 2.0, 7.5, 0.5, 3.0, -1.0, 4.0, 6.0, 1.0, 2.5};
  const std::vector<double> y1 = {1.0, 2.0, 3.0, 4.0, 8.0, 1.0, 5.0, 0.0, 4.0, 9.0, 3.0, 2.0};
  const std::vector<double> x2 = {1, 1, 1, 1, 2, 3};
  const std::vector<double> y2 = {1, 2, 3, 4, 5, 6};
  // The maximum of x: ~63% of the resamples equal the estimate (ties count half in BCa).
  const std::vector<double> x3 = {3, 1, 4, 1, 5, 9, 2, 6};
  const auto max_x = [](const std::vector<double>& a, const std::vector<double>&) {
    return *std::max_element(a.begin(), a.end());
  };
  // Leaving out the single 2 makes x constant: a NaN jackknife value, skipped.
  const std::vector<double> x4 = {1, 1, 2, 1, 1, 1, 1, 1};
  const std::vector<double> y4 = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<Case> cases = {
      {spearman, x1, y1, 7, 200, 0.9, "percentile", 0.8761075669328108, 0.6292786211117521,
       0.9725165673072659, 0},
      {spearman, x1, y1, 7, 200, 0.9, "bca", 0.8761075669328108, 0.6981054700772886,
       0.978252350919716, 0},
      {spearman, x2, y2, 3, 300, 0.8, "percentile", 0.8451542547285165, 0.674199862463242,
       0.9837387536759294, 29},
      {spearman, x2, y2, 3, 300, 0.8, "bca", 0.8451542547285165, 0.6642111641550715,
       0.8980265101338745, 29},
      {max_x, x3, x3, 1, 100, 0.9, "bca", 9.0, 6.0, 9.0, 0},
      {spearman, x4, y4, 2, 200, 0.9, "bca", -0.24743582965269675, -0.43915254201215925,
       0.5163206609680002, 75},
  };
  for (const Case& c : cases) {
    BootstrapSettings settings;
    settings.seed = c.seed;
    settings.samples = c.samples;
    settings.confidence = c.confidence;
    settings.method = c.method;
    const Interval interval = bootstrap(c.statistic, c.x, c.y, settings);
    EXPECT_NEAR(interval.estimate, c.estimate, 1e-12) << c.method;
    EXPECT_NEAR(interval.lo, c.lo, 1e-12) << c.method;
    EXPECT_NEAR(interval.hi, c.hi, 1e-12) << c.method;
    EXPECT_EQ(interval.n_nan_resamples, c.n_nan) << c.method;
  }
}

TEST(Bootstrap, IntervalContainsTheEstimateOnWellBehavedData) {
  std::vector<double> x, y;
  correlated(200, 1.0, 5, x, y);
  for (const char* method : {"percentile", "bca"}) {
    for (const auto& named : statistic_registry()) {
      BootstrapSettings settings;
      settings.method = method;
      settings.seed = 99;
      const Interval interval = bootstrap(named.compute, x, y, settings);
      EXPECT_LE(interval.lo, interval.estimate) << named.name << " " << method;
      EXPECT_GE(interval.hi, interval.estimate) << named.name << " " << method;
      EXPECT_LT(interval.lo, interval.hi) << named.name << " " << method;
      EXPECT_EQ(interval.n_nan_resamples, 0);
    }
  }
}

TEST(Bootstrap, SpearmanIntervalIsNarrowOnStronglyCorrelatedPairs) {
  std::vector<double> x, y;
  correlated(500, 0.2, 6, x, y);
  BootstrapSettings settings;
  settings.seed = 1;
  const Interval interval = bootstrap(spearman, x, y, settings);
  // rho is about 0.97; its standard error is about (1 - rho^2) / sqrt(n) < 0.005.
  EXPECT_GT(interval.lo, 0.9);
  EXPECT_LT(interval.hi - interval.lo, 0.03);
}

TEST(Bootstrap, BcaIsCloseToPercentileOnSymmetricData) {
  // The mean of symmetric data has no bias and no skew (z0 ~ 0, a ~ 0): BCa reduces to the
  // percentile interval.
  std::vector<double> x, y;
  correlated(400, 1.0, 7, x, y);
  const auto mean_x = [](const std::vector<double>& a, const std::vector<double>&) {
    return std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(a.size());
  };
  BootstrapSettings settings;
  settings.seed = 5;
  settings.samples = 2000;
  const Interval percentile = bootstrap(mean_x, x, y, settings);
  settings.method = "bca";
  const Interval bca = bootstrap(mean_x, x, y, settings);
  const double width = percentile.hi - percentile.lo;
  EXPECT_GT(width, 0.0);
  EXPECT_NEAR(bca.lo, percentile.lo, 0.1 * width);
  EXPECT_NEAR(bca.hi, percentile.hi, 0.1 * width);
}

TEST(Bootstrap, CountsAndExcludesNaNResamples) {
  // x is constant unless the resample draws the last pair: about (4/5)^5 = 33% NaN resamples.
  const std::vector<double> x = {0, 0, 0, 0, 1};
  const std::vector<double> y = {1, 2, 3, 4, 5};
  int nan_calls = 0;
  const auto counting = [&](const std::vector<double>& a, const std::vector<double>& b) {
    const double value = spearman(a, b);
    nan_calls += std::isnan(value);
    return value;
  };
  BootstrapSettings settings;
  settings.seed = 8;
  const Interval interval = bootstrap(counting, x, y, settings);
  EXPECT_EQ(interval.n_nan_resamples, nan_calls);
  EXPECT_GT(interval.n_nan_resamples, 250);
  EXPECT_LT(interval.n_nan_resamples, 420);
  EXPECT_TRUE(std::isfinite(interval.lo));
  EXPECT_TRUE(std::isfinite(interval.hi));
}

TEST(Bootstrap, UndefinedIntervalsAreNaN) {
  const std::vector<double> x = {1, 2, 3, 4};
  BootstrapSettings settings;
  // NaN estimate (constant y): no interval, whatever the resamples.
  const Interval constant = bootstrap(spearman, x, {1, 1, 1, 1}, settings);
  EXPECT_TRUE(std::isnan(constant.estimate));
  EXPECT_TRUE(std::isnan(constant.lo));
  EXPECT_TRUE(std::isnan(constant.hi));
  EXPECT_EQ(constant.n_nan_resamples, settings.samples);

  // Every resample NaN: nothing left to take quantiles of.
  const auto only_original = [&](const std::vector<double>& a, const std::vector<double>&) {
    return &a == &x ? 1.0 : kNaN;
  };
  const Interval none = bootstrap(only_original, x, x, settings);
  EXPECT_EQ(none.estimate, 1.0);
  EXPECT_TRUE(std::isnan(none.lo));
  EXPECT_EQ(none.n_nan_resamples, settings.samples);

  // Every resample above the estimate: percentile still works, BCa's bias term is infinite.
  const auto all_above = [&](const std::vector<double>& a, const std::vector<double>&) {
    return &a == &x ? 0.0 : 1.0;
  };
  const Interval percentile = bootstrap(all_above, x, x, settings);
  EXPECT_EQ(percentile.lo, 1.0);
  EXPECT_EQ(percentile.hi, 1.0);
  settings.method = "bca";
  const Interval bca = bootstrap(all_above, x, x, settings);
  EXPECT_TRUE(std::isnan(bca.lo));
  EXPECT_TRUE(std::isnan(bca.hi));

  // Past the pole of the BCa formula. |a| < 1/6 always (a jackknife skewness), so 1 - a z <= 0
  // needs z = z0 + z_level >= 6: contrived here. The jackknife is the maximum of x with one far
  // outlier (a = 48 / (6 sqrt(50 * 49)) = 0.16); 999 of 1000 resamples fall below the estimate
  // and one ties (z0 = Phi^-1(0.9995) = 3.29); at 99.99% confidence z = 3.29 + 3.89 and
  // 1 - 0.16 * 7.18 < 0.
  std::vector<double> outlier(50);
  std::iota(outlier.begin(), outlier.end(), 0.0);
  outlier[17] = 1e6;
  int resamples = 0;
  const auto contrived = [&](const std::vector<double>& a, const std::vector<double>&) {
    if (&a == &outlier) return 1.0;
    if (a.size() < outlier.size()) return *std::max_element(a.begin(), a.end());
    return ++resamples == 1 ? 1.0 : 0.5;
  };
  settings.confidence = 0.9999;
  const Interval pole = bootstrap(contrived, outlier, outlier, settings);
  EXPECT_EQ(pole.estimate, 1.0);
  EXPECT_TRUE(std::isnan(pole.lo));
  EXPECT_TRUE(std::isnan(pole.hi));
  settings.method = "percentile";
  resamples = 0;
  EXPECT_EQ(bootstrap(contrived, outlier, outlier, settings).lo, 0.5);
}

TEST(Bootstrap, EveryStatisticSeesTheSameResamples) {
  std::vector<double> x(50);
  std::iota(x.begin(), x.end(), 0.0);
  std::vector<double> y1, y2, unused;
  correlated(50, 1.0, 9, unused, y1);
  correlated(50, 3.0, 10, unused, y2);
  std::vector<std::vector<double>> first, second;
  BootstrapSettings settings;
  settings.samples = 20;
  settings.seed = 77;
  bootstrap(
      [&](const std::vector<double>& a, const std::vector<double>& b) {
        first.push_back(a);
        return spearman(a, b);
      },
      x, y1, settings);
  bootstrap(
      [&](const std::vector<double>& a, const std::vector<double>& b) {
        second.push_back(a);
        return pearson(a, b);
      },
      x, y2, settings);
  EXPECT_EQ(first, second);
  EXPECT_NE(first[1], first[2]);
}

TEST(Bootstrap, RejectsInvalidSettingsAndInput) {
  const std::vector<double> x = {1, 2, 3, 4};
  const auto bad = [&](auto change) {
    BootstrapSettings settings;
    change(settings);
    EXPECT_THROW(check_bootstrap_settings(settings), Error);
    EXPECT_THROW(bootstrap(spearman, x, x, settings), Error);
  };
  bad([](BootstrapSettings& s) { s.samples = 0; });
  bad([](BootstrapSettings& s) { s.confidence = 1.0; });
  bad([](BootstrapSettings& s) { s.confidence = 0.0; });
  bad([](BootstrapSettings& s) { s.confidence = kNaN; });
  bad([](BootstrapSettings& s) { s.method = "basic"; });
  EXPECT_NO_THROW(check_bootstrap_settings(BootstrapSettings{}));

  BootstrapSettings bca;
  bca.method = "bca";
  EXPECT_THROW(bootstrap(spearman, {1, 2}, {2, 1}, bca), Error);  // jackknife needs 3
  EXPECT_THROW(bootstrap(spearman, x, {1, 2, 3}, BootstrapSettings{}), Error);
  EXPECT_THROW(bootstrap(spearman, x, {1, 2, kNaN, 4}, BootstrapSettings{}), Error);
}

TEST(BootstrapDistribution, KeepsEveryResampleInOrderAndGivesTheSameInterval) {
  const std::vector<double> x = {1, 1, 1, 1, 2, 3};
  const std::vector<double> y = {1, 2, 3, 4, 5, 6};
  for (const char* method : {"percentile", "bca"}) {
    BootstrapSettings settings;
    settings.samples = 300;
    settings.seed = 3;
    settings.confidence = 0.8;
    settings.method = method;
    const BootstrapDistribution distribution = bootstrap_distribution(spearman, x, y, settings);
    ASSERT_EQ(distribution.resamples.size(), 300u);
    EXPECT_EQ(std::count_if(distribution.resamples.begin(), distribution.resamples.end(),
                            [](double v) { return std::isnan(v); }),
              29);  // as MatchesTheIndependentReference counts them
    EXPECT_EQ(distribution.jackknife.size(), std::string(method) == "bca" ? 6u : 0u);
    const Interval direct = bootstrap(spearman, x, y, settings);
    const Interval kept = interval_of(distribution, settings);
    EXPECT_EQ(kept.estimate, direct.estimate);
    EXPECT_EQ(kept.lo, direct.lo);
    EXPECT_EQ(kept.hi, direct.hi);
    EXPECT_EQ(kept.n_nan_resamples, direct.n_nan_resamples);

    BootstrapSettings other = settings;
    other.samples = 299;
    EXPECT_THROW(interval_of(distribution, other), Error);
  }
  BootstrapSettings percentile;
  const BootstrapDistribution no_jackknife = bootstrap_distribution(spearman, x, y, percentile);
  BootstrapSettings bca;
  bca.method = "bca";
  EXPECT_THROW(interval_of(no_jackknife, bca), Error);
}

TEST(PairedDifference, MatchesTheIndependentReference) {
  // Values printed by tests/results/reference/statistics_reference.py ("paired ..."): the
  // difference of Spearman's rho of A and of B against T, both resampled with the same indices.
  const std::vector<double> a = {0.5, -1.0, 2.0, 2.0, 7.5, 0.5, 3.0, -1.0, 4.0, 6.0, 1.0, 2.5};
  const std::vector<double> b = {2.0, 1.0, 1.0, 5.0, 6.0, 0.0, 2.0, 3.0, 3.0, 9.0, 2.0, 1.0};
  const std::vector<double> t = {1.0, 2.0, 3.0, 4.0, 8.0, 1.0, 5.0, 0.0, 4.0, 9.0, 3.0, 2.0};
  struct Case {
    const char* method;
    double lo, hi;
  };
  for (const Case& c : {Case{"percentile", -0.12895727060585777, 0.6909362800513489},
                        Case{"bca", -0.04027406924143618, 0.7756575759588658}}) {
    BootstrapSettings settings;
    settings.seed = 7;
    settings.samples = 200;
    settings.confidence = 0.9;
    settings.method = c.method;
    const PairedDifference paired =
        paired_difference(bootstrap_distribution(spearman, a, t, settings),
                          bootstrap_distribution(spearman, b, t, settings), settings);
    EXPECT_NEAR(paired.difference.estimate, 0.2553313921977264, 1e-12) << c.method;
    EXPECT_NEAR(paired.difference.lo, c.lo, 1e-12) << c.method;
    EXPECT_NEAR(paired.difference.hi, c.hi, 1e-12) << c.method;
    EXPECT_EQ(paired.difference.n_nan_resamples, 0) << c.method;
    EXPECT_DOUBLE_EQ(paired.share_a_better, 0.835) << c.method;
  }
}

TEST(PairedDifference, IsNarrowerThanTheTwoIntervalsWhenTheProxiesAgree) {
  // Two proxies that rank almost alike: their own intervals overlap almost entirely, yet the
  // small, consistent advantage of the better one is resolved by the paired bootstrap.
  std::vector<double> truth, better, unused;
  correlated(300, 1.0, 21, truth, better);
  TestData data(22);
  std::vector<double> worse = better;
  for (double& v : worse) v += 0.5 * data.normal();
  BootstrapSettings settings;
  const BootstrapDistribution a = bootstrap_distribution(spearman, better, truth, settings);
  const BootstrapDistribution b = bootstrap_distribution(spearman, worse, truth, settings);
  const Interval own_a = interval_of(a, settings);
  const Interval own_b = interval_of(b, settings);
  const PairedDifference paired = paired_difference(a, b, settings);
  EXPECT_GT(own_a.estimate, own_b.estimate);
  EXPECT_GT(own_b.hi, own_a.lo);  // the two intervals overlap
  EXPECT_LT(paired.difference.hi - paired.difference.lo, own_a.hi - own_a.lo);
  EXPECT_GT(paired.difference.lo, 0.0);  // and yet a is better at 95 %
  EXPECT_GT(paired.share_a_better, 0.975);
  // Swapping the two mirrors everything.
  const PairedDifference swapped = paired_difference(b, a, settings);
  EXPECT_DOUBLE_EQ(swapped.difference.estimate, -paired.difference.estimate);
  EXPECT_NEAR(swapped.share_a_better, 1.0 - paired.share_a_better, 1e-12);
}

TEST(PairedDifference, AProxyAgainstItselfIsATieAndMismatchesAreRefused) {
  std::vector<double> x, y;
  correlated(40, 1.0, 23, x, y);
  BootstrapSettings settings;
  settings.samples = 100;
  const BootstrapDistribution a = bootstrap_distribution(kendall_tau_b, x, y, settings);
  const PairedDifference self = paired_difference(a, a, settings);
  EXPECT_EQ(self.difference.estimate, 0.0);
  EXPECT_EQ(self.difference.lo, 0.0);
  EXPECT_EQ(self.difference.hi, 0.0);
  EXPECT_EQ(self.share_a_better, 0.5);

  BootstrapSettings fewer = settings;
  fewer.samples = 50;
  EXPECT_THROW(paired_difference(a, bootstrap_distribution(kendall_tau_b, x, y, fewer), settings),
               Error);
  BootstrapSettings bca = settings;
  bca.method = "bca";
  EXPECT_THROW(paired_difference(a, bootstrap_distribution(kendall_tau_b, x, y, bca), bca), Error);
}

TEST(StatisticRegistry, ListsTheNamedStatistics) {
  std::vector<std::string> names;
  for (const auto& statistic : statistic_registry()) {
    names.emplace_back(statistic.name);
    EXPECT_FALSE(statistic.description.empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"spearman", "kendall_tau_b", "pearson",
                                             "top10_precision", "top10_regret"}));
  EXPECT_TRUE(find_statistic("top10_regret").lower_is_better);
  EXPECT_FALSE(find_statistic("top10_regret").rank_based);  // in units of the truth
  EXPECT_FALSE(find_statistic("spearman").lower_is_better);
}

TEST(StatisticRegistry, FindsStatisticsByName) {
  const std::vector<double> x = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4};
  const std::vector<double> y = {2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5, 2, 3, 5, 3};
  EXPECT_EQ(find_statistic("spearman").compute(x, y), spearman(x, y));
  EXPECT_EQ(find_statistic("kendall_tau_b").compute(x, y), kendall_tau_b(x, y));
  EXPECT_EQ(find_statistic("pearson").compute(x, y), pearson(x, y));
  EXPECT_EQ(find_statistic("top10_precision").compute(x, y), top_k_precision(x, y, 0.1));
  EXPECT_EQ(find_statistic("top10_precision").name, "top10_precision");
}

TEST(StatisticRegistry, UnknownNameListsTheKnownOnes) {
  try {
    find_statistic("spearmann");
    FAIL() << "expected zcb::Error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("'spearmann'"));
    EXPECT_THAT(e.what(), HasSubstr("known: spearman, kendall_tau_b, pearson, top10_precision"));
  }
}

}  // namespace
}  // namespace zcb
