#include "zcb/site/format.hpp"

#include <gtest/gtest.h>

namespace zcb::site {
namespace {

const std::string kMinus = "\u2212";

TEST(SiteFormat, StatisticsHaveThreeDecimalsAndATypographicMinus) {
  EXPECT_EQ(format_statistic(0.76123), "0.761");
  EXPECT_EQ(format_statistic(-0.16049), kMinus + "0.160");
  EXPECT_EQ(format_statistic(1.0), "1.000");
  EXPECT_EQ(format_statistic(-0.0001), "0.000");  // no "-0.000"
  EXPECT_EQ(format_statistic(std::nullopt), kMissing);
}

TEST(SiteFormat, Intervals) {
  EXPECT_EQ(format_interval(0.7301, 0.7893), "[0.730, 0.789]");
  EXPECT_EQ(format_interval(-0.2201, -0.0991), "[" + kMinus + "0.220, " + kMinus + "0.099]");
  EXPECT_EQ(format_interval(std::nullopt, 0.5), "[" + std::string(kMissing) + ", 0.500]");
  EXPECT_EQ(format_interval(std::nullopt, std::nullopt), kMissing);
}

TEST(SiteFormat, MillisecondsPercentAndCounts) {
  EXPECT_EQ(format_ms(41.27), "41.3");
  EXPECT_EQ(format_ms(0.04), "0.0");
  EXPECT_EQ(format_ms(std::nullopt), kMissing);
  EXPECT_EQ(format_percent(0.991), "99.1%");
  EXPECT_EQ(format_percent(1.0), "100.0%");
  EXPECT_EQ(format_percent(std::nullopt), kMissing);
  EXPECT_EQ(format_count(991), "991");
  EXPECT_EQ(format_count(15625), "15\u202f625");
  EXPECT_EQ(format_count(-1000000), kMinus + "1\u202f000\u202f000");
  EXPECT_EQ(format_count(std::nullopt), kMissing);
}

TEST(SiteFormat, ExactRoundTrips) {
  EXPECT_EQ(format_exact(0.1), "0.1");
  EXPECT_EQ(std::stod(format_exact(0.7612000000000001)), 0.7612000000000001);
  EXPECT_EQ(format_exact(-2.5), "-2.5");
  EXPECT_EQ(format_exact(std::nullopt), "");
}

}  // namespace
}  // namespace zcb::site
