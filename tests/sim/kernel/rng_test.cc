#include "sim/kernel/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace hlsim {
namespace {

// Pinned outputs: xoshiro256** seeded through SplitMix64 is fully specified, so these values must
// be the same with every compiler and standard library. If this test fails, every recorded
// result of every run has changed.
TEST(RngTest, Seed42GivesThePinnedSequence) {
  Rng rng(42);
  EXPECT_EQ(rng.next_u64(), 0x15780b2e0c2ec716ull);
  EXPECT_EQ(rng.next_u64(), 0x6104d9866d113a7eull);
  EXPECT_EQ(rng.next_u64(), 0xae17533239e499a1ull);
  EXPECT_EQ(rng.next_u64(), 0xecb8ad4703b360a1ull);
}

TEST(RngTest, StreamGivesThePinnedSequence) {
  Rng rng = Rng::stream(42, RngDomain::kNode, 3);
  EXPECT_EQ(rng.next_u64(), 0x8f07702de6460f10ull);
  EXPECT_EQ(rng.next_u64(), 0xfc896fe2746588e4ull);
}

TEST(RngTest, NextDoubleIsTheTop53BitsScaled) {
  Rng a(42);
  Rng b(42);
  const double d = a.next_double();
  EXPECT_EQ(d, static_cast<double>(b.next_u64() >> 11) * 0x1.0p-53);
  EXPECT_GE(d, 0.0);
  EXPECT_LT(d, 1.0);
}

TEST(RngTest, SameSeedGivesSameSequence) {
  Rng a(987654321);
  Rng b(987654321);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
}

TEST(RngTest, ReseedRestartsTheSequence) {
  Rng a(7);
  const std::uint64_t first = a.next_u64();
  a.next_u64();
  a.reseed(7);
  EXPECT_EQ(a.next_u64(), first);
}

TEST(RngTest, StreamsDifferAcrossDomainsAndIndices) {
  std::set<std::uint64_t> firsts;
  const RngDomain domains[] = {RngDomain::kNode,     RngDomain::kClient, RngDomain::kNetwork,
                               RngDomain::kWorkload, RngDomain::kKeys,   RngDomain::kScenario};
  int streams = 0;
  for (RngDomain d : domains) {
    for (std::uint64_t index = 0; index < 50; ++index) {
      Rng rng = Rng::stream(42, d, index);
      firsts.insert(rng.next_u64());
      ++streams;
    }
  }
  EXPECT_EQ(firsts.size(), static_cast<std::size_t>(streams));
}

TEST(RngTest, StreamDependsOnTheSeedAndIsReproducible) {
  Rng a = Rng::stream(1, RngDomain::kClient, 5);
  Rng b = Rng::stream(2, RngDomain::kClient, 5);
  Rng c = Rng::stream(1, RngDomain::kClient, 5);
  const std::uint64_t a0 = a.next_u64();
  EXPECT_NE(a0, b.next_u64());
  EXPECT_EQ(a0, c.next_u64());
}

TEST(RngTest, StreamsAreUncorrelated) {
  // Neighbouring streams' draws, as doubles, should show no linear correlation: the sample
  // correlation of independent uniforms has standard error 1/sqrt(N); allow 5 of them.
  constexpr int kN = 100'000;
  Rng a = Rng::stream(42, RngDomain::kNode, 0);
  Rng b = Rng::stream(42, RngDomain::kNode, 1);
  double sum_ab = 0, sum_a = 0, sum_b = 0, sum_aa = 0, sum_bb = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = a.next_double();
    const double y = b.next_double();
    sum_a += x;
    sum_b += y;
    sum_ab += x * y;
    sum_aa += x * x;
    sum_bb += y * y;
  }
  const double cov = sum_ab / kN - (sum_a / kN) * (sum_b / kN);
  const double var_a = sum_aa / kN - (sum_a / kN) * (sum_a / kN);
  const double var_b = sum_bb / kN - (sum_b / kN) * (sum_b / kN);
  EXPECT_LT(std::fabs(cov / std::sqrt(var_a * var_b)), 5.0 / std::sqrt(kN));
}

TEST(RngTest, NextBelowStaysInRange) {
  Rng rng(3);
  for (std::uint64_t n : {1ull, 2ull, 3ull, 1000ull, (1ull << 63) + 5}) {
    for (int i = 0; i < 1000; ++i) ASSERT_LT(rng.next_below(n), n);
  }
}

TEST(RngTest, NextBelowIsUnbiasedForSmallN) {
  // Chi-square goodness of fit against the uniform distribution on 0..n-1. With n-1 degrees of
  // freedom the statistic has mean n-1 and standard deviation sqrt(2(n-1)); the bound is the
  // mean plus 6 standard deviations. (For n this small a modulo bias would be ~2^-60, far below
  // what any sample can show; the large-n test below is the one that catches a biased method.)
  constexpr int kDraws = 300'000;
  Rng rng(11);
  for (std::uint64_t n : {2ull, 3ull, 5ull, 6ull, 7ull, 10ull, 17ull}) {
    std::vector<int> counts(n, 0);
    for (int i = 0; i < kDraws; ++i) ++counts[rng.next_below(n)];
    const double expected = static_cast<double>(kDraws) / static_cast<double>(n);
    double chi2 = 0;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    const double dof = static_cast<double>(n - 1);
    EXPECT_LT(chi2, dof + 6 * std::sqrt(2 * dof)) << "n=" << n;
  }
}

TEST(RngTest, NextBelowIsUnbiasedForAnAwkwardLargeN) {
  // n = 3 * 2^61: plain `next_u64() % n` would hit the lower quarter of the range twice as
  // often as the rest ([0, 2^62) receives two preimages per value, the rest one). Lemire's
  // rejection must give the lower third of the range exactly a third of the draws.
  constexpr std::uint64_t kN = 3ull << 61;
  constexpr int kDraws = 300'000;
  Rng rng(12);
  int low = 0;
  for (int i = 0; i < kDraws; ++i) low += rng.next_below(kN) < (1ull << 61) ? 1 : 0;
  const double p = 1.0 / 3.0;
  const double se = std::sqrt(p * (1 - p) / kDraws);
  EXPECT_NEAR(static_cast<double>(low) / kDraws, p, 5 * se);
}

TEST(RngTest, BernoulliHonoursItsProbability) {
  constexpr int kDraws = 200'000;
  Rng rng(13);
  int hits = 0;
  for (int i = 0; i < kDraws; ++i) hits += rng.bernoulli(0.3) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(hits) / kDraws, 0.3, 5 * std::sqrt(0.3 * 0.7 / kDraws));
  EXPECT_FALSE(rng.bernoulli(0.0));
  EXPECT_TRUE(rng.bernoulli(1.0));
}

TEST(RngTest, IsUsableInConstantExpressions) {
  constexpr std::uint64_t first = [] {
    Rng rng(42);
    return rng.next_u64();
  }();
  static_assert(first == 0x15780b2e0c2ec716ull);
  EXPECT_EQ(first, 0x15780b2e0c2ec716ull);
}

}  // namespace
}  // namespace hlsim
