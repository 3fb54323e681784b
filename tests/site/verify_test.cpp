#include "zcb/site/verify.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace zcb::site {
namespace {

// The fixture's synflow on nb201/cifar10 carries three published values: Suite-Zero's rho
// (within), Abdelfattah et al.'s |rho| (below) and a reviewer's claim this run did not compute.
TEST(SiteVerify, OneLinePerValueThenTheCounts) {
  const Verification verification = verification_report(load_stats(testing::fixture_dir()), "");
  EXPECT_EQ(verification.all.within, 1U);
  EXPECT_EQ(verification.all.below, 1U);
  EXPECT_EQ(verification.all.above, 0U);
  EXPECT_EQ(verification.all.not_computed, 1U);
  ASSERT_EQ(verification.papers.size(), 2U);
  EXPECT_EQ(verification.papers
                .at("Krishnakumar et al., NAS-Bench-Suite-Zero, NeurIPS 2022 Datasets & "
                    "Benchmarks")
                .total(),
            2U);
  const std::string& report = verification.report;
  EXPECT_NE(report.find("within        nb201/cifar10  synflow  spearman       paper 0.76   ours "
                        "0.761 [0.730, 0.789]  n 1000 (all), paper's ground truth  Krishnakumar "
                        "et al., NAS-Bench-Suite-Zero, NeurIPS 2022 Datasets & Benchmarks, "
                        "Figure 6\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("below         nb201/cifar10  synflow  |spearman|     paper 0.737  ours "
                        "0.761 [0.740, 0.789]  n 1000 (all), run's ground truth"),
            std::string::npos)
      << report;
  // Not computed: no number of ours; a negative published value keeps an ASCII minus.
  EXPECT_NE(report.find("not_computed  nb201/cifar10  synflow  kendall_tau_b  paper -0.5   ours -"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("3 published values: 1 within our 95% interval (allowing the paper's "
                        "rounding), 0 above it (the paper reports more), 1 below it (the paper "
                        "reports less), 1 not computed by this run.\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("  1 value: 0 within, 0 above, 1 below, 0 not computed  Abdelfattah"),
            std::string::npos)
      << report;
}

TEST(SiteVerify, FiltersByPaper) {
  const RunStats run = load_stats(testing::fixture_dir());
  const Verification abdelfattah = verification_report(run, "Abdelfattah");
  EXPECT_EQ(abdelfattah.all.total(), 1U);
  EXPECT_EQ(abdelfattah.report.find("Krishnakumar"), std::string::npos);
  const Verification none = verification_report(run, "Nobody et al.");
  EXPECT_EQ(none.all.total(), 0U);
  EXPECT_EQ(none.report,
            "No published value matches a proxy and task of this run and the paper filter "
            "'Nobody et al.'.\n");
}

}  // namespace
}  // namespace zcb::site
