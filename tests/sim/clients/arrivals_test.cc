// The arrival processes against their definitions: rates, the daily profile's shape, bursts, and
// the exact mean multiplier the summary's "configured" rate uses.
#include "sim/clients/arrivals.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numeric>

namespace hlsim {
namespace {

ArrivalConfig config(ArrivalKind kind, double rate_tps) {
  ArrivalConfig a;
  a.kind = kind;
  a.rate_tps = rate_tps;
  return a;
}

// Arrivals of one client in [0, horizon).
std::vector<TimeNs> draw(const ArrivalProcess& p, TimeNs horizon_ns, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, RngDomain::kClient, 0);
  std::vector<TimeNs> out;
  for (TimeNs t = p.next_after(-1, rng); t < horizon_ns; t = p.next_after(t, rng)) {
    out.push_back(t);
  }
  return out;
}

TEST(ArrivalsTest, PoissonRateIsRateOverClientsWithinFourSigma) {
  // 10 clients at 1000 tx/s: each client 100 tx/s; over 1000 s about 100,000 arrivals.
  const ArrivalProcess p(config(ArrivalKind::kPoisson, 1000), 10);
  const auto arrivals = draw(p, 1000 * kNsPerSec, 7);
  const double expected = 100.0 * 1000;
  EXPECT_NEAR(static_cast<double>(arrivals.size()), expected, 4 * std::sqrt(expected));
  // Exponential gaps: the coefficient of variation is 1.
  double sum = 0, sum_sq = 0;
  for (std::size_t i = 1; i < arrivals.size(); ++i) {
    const double g = static_cast<double>(arrivals[i] - arrivals[i - 1]);
    sum += g;
    sum_sq += g * g;
  }
  const double n = static_cast<double>(arrivals.size() - 1);
  const double mean = sum / n;
  const double cv = std::sqrt(sum_sq / n - mean * mean) / mean;
  EXPECT_NEAR(cv, 1.0, 0.02);
}

TEST(ArrivalsTest, ZeroRateMeansNoArrivals) {
  const ArrivalProcess p(config(ArrivalKind::kPoisson, 0), 3);
  Rng rng = Rng::stream(1, RngDomain::kClient, 0);
  EXPECT_EQ(p.next_after(-1, rng), kTimeNever);
}

TEST(ArrivalsTest, EdProfileHasItsDescribedShapeAndMeanOne) {
  const DailyProfile& ed = ed_daily_profile();
  EXPECT_NEAR(std::accumulate(ed.begin(), ed.end(), 0.0) / 24, 1.0, 1e-12);
  // Lowest just before 5 am; climbing from 5 am; the plateau noon to 6 pm holds the peak.
  const auto trough = std::min_element(ed.begin(), ed.end()) - ed.begin();
  EXPECT_EQ(trough, 4);
  for (int h = 5; h < 12; ++h) EXPECT_LT(ed[h], ed[h + 1]) << "hour " << h;
  const double peak = *std::max_element(ed.begin(), ed.end());
  for (int h = 12; h < 18; ++h) EXPECT_GT(ed[h], 0.9 * peak) << "hour " << h;
  for (int h = 18; h < 23; ++h) EXPECT_GT(ed[h], ed[h + 1]) << "hour " << h;
}

TEST(ArrivalsTest, DailyArrivalsFollowTheProfileHourByHour) {
  // A day compressed into 24 s (an hour per second), 200 days: per-hour counts are proportional
  // to the profile.
  ArrivalConfig a = config(ArrivalKind::kDaily, 200);
  a.day_ns = 24 * kNsPerSec;
  a.profile = ed_daily_profile();
  const ArrivalProcess p(a, 1);
  std::array<double, 24> counts{};
  const auto arrivals = draw(p, 200 * a.day_ns, 11);
  for (TimeNs t : arrivals) counts[p.hour_of_day(t)] += 1;
  const double total = static_cast<double>(arrivals.size());
  EXPECT_NEAR(total, 200.0 * 24 * 200, 4 * std::sqrt(200.0 * 24 * 200));  // the daily mean holds
  for (std::size_t h = 0; h < 24; ++h) {
    const double expected = total * a.profile[h] / 24;
    EXPECT_NEAR(counts[h], expected, 5 * std::sqrt(expected)) << "hour " << h;
  }
}

TEST(ArrivalsTest, StartHourShiftsTheClock) {
  ArrivalConfig a = config(ArrivalKind::kDaily, 1);
  a.day_ns = 24 * kNsPerSec;
  a.start_of_day_ns = 5 * kNsPerSec;  // t = 0 is 5 am
  a.profile = ed_daily_profile();
  const ArrivalProcess p(a, 1);
  EXPECT_EQ(p.hour_of_day(0), 5u);
  EXPECT_EQ(p.hour_of_day(19 * kNsPerSec), 0u);
  EXPECT_DOUBLE_EQ(p.multiplier(7 * kNsPerSec), ed_daily_profile()[12]);
}

TEST(ArrivalsTest, BurstsMultiplyTheRateInsideThemOnly) {
  ArrivalConfig a = config(ArrivalKind::kPoisson, 100);
  a.burst_every_ns = 10 * kNsPerSec;
  a.burst_duration_ns = 2 * kNsPerSec;
  a.burst_factor = 5;
  const ArrivalProcess p(a, 1);
  double in_burst = 0, outside = 0;
  for (TimeNs t : draw(p, 2000 * kNsPerSec, 3)) {
    (t % a.burst_every_ns < a.burst_duration_ns ? in_burst : outside) += 1;
  }
  // 200 bursts x 2 s x 500 tx/s and 200 x 8 s x 100 tx/s.
  EXPECT_NEAR(in_burst, 200000, 4 * std::sqrt(200000.0));
  EXPECT_NEAR(outside, 160000, 4 * std::sqrt(160000.0));
  EXPECT_DOUBLE_EQ(p.mean_multiplier(0, 10 * kNsPerSec), (2 * 5 + 8) / 10.0);
}

TEST(ArrivalsTest, MeanMultiplierIsExactOverHoursAndDays) {
  ArrivalConfig a = config(ArrivalKind::kDaily, 1);
  a.day_ns = 24 * kNsPerSec;
  a.profile = ed_daily_profile();
  const ArrivalProcess p(a, 1);
  EXPECT_NEAR(p.mean_multiplier(0, a.day_ns), 1.0, 1e-12);
  EXPECT_NEAR(p.mean_multiplier(0, 3 * a.day_ns), 1.0, 1e-12);
  for (int h = 0; h < 24; ++h) {
    EXPECT_NEAR(p.mean_multiplier(h * kNsPerSec, (h + 1) * kNsPerSec), a.profile[h], 1e-12);
  }
  const ArrivalProcess flat(config(ArrivalKind::kPoisson, 1), 1);
  EXPECT_EQ(flat.mean_multiplier(0, 12345), 1.0);
}

TEST(ArrivalsTest, SameSeedSameArrivalsAndFlatPoissonUsesOneDrawPerArrival) {
  const ArrivalProcess p(config(ArrivalKind::kPoisson, 50), 5);
  EXPECT_EQ(draw(p, 100 * kNsPerSec, 9), draw(p, 100 * kNsPerSec, 9));
  EXPECT_NE(draw(p, 100 * kNsPerSec, 9), draw(p, 100 * kNsPerSec, 10));
  Rng a = Rng::stream(4, RngDomain::kClient, 0);
  Rng b = a;
  const TimeNs t = p.next_after(-1, a);
  b.next_double();  // one output consumed
  EXPECT_EQ(a.next_u64(), b.next_u64());
  EXPECT_GE(t, 0);
}

TEST(ArrivalsTest, ProfileTextIsParsedAndBadTextNamesTheKey) {
  auto flat = parse_daily_profile("flat", "workload.daily_profile");
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat.value()[7], 1.0);
  std::string text = "2";
  for (int i = 1; i < 24; ++i) text += ",1";
  auto custom = parse_daily_profile(text, "workload.daily_profile");
  ASSERT_TRUE(custom.ok());
  EXPECT_NEAR(custom.value()[0], 2 * 24.0 / 25, 1e-12);
  for (const char* bad : {"1,2", "x", "", "-1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
                          "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"}) {
    auto r = parse_daily_profile(bad, "workload.daily_profile");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("workload.daily_profile"), std::string::npos);
  }
}

}  // namespace
}  // namespace hlsim
