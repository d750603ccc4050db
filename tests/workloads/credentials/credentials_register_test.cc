// The register conventions: licence holders, issue times, lapses, and the revocation schedule.
#include "workloads/credentials/credentials_register.h"

#include <gtest/gtest.h>

#include <set>

namespace hlsim::credentials {
namespace {

RegisterConfig config(std::uint64_t clinicians, std::uint32_t boards = 2,
                      double revocations_per_day = 24) {
  RegisterConfig c;
  c.seed = 99;
  c.boards = boards;
  c.clinicians = clinicians;
  c.multi_licence_fraction = 0.24;
  c.lapse_fraction = 0.01;
  c.interval_ns = 1'095 * kNsPerSec;  // days of one second
  c.revocations_per_day = revocations_per_day;
  c.day_ns = kNsPerSec * 3'600;  // one revocation due every 150 s
  return c;
}

TEST(CredentialsRegisterTest, RevocationScheduleIsAPermutationOfTheRegister) {
  for (std::uint64_t n : {1u, 2u, 7u, 12u, 1'000u, 1'024u}) {
    const Register reg(config(n));
    std::set<std::uint64_t> seen;
    for (std::uint64_t k = 0; k < n; ++k) {
      const std::uint64_t c = reg.revoked_clinician(k);
      ASSERT_LT(c, n);
      EXPECT_TRUE(seen.insert(c).second) << "n " << n << " k " << k;
      EXPECT_EQ(reg.revocation_index(c), k) << "n " << n;
    }
  }
}

TEST(CredentialsRegisterTest, RevocationsFallDueAtEvenSpacingAndEndWithTheRegister) {
  const Register reg(config(10));
  const TimeNs spacing = 150 * kNsPerSec;
  EXPECT_EQ(reg.revocations_due(0), 0u);
  EXPECT_EQ(reg.revocations_due(spacing - 1), 0u);
  EXPECT_EQ(reg.revocations_due(spacing), 1u);
  EXPECT_EQ(reg.revocation_due_ns(0), spacing);
  EXPECT_EQ(reg.revocations_due(3 * spacing + 5), 3u);
  EXPECT_EQ(reg.revocations_due(1'000 * spacing), 10u);
  const std::uint64_t first = reg.revoked_clinician(0);
  EXPECT_FALSE(reg.revocation_due(first, spacing - 1));
  EXPECT_TRUE(reg.revocation_due(first, spacing));
  EXPECT_FALSE(reg.revocation_due(10, 1'000 * spacing));  // not in the register

  const Register off(config(10, 2, 0));
  EXPECT_FALSE(off.revocations_on());
  EXPECT_EQ(off.revocations_due(1'000'000 * spacing), 0u);
}

TEST(CredentialsRegisterTest, HoldersIssueTimesAndFractionsFollowTheConvention) {
  const Register reg(config(20'000));
  int multi = 0;
  int lapsing = 0;
  double issue_sum = 0;
  for (std::uint64_t c = 0; c < 20'000; ++c) {
    const std::uint32_t primary = reg.primary_board(c);
    EXPECT_EQ(primary, c % 2);
    EXPECT_TRUE(reg.holds(primary, c));
    EXPECT_EQ(reg.holds(reg.secondary_board(c), c), reg.multi_licensed(c));
    multi += reg.multi_licensed(c) ? 1 : 0;
    lapsing += reg.lapses(c) ? 1 : 0;
    const TimeNs issued = reg.register_issue_ns(primary, c);
    EXPECT_LE(issued, 0);
    EXPECT_GT(issued, -1'095 * kNsPerSec);
    EXPECT_EQ(reg.register_expiry_ns(primary, c), issued + 1'095 * kNsPerSec);
    issue_sum += static_cast<double>(issued);
  }
  EXPECT_NEAR(multi / 20'000.0, 0.24, 0.015);
  EXPECT_NEAR(lapsing / 20'000.0, 0.01, 0.003);
  EXPECT_NEAR(issue_sum / 20'000 / kNsPerSec, -547.5, 15);  // uniform over the interval
  EXPECT_FALSE(reg.holds(0, 20'000));
}

TEST(CredentialsRegisterTest, OneBoardMeansOneLicenceEach) {
  const Register reg(config(1'000, 1));
  for (std::uint64_t c = 0; c < 1'000; ++c) EXPECT_FALSE(reg.multi_licensed(c));
}

TEST(CredentialsRegisterTest, NewCliniciansBelongToTheBoardOfTheirIdModulo) {
  const Register reg(config(100, 3));
  EXPECT_TRUE(reg.may_license(100 % 3, 100));
  EXPECT_FALSE(reg.may_license((100 + 1) % 3, 100));
  EXPECT_TRUE(reg.may_license(reg.primary_board(5), 5));
}

TEST(CredentialsRegisterTest, AnotherSeedGivesAnotherRegister) {
  RegisterConfig other = config(1'000);
  other.seed = 100;
  const Register a(config(1'000));
  const Register b(other);
  int differ = 0;
  for (std::uint64_t c = 0; c < 1'000; ++c) {
    differ +=
        a.register_issue_ns(a.primary_board(c), c) != b.register_issue_ns(b.primary_board(c), c);
  }
  EXPECT_GT(differ, 990);
  EXPECT_NE(a.revoked_clinician(0) * 1'000 + a.revoked_clinician(1),
            b.revoked_clinician(0) * 1'000 + b.revoked_clinician(1));
}

}  // namespace
}  // namespace hlsim::credentials
