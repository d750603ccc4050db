// The mean and its 95% confidence interval across seeds, checked against hand-computed values.
#include "sim/sweep/sweep_stats.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

TEST(SweepStatsTest, MeanAndStudentIntervalMatchTheHandComputation) {
  // Mean 3, sample sd sqrt(2.5), t(4) = 2.776: half width 2.776 * 1.5811 / sqrt(5) = 1.9629.
  const MeanCi c = mean_ci95({1, 2, 3, 4, 5});
  EXPECT_EQ(c.n, 5u);
  EXPECT_DOUBLE_EQ(c.mean, 3.0);
  EXPECT_NEAR(c.lo, 3.0 - 1.9629, 1e-4);
  EXPECT_NEAR(c.hi, 3.0 + 1.9629, 1e-4);
  // Identical values: no spread.
  const MeanCi same = mean_ci95({7, 7, 7});
  EXPECT_DOUBLE_EQ(same.lo, 7.0);
  EXPECT_DOUBLE_EQ(same.hi, 7.0);
}

TEST(SweepStatsTest, OneOrNoValue) {
  const MeanCi one = mean_ci95({4.5});
  EXPECT_EQ(one.n, 1u);
  EXPECT_DOUBLE_EQ(one.mean, 4.5);
  EXPECT_DOUBLE_EQ(one.lo, 4.5);
  EXPECT_DOUBLE_EQ(one.hi, 4.5);
  const MeanCi none = mean_ci95({});
  EXPECT_EQ(none.n, 0u);
}

TEST(SweepStatsTest, TQuantilesFromTheTableAndBeyond) {
  EXPECT_DOUBLE_EQ(t_quantile_975(1), 12.706);
  EXPECT_DOUBLE_EQ(t_quantile_975(30), 2.042);
  // Exact values: df 60 -> 2.000, df 120 -> 1.980.
  EXPECT_NEAR(t_quantile_975(60), 2.000, 0.01);
  EXPECT_NEAR(t_quantile_975(120), 1.980, 0.01);
  EXPECT_NEAR(t_quantile_975(100000), 1.960, 0.001);
}

}  // namespace
}  // namespace hlsim
