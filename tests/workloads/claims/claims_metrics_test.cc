// ClaimsMetrics on hand-made sequences: counts, amounts, fraud detection, payment delays, and
// the replica's cross-check of the ledger's outcomes.
#include "workloads/claims/claims_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace hlsim::claims {
namespace {

constexpr ClaimsRules kRules{
    .organisations = 5, .payers = 2, .patients = 100, .annual_limit_cents = 100'000};
constexpr std::uint64_t kPatient = 9;  // payer 1, Standard plan

Transaction claim_tx(Kind kind, std::uint32_t provider, std::uint64_t seq,
                     std::vector<ClaimLine> lines) {
  Claim c;
  c.claim_seq = seq;
  c.provider = provider;
  c.patient = kPatient;
  c.payer = 1;
  c.service_day = 3;
  c.lines = std::move(lines);
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.client = provider;
  tx.payload = encode(c);
  return tx;
}

Transaction payment_tx(std::uint32_t payer, std::vector<ClaimRef> refs) {
  Payment p;
  p.payer = payer;
  p.claims = std::move(refs);
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(Kind::kPayment);
  tx.client = payer;
  tx.payload = encode(p);
  return tx;
}

double figure(const WorkloadMetrics& m, const std::string& name) {
  for (const WorkloadFigure& f : m.figures()) {
    if (f.name == name) return f.value;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

const ClaimLine kVisit{99213, 1, 24, 9'200};
const ClaimLine kEcg{93000, 1, 0, 1'600};
const ClaimLine kTherapy{97110, 1, 0, 2'900};  // not covered by Standard

TEST(ClaimsMetricsTest, CountsAmountsFraudsAndPaymentDelayOverAHandMadeSequence) {
  ClaimsMetrics m(kRules);
  // Claim 2/0 approved in full ($108) at 1 s; claim 3/0 approved in part ($92 of $121) at 1 s.
  m.on_commit(claim_tx(Kind::kClaimSubmit, 2, 0, {kVisit, kEcg}), TxOutcome::kApplied, kNsPerSec);
  m.on_commit(claim_tx(Kind::kClaimSubmit, 3, 0, {kVisit, kTherapy}), TxOutcome::kApplied,
              kNsPerSec);
  // A duplicate of 2/0 and an upcoded claim, both denied.
  m.on_commit(claim_tx(Kind::kFraudDuplicateClaim, 2, 1, {kEcg, kVisit}), TxOutcome::kDenied,
              2 * kNsPerSec);
  m.on_commit(claim_tx(Kind::kFraudUpcodedClaim, 4, 0, {{99215, 1, 25, 18'300}}),
              TxOutcome::kDenied, 2 * kNsPerSec);
  // 2/0 is paid at 3 s (2,000 ms after its commit), 3/0 at 5 s (4,000 ms); a second payment of
  // 2/0 is denied.
  m.on_commit(payment_tx(1, {{2, 0}}), TxOutcome::kApplied, 3 * kNsPerSec);
  m.on_commit(payment_tx(1, {{2, 0}}), TxOutcome::kDenied, 4 * kNsPerSec);
  m.on_commit(payment_tx(1, {{3, 0}}), TxOutcome::kApplied, 5 * kNsPerSec);

  EXPECT_EQ(figure(m, "claims_committed"), 4);
  EXPECT_EQ(figure(m, "claims_approved"), 2);
  EXPECT_EQ(figure(m, "claims_denied"), 2);
  EXPECT_EQ(figure(m, "claims_denied_duplicate"), 1);
  EXPECT_EQ(figure(m, "claims_denied_upcoded"), 1);
  EXPECT_EQ(figure(m, "claims_denied_not_member"), 0);
  EXPECT_EQ(figure(m, "honest_claims_denied"), 0);
  EXPECT_DOUBLE_EQ(figure(m, "lines_per_claim_mean"), 7.0 / 4);
  EXPECT_EQ(figure(m, "lines_denied_in_approved_claims"), 1);
  EXPECT_DOUBLE_EQ(figure(m, "approved_usd"), 108 + 92);
  EXPECT_DOUBLE_EQ(figure(m, "paid_usd"), 108 + 92);
  EXPECT_EQ(figure(m, "payments_applied"), 2);
  EXPECT_EQ(figure(m, "payments_denied"), 1);
  EXPECT_EQ(figure(m, "fraud_duplicate_detected"), 1);
  EXPECT_EQ(figure(m, "fraud_duplicate_accepted"), 0);
  EXPECT_EQ(figure(m, "fraud_upcoded_detected"), 1);
  EXPECT_EQ(figure(m, "fraud_upcoded_accepted"), 0);
  EXPECT_DOUBLE_EQ(figure(m, "fraud_detection_rate"), 100);
  EXPECT_DOUBLE_EQ(figure(m, "claim_to_payment_p50"), 2'000);
  EXPECT_DOUBLE_EQ(figure(m, "claim_to_payment_p99"), 4'000);
  EXPECT_EQ(figure(m, "claims_unpaid_end"), 0);
  EXPECT_EQ(figure(m, "contract_mismatch"), 0);
}

TEST(ClaimsMetricsTest, AnAcceptedFraudLowersTheDetectionRate) {
  ClaimsMetrics m(kRules);
  // An honest-looking payload under a fraud label is applied by the contract: the figures count
  // what the ledger did.
  m.on_commit(claim_tx(Kind::kFraudUpcodedClaim, 2, 0, {kVisit}), TxOutcome::kApplied, 1);
  m.on_commit(claim_tx(Kind::kFraudUpcodedClaim, 2, 1, {{99215, 1, 25, 18'300}}),
              TxOutcome::kDenied, 2);
  EXPECT_EQ(figure(m, "fraud_upcoded_accepted"), 1);
  EXPECT_DOUBLE_EQ(figure(m, "fraud_detection_rate"), 50);
  EXPECT_EQ(figure(m, "claims_unpaid_end"), 1);
}

TEST(ClaimsMetricsTest, NoFraudsAndNoPaymentsLeaveTheirFiguresOut) {
  ClaimsMetrics m(kRules);
  m.on_commit(claim_tx(Kind::kClaimSubmit, 2, 0, {kVisit}), TxOutcome::kApplied, 1);
  EXPECT_TRUE(std::isnan(figure(m, "fraud_detection_rate")));
  EXPECT_TRUE(std::isnan(figure(m, "claim_to_payment_p50")));
}

TEST(ClaimsMetricsTest, OutcomeDifferingFromTheReplicaIsCountedAndInvalidOnesAreNotReplayed) {
  ClaimsMetrics m(kRules);
  m.on_commit(claim_tx(Kind::kClaimSubmit, 2, 0, {kVisit}), TxOutcome::kDenied, 1);
  EXPECT_EQ(figure(m, "contract_mismatch"), 1);
  EXPECT_EQ(figure(m, "honest_claims_denied"), 1);
  // Invalid (e.g. a bad signature): not replayed, so the same claim number is still free.
  m.on_commit(claim_tx(Kind::kClaimSubmit, 3, 0, {kVisit}), TxOutcome::kInvalid, 2);
  m.on_commit(claim_tx(Kind::kClaimSubmit, 3, 0, {kEcg}), TxOutcome::kApplied, 3);
  EXPECT_EQ(figure(m, "ledger_invalid"), 1);
  EXPECT_EQ(figure(m, "contract_mismatch"), 1);
  EXPECT_EQ(figure(m, "claims_committed"), 2);
}

}  // namespace
}  // namespace hlsim::claims
