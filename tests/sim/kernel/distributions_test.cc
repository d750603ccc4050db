#include "sim/kernel/distributions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

constexpr int kDraws = 200'000;

// Tolerances. The sample mean of N draws has standard error sqrt(var / N); the sample variance
// has standard error sqrt((mu4 - var^2) / N), mu4 being the fourth central moment. Each check
// allows 5 standard errors: a correct sampler lands outside with probability below 1e-6 (and the
// seeds are fixed, so the tests are deterministic), while a wrong formula (rate for mean, sigma
// for sigma^2, an off-by-one shape) misses by tens to thousands of standard errors at N = 2e5.
constexpr double kStandardErrors = 5.0;

// Central fourth moment from the raw moments E[X], E[X^2], E[X^3], E[X^4].
double central_fourth(double m1, double m2, double m3, double m4) {
  return m4 - 4 * m3 * m1 + 6 * m2 * m1 * m1 - 3 * m1 * m1 * m1 * m1;
}

struct SampleMoments {
  double mean;
  double variance;
};

SampleMoments draw_moments(const Distribution& d, std::uint64_t seed) {
  Rng rng(seed);
  double mean = 0;
  double m2 = 0;
  for (int i = 1; i <= kDraws; ++i) {  // Welford's update
    const double x = d.sample(rng);
    const double delta = x - mean;
    mean += delta / i;
    m2 += delta * (x - mean);
  }
  return {mean, m2 / (kDraws - 1)};
}

void expect_moments(const Distribution& d, double mean, double variance, double mu4,
                    std::uint64_t seed) {
  SCOPED_TRACE(d.describe());
  EXPECT_DOUBLE_EQ(d.mean(), mean);
  EXPECT_NEAR(d.variance(), variance, 1e-12 * variance);
  const SampleMoments s = draw_moments(d, seed);
  EXPECT_NEAR(s.mean, mean, kStandardErrors * std::sqrt(variance / kDraws));
  EXPECT_NEAR(s.variance, variance,
              kStandardErrors * std::sqrt((mu4 - variance * variance) / kDraws));
}

TEST(DistributionTest, DefaultIsConstantZero) {
  const Distribution d;
  EXPECT_EQ(d, Distribution::constant(0));
  Rng rng(1);
  EXPECT_EQ(d.sample(rng), 0.0);
}

TEST(DistributionTest, ConstantAlwaysReturnsItsValue) {
  const Distribution d = Distribution::constant(2.5);
  Rng rng(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(d.sample(rng), 2.5);
  EXPECT_EQ(d.mean(), 2.5);
  EXPECT_EQ(d.variance(), 0.0);
}

TEST(DistributionTest, UniformMomentsMatchTheory) {
  const double lo = -1, hi = 3, w = hi - lo;
  expect_moments(Distribution::uniform(lo, hi), (lo + hi) / 2, w * w / 12, w * w * w * w / 80, 2);
}

TEST(DistributionTest, UniformStaysInItsHalfOpenRange) {
  Rng rng(3);
  for (int i = 0; i < 10'000; ++i) {
    const double x = sample_uniform(rng, 5, 6);
    ASSERT_GE(x, 5);
    ASSERT_LT(x, 6);
  }
}

TEST(DistributionTest, ExponentialMomentsMatchTheory) {
  const double m = 2.0;
  expect_moments(Distribution::exponential(m), m, m * m, 9 * m * m * m * m, 4);
}

TEST(DistributionTest, ExponentialIsPositiveAndFinite) {
  Rng rng(5);
  for (int i = 0; i < 100'000; ++i) {
    const double x = sample_exponential(rng, 1.0);
    ASSERT_GE(x, 0);
    ASSERT_TRUE(std::isfinite(x));
  }
}

TEST(DistributionTest, ExponentialTailMatchesTheory) {
  // P(X > 3 mean) = e^-3; a binomial proportion with standard error sqrt(p(1-p)/N).
  Rng rng(6);
  int above = 0;
  for (int i = 0; i < kDraws; ++i) above += sample_exponential(rng, 10.0) > 30.0 ? 1 : 0;
  const double p = std::exp(-3.0);
  EXPECT_NEAR(static_cast<double>(above) / kDraws, p,
              kStandardErrors * std::sqrt(p * (1 - p) / kDraws));
}

TEST(DistributionTest, NormalMomentsMatchTheory) {
  const double mean = 10, sd = 3;
  expect_moments(Distribution::normal(mean, sd), mean, sd * sd, 3 * sd * sd * sd * sd, 7);
}

TEST(DistributionTest, NormalIsSymmetricAboutItsMean) {
  // P(X < mean) = 1/2, within kStandardErrors binomial standard errors.
  Rng rng(8);
  int below = 0;
  for (int i = 0; i < kDraws; ++i) below += sample_normal(rng, -4, 2) < -4 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(below) / kDraws, 0.5, kStandardErrors * std::sqrt(0.25 / kDraws));
}

TEST(DistributionTest, LognormalMomentsMatchTheory) {
  const double mu = 0.5, sigma = 0.4;
  auto raw = [&](double k) { return std::exp(k * mu + k * k * sigma * sigma / 2); };
  const double mean = raw(1);
  const double variance = raw(2) - mean * mean;
  expect_moments(Distribution::lognormal(mu, sigma), mean, variance,
                 central_fourth(raw(1), raw(2), raw(3), raw(4)), 9);
}

TEST(DistributionTest, ParetoMomentsMatchTheoryForShapeAbove4) {
  // Shape 5: the fourth moment exists, so the sample variance has a finite standard error.
  const double xm = 2, a = 5;
  auto raw = [&](double k) { return a * std::pow(xm, k) / (a - k); };
  const double mean = raw(1);
  const double variance = raw(2) - mean * mean;
  expect_moments(Distribution::pareto(xm, a), mean, variance,
                 central_fourth(raw(1), raw(2), raw(3), raw(4)), 10);
}

TEST(DistributionTest, ParetoMeanMatchesTheoryForShapeBetween2And4) {
  // Shape 2.5: finite variance (so the sample mean has a standard error), heavy tail.
  const Distribution d = Distribution::pareto(1.0, 2.5);
  const double mean = 2.5 / 1.5;
  const double variance = 2.5 / (1.5 * 1.5 * 0.5);
  EXPECT_DOUBLE_EQ(d.mean(), mean);
  EXPECT_DOUBLE_EQ(d.variance(), variance);
  const SampleMoments s = draw_moments(d, 11);
  EXPECT_NEAR(s.mean, mean, kStandardErrors * std::sqrt(variance / kDraws));
}

TEST(DistributionTest, ParetoNeverGoesBelowItsScale) {
  Rng rng(12);
  for (int i = 0; i < 100'000; ++i) ASSERT_GE(sample_pareto(rng, 3.0, 1.1), 3.0);
}

TEST(DistributionTest, ParetoMomentsAreInfiniteWhereUndefined) {
  EXPECT_TRUE(std::isinf(Distribution::pareto(1, 2).variance()));
  EXPECT_TRUE(std::isinf(Distribution::pareto(1, 1.5).variance()));
  EXPECT_DOUBLE_EQ(Distribution::pareto(1, 1.5).mean(), 3.0);
  EXPECT_TRUE(std::isinf(Distribution::pareto(1, 1).mean()));
  EXPECT_TRUE(std::isinf(Distribution::pareto(1, 0.5).mean()));
}

TEST(DistributionTest, SameSeedGivesTheSameDrawsForEveryKind) {
  const std::vector<Distribution> all = {
      Distribution::constant(1),  Distribution::uniform(0, 1),   Distribution::exponential(3),
      Distribution::normal(0, 1), Distribution::lognormal(0, 1), Distribution::pareto(1, 1.5)};
  for (const Distribution& d : all) {
    Rng a(99);
    Rng b(99);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(d.sample(a), d.sample(b)) << d.describe();
  }
}

TEST(DistributionTest, DrawsConsumeAFixedNumberOfRngOutputs) {
  // Inversion samplers use exactly one output per draw, so streams stay aligned across kinds.
  for (const Distribution& d :
       {Distribution::uniform(0, 1), Distribution::exponential(1), Distribution::pareto(1, 2)}) {
    Rng used(5);
    Rng reference(5);
    d.sample(used);
    reference.next_u64();
    EXPECT_EQ(used.next_u64(), reference.next_u64()) << d.describe();
  }
}

// ---------------------------------------------------------------------------------------------
// Zipf

// H(n, s) = sum_{k=1..n} k^-s: summed exactly up to 10^6 terms, beyond that the first 10^4
// terms plus the Euler-Maclaurin tail (error far below 1e-12 relative).
double generalized_harmonic(std::uint64_t n, double s) {
  const std::uint64_t exact = std::min<std::uint64_t>(n, n <= 1'000'000 ? n : 10'000);
  double h = 0;
  for (std::uint64_t k = exact; k >= 1; --k) h += std::pow(static_cast<double>(k), -s);
  if (exact == n) return h;
  const double a = static_cast<double>(exact);
  const double b = static_cast<double>(n);
  const double integral =
      s == 1.0 ? std::log(b / a) : (std::pow(b, 1 - s) - std::pow(a, 1 - s)) / (1 - s);
  // sum_{k=a+1..b} f(k) = integral + (f(b) - f(a)) / 2 + (f'(b) - f'(a)) / 12 - ...
  const double f_a = std::pow(a, -s), f_b = std::pow(b, -s);
  const double df_a = -s * std::pow(a, -s - 1), df_b = -s * std::pow(b, -s - 1);
  return h + integral + (f_b - f_a) / 2 + (df_b - df_a) / 12;
}

// Checks the empirical frequency of ranks 0..9 against p(k) = (k+1)^-s / H(n, s), each within
// kStandardErrors binomial standard errors sqrt(p (1 - p) / N).
void expect_top_ranks(std::uint64_t n, double s, std::uint64_t seed) {
  SCOPED_TRACE("n=" + std::to_string(n) + " s=" + std::to_string(s));
  const Zipf zipf(n, s);
  Rng rng(seed);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t k = zipf.sample(rng);
    ASSERT_LT(k, n);
    if (k < 10) ++counts[k];
  }
  const double h = generalized_harmonic(n, s);
  for (std::uint64_t k = 0; k < 10 && k < n; ++k) {
    const double p = std::pow(static_cast<double>(k + 1), -s) / h;
    EXPECT_NEAR(static_cast<double>(counts[k]) / kDraws, p,
                kStandardErrors * std::sqrt(p * (1 - p) / kDraws))
        << "rank " << k;
  }
}

TEST(ZipfTest, ExponentZeroIsUniform) { expect_top_ranks(1000, 0.0, 20); }
TEST(ZipfTest, TopRanksMatchTheoryBelowOne) { expect_top_ranks(1000, 0.8, 21); }
TEST(ZipfTest, TopRanksMatchTheoryAtOne) { expect_top_ranks(1000, 1.0, 22); }
TEST(ZipfTest, TopRanksMatchTheoryAboveOne) { expect_top_ranks(1000, 1.2, 23); }

TEST(ZipfTest, TopRanksMatchTheoryForAHundredMillionItems) {
  expect_top_ranks(100'000'000, 0.8, 24);
  expect_top_ranks(100'000'000, 1.0, 25);
  expect_top_ranks(100'000'000, 1.2, 26);
}

TEST(ZipfTest, WholeDistributionPassesChiSquare) {
  // All 50 ranks at s = 1: the chi-square statistic (49 degrees of freedom: mean 49, standard
  // deviation sqrt(98)) must stay below mean + 6 standard deviations.
  constexpr std::uint64_t kN = 50;
  const Zipf zipf(kN, 1.0);
  Rng rng(27);
  std::vector<int> counts(kN, 0);
  for (int i = 0; i < kDraws; ++i) ++counts[zipf.sample(rng)];
  const double h = generalized_harmonic(kN, 1.0);
  double chi2 = 0;
  for (std::uint64_t k = 0; k < kN; ++k) {
    const double expected = kDraws / (static_cast<double>(k + 1) * h);
    chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
  }
  EXPECT_LT(chi2, 49 + 6 * std::sqrt(98.0));
}

TEST(ZipfTest, SingleItemAlwaysReturnsRankZero) {
  const Zipf zipf(1, 1.5);
  Rng rng(28);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(zipf.sample(rng), 0u);
}

TEST(ZipfTest, SameSeedGivesTheSameRanks) {
  const Zipf zipf(1'000'000, 0.99);
  Rng a(29);
  Rng b(29);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(zipf.sample(a), zipf.sample(b));
}

// ---------------------------------------------------------------------------------------------
// Distribution::make and describe

TEST(DistributionMakeTest, BuildsEveryKindFromItsParameters) {
  struct Case {
    std::string kind;
    std::map<std::string, double> params;
    Distribution want;
  };
  const std::vector<Case> cases = {
      {"constant", {{"value", 4}}, Distribution::constant(4)},
      {"uniform", {{"min", 1}, {"max", 3}}, Distribution::uniform(1, 3)},
      {"exponential", {{"mean", 2}}, Distribution::exponential(2)},
      {"normal", {{"mean", 1}, {"stddev", 0.5}}, Distribution::normal(1, 0.5)},
      {"lognormal", {{"mu", 0}, {"sigma", 1}}, Distribution::lognormal(0, 1)},
      {"pareto", {{"scale", 1}, {"shape", 2.5}}, Distribution::pareto(1, 2.5)},
  };
  for (const Case& c : cases) {
    const Result<Distribution> got = Distribution::make(c.kind, c.params);
    ASSERT_TRUE(got.ok()) << c.kind << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.kind;
  }
}

TEST(DistributionMakeTest, KindNamesListsEveryKindInOrder) {
  EXPECT_EQ(Distribution::kind_names(),
            (std::vector<std::string>{"constant", "uniform", "exponential", "normal", "lognormal",
                                      "pareto"}));
  EXPECT_EQ(Distribution::kind_name(Distribution::Kind::kPareto), "pareto");
}

std::string make_error(std::string_view kind, const std::map<std::string, double>& params) {
  const Result<Distribution> r = Distribution::make(kind, params);
  return r.ok() ? "<ok>" : r.error().message;
}

TEST(DistributionMakeTest, RejectsOutOfRangeValuesNamingParameterValueAndExpectation) {
  EXPECT_EQ(make_error("exponential", {{"mean", -1}}), "exponential needs mean > 0, got -1");
  EXPECT_EQ(make_error("exponential", {{"mean", 0}}), "exponential needs mean > 0, got 0");
  EXPECT_EQ(make_error("normal", {{"mean", 0}, {"stddev", -0.5}}),
            "normal needs stddev >= 0, got -0.5");
  EXPECT_EQ(make_error("lognormal", {{"mu", 0}, {"sigma", -2}}),
            "lognormal needs sigma >= 0, got -2");
  EXPECT_EQ(make_error("pareto", {{"scale", 0}, {"shape", 2}}), "pareto needs scale > 0, got 0");
  EXPECT_EQ(make_error("pareto", {{"scale", 1}, {"shape", -3}}), "pareto needs shape > 0, got -3");
  EXPECT_EQ(make_error("uniform", {{"min", 3}, {"max", 1}}),
            "uniform needs min <= max, got min=3, max=1");
}

TEST(DistributionMakeTest, RejectsNonFiniteValues) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(make_error("constant", {{"value", inf}}), "constant needs value finite, got inf");
  EXPECT_EQ(make_error("normal", {{"mean", std::nan("")}, {"stddev", 1}}),
            "normal needs mean finite, got nan");
}

TEST(DistributionMakeTest, RejectsUnknownKindListingTheKnownOnes) {
  EXPECT_EQ(make_error("gamma", {{"shape", 1}}),
            "unknown distribution 'gamma'; expected one of: constant, uniform, exponential, "
            "normal, lognormal, pareto");
}

TEST(DistributionMakeTest, RejectsUnknownParameterListingTheExpectedOnes) {
  EXPECT_EQ(make_error("exponential", {{"rate", 2}}),
            "exponential has no parameter 'rate'; expected: mean");
  EXPECT_EQ(make_error("uniform", {{"min", 0}, {"max", 1}, {"mode", 0.5}}),
            "uniform has no parameter 'mode'; expected: min, max");
}

TEST(DistributionMakeTest, RejectsMissingParameter) {
  EXPECT_EQ(make_error("normal", {{"mean", 1}}),
            "normal needs parameter 'stddev' (parameters: mean, stddev)");
  EXPECT_EQ(make_error("constant", {}), "constant needs parameter 'value' (parameters: value)");
}

TEST(DistributionTest, DescribeNamesKindAndParameters) {
  EXPECT_EQ(Distribution::exponential(2).describe(), "exponential(mean=2)");
  EXPECT_EQ(Distribution::uniform(1, 3.5).describe(), "uniform(min=1, max=3.5)");
  EXPECT_EQ(Distribution::normal(0.1, 1e-3).describe(), "normal(mean=0.1, stddev=0.001)");
  EXPECT_EQ(Distribution::lognormal(-1, 0.25).describe(), "lognormal(mu=-1, sigma=0.25)");
  EXPECT_EQ(Distribution::pareto(1, 2.5).describe(), "pareto(scale=1, shape=2.5)");
  EXPECT_EQ(Distribution::constant(7).describe(), "constant(value=7)");
}

TEST(DistributionTest, AccessorsReturnTheParameters) {
  const Distribution n = Distribution::normal(1.5, 0.5);
  EXPECT_EQ(n.kind(), Distribution::Kind::kNormal);
  EXPECT_EQ(n.mean_param(), 1.5);
  EXPECT_EQ(n.stddev(), 0.5);
  const Distribution u = Distribution::uniform(-2, 2);
  EXPECT_EQ(u.lo(), -2);
  EXPECT_EQ(u.hi(), 2);
  const Distribution p = Distribution::pareto(3, 4);
  EXPECT_EQ(p.scale(), 3);
  EXPECT_EQ(p.shape(), 4);
  const Distribution l = Distribution::lognormal(0.1, 0.2);
  EXPECT_EQ(l.mu(), 0.1);
  EXPECT_EQ(l.sigma(), 0.2);
  EXPECT_EQ(Distribution::constant(9).value(), 9);
  EXPECT_EQ(Distribution::exponential(4).mean_param(), 4);
}

}  // namespace
}  // namespace hlsim
