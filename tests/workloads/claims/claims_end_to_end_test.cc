// The claims workload end to end through an in-test ledger (ordering_driver.h): drafts at
// arrival, ordering into blocks, the contract, the metrics, and payers and providers reacting to
// what committed.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/workloads/claims/claims_test_util.h"
#include "tests/workloads/claims/ordering_driver.h"
#include "workloads/claims/claims_workload.h"

namespace hlsim::claims {
namespace {

using test_util::config_with;
using testing::OrderingDriver;

constexpr std::uint32_t kClients = 6;  // payers 0, 1; providers 2..5
constexpr std::size_t kApplied = static_cast<std::size_t>(TxOutcome::kApplied);
constexpr std::size_t kDenied = static_cast<std::size_t>(TxOutcome::kDenied);
constexpr std::size_t kInvalid = static_cast<std::size_t>(TxOutcome::kInvalid);

std::uint16_t code(Kind k) { return static_cast<std::uint16_t>(k); }

// 120 simulated seconds, a draft per client every 20 ms on average, a block every 100 ms, and
// 20-second days so that service days roll over.
OrderingDriver::Options options() {
  OrderingDriver::Options o;
  o.seed = 7;
  o.mean_gap_ns = 20 * kNsPerMs;
  o.block_interval_ns = 100 * kNsPerMs;
  return o;
}
constexpr TimeNs kRunNs = 120 * kNsPerSec;
constexpr TimeNs kDayNs = 20 * kNsPerSec;

TEST(ClaimsEndToEndTest, LongRunDeniesEveryFraudAndNoHonestClaimAndPaysWhatWasApproved) {
  ClaimsWorkload w(config_with(
      kClients,
      {{"patients", "5000"}, {"fraud_fraction", "0.1"}, {"annual_limit_usd", "1000000000"}},
      kDayNs));
  OrderingDriver d(w, kClients, options());
  d.run(kRunNs);

  const auto& honest = d.counts(code(Kind::kClaimSubmit));
  EXPECT_GT(honest[kApplied], 15'000u);
  EXPECT_EQ(honest[kDenied], 0u);
  EXPECT_EQ(honest[kInvalid], 0u);
  for (Kind fraud : {Kind::kFraudDuplicateClaim, Kind::kFraudUpcodedClaim}) {
    const auto& c = d.counts(code(fraud));
    EXPECT_GT(c[kDenied], 500u) << kind_name(code(fraud));
    EXPECT_EQ(c[kApplied], 0u) << kind_name(code(fraud));
    EXPECT_EQ(c[kInvalid], 0u) << kind_name(code(fraud));
  }
  const auto& payments = d.counts(code(Kind::kPayment));
  EXPECT_GT(payments[kApplied], 1'000u);
  EXPECT_EQ(payments[kDenied] + payments[kInvalid], 0u);
  const auto& enrolments = d.counts(code(Kind::kEnroll));
  EXPECT_GT(enrolments[kApplied], 0u);
  EXPECT_EQ(enrolments[kDenied] + enrolments[kInvalid], 0u);

  EXPECT_EQ(d.figure("contract_mismatch"), 0);
  EXPECT_EQ(d.figure("honest_claims_denied"), 0);
  EXPECT_EQ(d.figure("fraud_duplicate_accepted"), 0);
  EXPECT_EQ(d.figure("fraud_upcoded_accepted"), 0);
  EXPECT_EQ(d.figure("fraud_detection_rate"), 100);
  EXPECT_EQ(d.figure("claims_denied_not_member"), 0);
  EXPECT_EQ(d.figure("claims_denied_all_lines"), 0);
  EXPECT_NEAR(d.figure("lines_per_claim_mean"), 5.35, 0.15);
  EXPECT_GT(d.figure("lines_denied_in_approved_claims"), 0);
  // Payers pay at their next draft after observing: the last blocks' claims may be unpaid.
  EXPECT_LT(d.figure("claims_unpaid_end"), 0.01 * d.figure("claims_approved"));
  EXPECT_GT(d.figure("paid_usd"), 0.99 * d.figure("approved_usd"));
  EXPECT_LE(d.figure("paid_usd"), d.figure("approved_usd"));
  // A claim is paid in the block after its payer's next draft: 100-200 ms here.
  EXPECT_GE(d.figure("claim_to_payment_p50"), 100);
  EXPECT_LE(d.figure("claim_to_payment_p99"), 300);
}

TEST(ClaimsEndToEndTest, WithALowAnnualLimitHonestClaimsAreDeniedOnlyForTheLimit) {
  ClaimsWorkload w(config_with(kClients,
                               {{"patients", "200"},
                                {"zipf_s", "1.2"},
                                {"fraud_fraction", "0.1"},
                                {"uncovered_line_fraction", "0"},
                                {"annual_limit_usd", "2000"}},
                               kDayNs));
  OrderingDriver d(w, kClients, options());
  d.run(kRunNs / 4);

  const auto& honest = d.counts(code(Kind::kClaimSubmit));
  EXPECT_GT(honest[kDenied], 100u);
  EXPECT_EQ(d.figure("honest_claims_denied"), static_cast<double>(honest[kDenied]));
  // Every whole-claim denial of an honest claim is the limit's (no line is off-plan here).
  EXPECT_EQ(d.figure("claims_denied_all_lines"), static_cast<double>(honest[kDenied]));
  EXPECT_EQ(d.figure("fraud_duplicate_accepted"), 0);
  EXPECT_EQ(d.figure("fraud_upcoded_accepted"), 0);
  EXPECT_EQ(d.figure("contract_mismatch"), 0);
  EXPECT_EQ(d.counts(code(Kind::kPayment))[kDenied], 0u);
}

TEST(ClaimsEndToEndTest, TheSameSeedGivesTheSameFigures) {
  const ClaimsConfig config = config_with(kClients, {{"fraud_fraction", "0.1"}}, kDayNs);
  std::vector<std::vector<double>> runs;
  for (int i = 0; i < 2; ++i) {
    ClaimsWorkload w(config);
    OrderingDriver d(w, kClients, options());
    d.run(10 * kNsPerSec);
    std::vector<double> values;
    for (const WorkloadFigure& f : d.metrics()->figures()) values.push_back(f.value);
    runs.push_back(values);
  }
  EXPECT_EQ(runs[0], runs[1]);
}

}  // namespace
}  // namespace hlsim::claims
