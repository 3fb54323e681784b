// Composite proxies: hand-checked ranks (scipy.stats.rankdata, method 'average') and SWAP's
// size regularisation worked by hand.
#include "zcb/results/composite.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "zcb/error.hpp"

namespace zcb {
namespace {

ProxyResult component(const std::string& name, const std::vector<double>& scores) {
  ProxyResult result;
  result.name = name;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    result.rows.push_back({static_cast<std::int64_t>(i), scores[i], RowStatus::kOk, ""});
  }
  return result;
}

CompositeDefinition rank_sum() {
  // TE-NAS's form: NTK condition number (lower is better) and linear regions (higher).
  CompositeDefinition definition;
  definition.name = "rank_sum";
  definition.combination = Combination::kRankSum;
  definition.components = {{"tenas_ntk", false}, {"tenas_lr", true}};
  return definition;
}

TEST(Composite, RankSumWithTiesAveraged) {
  ProxyResult ntk = component("tenas_ntk", {3, 1, 2, 2, 5, 9});
  ProxyResult regions = component("tenas_lr", {10, 30, 20, 40, 50, 60});
  ntk.rows[5].status = RowStatus::kNonFinite;  // arch 5 is left out of the ranking
  ntk.rows[5].message = "inf";
  const ProxyResult out = compute_composite(rank_sum(), {ntk, regions});
  ASSERT_EQ(out.rows.size(), 6u);
  // rankdata(-ntk[:5]) = [2, 5, 3.5, 3.5, 1]; rankdata(lr[:5]) = [1, 3, 2, 4, 5]
  const std::vector<double> expected = {3, 8, 5.5, 7.5, 6};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(out.rows[i].status, RowStatus::kOk);
    EXPECT_DOUBLE_EQ(out.rows[i].score, expected[i]) << i;
  }
  EXPECT_EQ(out.rows[5].status, RowStatus::kNonFinite);
  EXPECT_TRUE(std::isnan(out.rows[5].score));
  EXPECT_NE(out.rows[5].message.find("tenas_ntk"), std::string::npos);
  EXPECT_TRUE(out.higher_is_better);
}

TEST(Composite, AzNasSumsLogRanks) {
  const ProxyResult out = compute_composite(
      composite_definition("az_nas"),
      {component("az_expressivity", {1, 2, 3}), component("az_progressivity", {3, 2, 1}),
       component("az_trainability", {5, 5, 6}), component("flops", {0.1, 0.3, 0.2})});
  // ranks: [1,2,3], [3,2,1], [1.5,1.5,3], [1,3,2]; n = 3
  const double l = std::log(1.0 / 3), m = std::log(2.0 / 3), h = std::log(1.0);
  const double half = std::log(1.5 / 3);
  EXPECT_DOUBLE_EQ(out.rows[0].score, l + h + half + l);
  EXPECT_DOUBLE_EQ(out.rows[1].score, m + m + half + h);
  EXPECT_DOUBLE_EQ(out.rows[2].score, h + l + h + m);
}

TEST(Composite, AzNasRanksNonFiniteComponentsLast) {
  // AZ-NAS's code turns NaN into -inf before ranking: the architecture keeps a score.
  ProxyResult trainability = component("az_trainability", {5, std::nan(""), 6});
  trainability.rows[1].status = RowStatus::kNonFinite;
  const ProxyResult out = compute_composite(
      composite_definition("az_nas"),
      {component("az_expressivity", {1, 2, 3}), component("az_progressivity", {3, 2, 1}),
       trainability, component("flops", {0.1, 0.3, 0.2})});
  ASSERT_EQ(out.rows[1].status, RowStatus::kOk);
  // trainability ranks: [2, 1, 3]
  EXPECT_DOUBLE_EQ(out.rows[1].score,
                   std::log(2.0 / 3) + std::log(2.0 / 3) + std::log(1.0 / 3) + std::log(1.0));
}

TEST(Composite, TenasSumsDenseRanksAndRanksANanConditionNumberLast) {
  // prune_tenas.py: sorted values, equal ones share a rank, the next distinct one gets +1.
  ProxyResult ntk = component("tenas_ntk", {3, 1, 2, 2, 5, std::nan("")});
  ntk.rows[5].status = RowStatus::kNonFinite;  // TE-NAS: NaN -> 1e5, the worst
  const ProxyResult regions = component("tenas_lr", {10, 30, 30, 40, 50, 60});
  const ProxyResult out = compute_composite(composite_definition("tenas"), {ntk, regions});
  // dense ranks of -ntk (NaN lowest): [2, 4, 3, 3, 1, 0]; of lr: [0, 1, 1, 2, 3, 4]
  const std::vector<double> expected = {2, 5, 4, 5, 4, 4};
  ASSERT_EQ(out.rows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(out.rows[i].status, RowStatus::kOk) << i;
    EXPECT_DOUBLE_EQ(out.rows[i].score, expected[i]) << i;
  }
  EXPECT_TRUE(is_composite("tenas"));
}

TEST(Composite, MissingComponentRowMeansNoRow) {
  ProxyResult ntk = component("tenas_ntk", {1, 2, 3});
  ntk.rows.pop_back();
  const ProxyResult out = compute_composite(rank_sum(), {ntk, component("tenas_lr", {1, 2, 3})});
  EXPECT_EQ(out.rows.size(), 2u);
}

TEST(Composite, BadInputIsAClearError) {
  EXPECT_THROW(composite_definition("nope"), Error);
  EXPECT_THROW(compute_composite(rank_sum(), {component("tenas_ntk", {1})}), Error);
  EXPECT_THROW(
      compute_composite(rank_sum(), {component("tenas_lr", {1}), component("tenas_ntk", {1})}),
      Error);
  EXPECT_TRUE(is_composite("az_nas"));
  EXPECT_FALSE(is_composite("synflow"));
}

ProxyResult swap_and_params(ProxyResult* swap) {
  *swap = component("swap", {100, 200, 300, 400});
  return component("params", {1000000, 1500000, 500000, 1000000});
}

TEST(Composite, SwapRegMultipliesByTheGaussianOfThousandsOfParameters) {
  // pym1024/SWAP cal_regular_factor: exp(-((params / 1e3) - mu)^2 / sigma). With mu = 1000 and
  // sigma = 250000, 1,500,000 and 500,000 parameters are 500 (thousand) from mu: factor e^-1.
  ProxyResult swap;
  const ProxyResult params = swap_and_params(&swap);
  const ProxyResult out = compute_composite(composite_definition("swap_reg"), {swap, params},
                                            {{"mu", 1000}, {"sigma", 250000}});
  ASSERT_EQ(out.rows.size(), 4u);
  const double e = std::exp(-1.0);
  const std::vector<double> expected = {100, 200 * e, 300 * e, 400};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(out.rows[i].status, RowStatus::kOk) << i;
    EXPECT_DOUBLE_EQ(out.rows[i].score, expected[i]) << i;
  }
  EXPECT_EQ(out.name, "swap_reg");
  EXPECT_FALSE(combines_ranks(composite_definition("swap_reg")));
  EXPECT_TRUE(combines_ranks(composite_definition("tenas")));
}

TEST(Composite, SwapRegIsEachArchitecturesOwnScoreNotARank) {
  // Unlike a rank aggregate, dropping an architecture changes no other score.
  ProxyResult swap;
  const ProxyResult params = swap_and_params(&swap);
  const CompositeOptions options = {{"mu", 800}, {"sigma", 1e5}};
  const ProxyResult all =
      compute_composite(composite_definition("swap_reg"), {swap, params}, options);
  ProxyResult fewer_swap = swap;
  ProxyResult fewer_params = params;
  fewer_swap.rows.erase(fewer_swap.rows.begin());
  fewer_params.rows.erase(fewer_params.rows.begin());
  const ProxyResult fewer =
      compute_composite(composite_definition("swap_reg"), {fewer_swap, fewer_params}, options);
  ASSERT_EQ(fewer.rows.size(), 3u);
  for (std::size_t i = 0; i < fewer.rows.size(); ++i) {
    EXPECT_EQ(fewer.rows[i].score, all.rows[i + 1].score) << i;
  }
}

TEST(Composite, SwapRegCarriesAFailedSwapRow) {
  ProxyResult swap;
  const ProxyResult params = swap_and_params(&swap);
  swap.rows[2].status = RowStatus::kError;
  swap.rows[2].message = "out of memory";
  const ProxyResult out = compute_composite(composite_definition("swap_reg"), {swap, params},
                                            {{"mu", 1000}, {"sigma", 1e6}});
  EXPECT_EQ(out.rows[2].status, RowStatus::kError);
  EXPECT_TRUE(std::isnan(out.rows[2].score));
  EXPECT_NE(out.rows[2].message.find("swap: out of memory"), std::string::npos);
  EXPECT_EQ(out.rows[3].status, RowStatus::kOk);
}

TEST(Composite, OptionsAreCheckedByName) {
  ProxyResult swap;
  const ProxyResult params = swap_and_params(&swap);
  const auto& definition = composite_definition("swap_reg");
  const auto message = [&](const CompositeOptions& options) {
    try {
      compute_composite(definition, {swap, params}, options);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message({{"mu", 1000}}).find("needs the option 'sigma'"), std::string::npos);
  EXPECT_NE(message({{"mu", 1000}, {"sigma", 0}}).find("'sigma' must be > 0"), std::string::npos);
  EXPECT_NE(message({{"mu", std::nan("")}, {"sigma", 1}}).find("'mu' must be finite"),
            std::string::npos);
  EXPECT_NE(message({{"mu", 1}, {"sigma", 1}, {"tau", 2}})
                .find("no option 'tau' (it takes: mu, "
                      "sigma)"),
            std::string::npos);
  // The rank aggregates take none.
  EXPECT_THROW(
      compute_composite(rank_sum(), {component("tenas_ntk", {1}), component("tenas_lr", {1})},
                        {{"mu", 1}}),
      Error);
  EXPECT_EQ(describe_options({{"mu", 1500}, {"sigma", 700000}}), "mu = 1500, sigma = 700000");
  EXPECT_EQ(describe_options({}), "");
}

}  // namespace
}  // namespace zcb
