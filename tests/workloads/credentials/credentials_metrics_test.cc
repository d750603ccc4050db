// CredentialsMetrics on hand-made sequences: verification results by reason, revocation latency,
// exposure, and the check that nothing verifies after its revocation.
#include "workloads/credentials/credentials_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "workloads/credentials/credentials_payloads.h"

namespace hlsim::credentials {
namespace {

constexpr TimeNs kInterval = 1'000 * kNsPerSec;

Register make_register() {
  RegisterConfig c;
  c.seed = 5;
  c.boards = 2;
  c.clinicians = 100;
  c.interval_ns = kInterval;
  c.day_ns = kNsPerSec;
  return Register(c);
}

Transaction licence_tx(Kind kind, std::uint32_t board, std::uint64_t clinician, TimeNs submit) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.client = board;
  tx.submit_ns = submit;
  tx.payload = encode(LicenceAction{clinician, board, {}});
  return tx;
}

Transaction verify_tx(std::uint32_t board, std::uint64_t clinician, Kind kind = Kind::kVerify) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.client = 2;
  tx.payload = encode(Verification{clinician, board, 2, {}});
  return tx;
}

double figure(const WorkloadMetrics& m, const std::string& name) {
  for (const WorkloadFigure& f : m.figures()) {
    if (f.name == name) return f.value;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

TEST(CredentialsMetricsTest, RevocationLatencyExposureAndReasonsOverAHandMadeSequence) {
  const Register reg = make_register();
  CredentialsMetrics m(reg);
  const std::uint64_t c = 10;
  const std::uint32_t b = reg.primary_board(c);
  // Applied checks at 1 s, 2 s and 3 s; the revoke is submitted at 2 s and commits at 4 s: the
  // checks at 2 s and 3 s were accepted while it was in flight.
  m.on_commit(verify_tx(b, c), TxOutcome::kApplied, 1 * kNsPerSec);
  m.on_commit(verify_tx(b, c), TxOutcome::kApplied, 2 * kNsPerSec);
  m.on_commit(verify_tx(b, c, Kind::kVerifyRevoked), TxOutcome::kApplied, 3 * kNsPerSec);
  m.on_commit(licence_tx(Kind::kRevoke, b, c, 2 * kNsPerSec), TxOutcome::kApplied, 4 * kNsPerSec);
  m.on_commit(verify_tx(b, c, Kind::kVerifyRevoked), TxOutcome::kDenied, 5 * kNsPerSec);
  // A second revocation, without exposure, 500 ms in flight.
  const std::uint64_t c2 = 11;
  const std::uint32_t b2 = reg.primary_board(c2);
  m.on_commit(licence_tx(Kind::kRevoke, b2, c2, 5'500 * kNsPerMs), TxOutcome::kApplied,
              6 * kNsPerSec);
  // Unknown (board 0 never licensed clinician 1,001) and expired (past the register expiry).
  m.on_commit(verify_tx(0, 1'001), TxOutcome::kDenied, 6 * kNsPerSec);
  const std::uint64_t c3 = 12;
  const std::uint32_t b3 = reg.primary_board(c3);
  m.on_commit(verify_tx(b3, c3), TxOutcome::kDenied, reg.register_expiry_ns(b3, c3));

  EXPECT_EQ(figure(m, "verify_applied"), 3);
  EXPECT_EQ(figure(m, "verify_revoked_applied"), 1);
  EXPECT_EQ(figure(m, "verify_denied_revoked"), 1);
  EXPECT_EQ(figure(m, "verify_denied_unknown"), 1);
  EXPECT_EQ(figure(m, "verify_denied_expired"), 1);
  EXPECT_EQ(figure(m, "verify_applied_after_revocation"), 0);
  EXPECT_EQ(figure(m, "revocations_applied"), 2);
  EXPECT_EQ(figure(m, "revocation_exposure"), 2);
  EXPECT_EQ(figure(m, "revocations_with_exposure"), 1);
  EXPECT_DOUBLE_EQ(figure(m, "revoke_to_enforcement_p50"), 500);
  EXPECT_DOUBLE_EQ(figure(m, "revoke_to_enforcement_p99"), 2'000);
  EXPECT_DOUBLE_EQ(figure(m, "revoke_to_enforcement_max"), 2'000);
}

TEST(CredentialsMetricsTest, AnAppliedVerificationAfterTheRevocationIsCounted) {
  const Register reg = make_register();
  CredentialsMetrics m(reg);
  const std::uint32_t b = reg.primary_board(20);
  m.on_commit(licence_tx(Kind::kRevoke, b, 20, 0), TxOutcome::kApplied, 1);
  // A ledger that accepted this would be broken: the figure must show it.
  m.on_commit(verify_tx(b, 20), TxOutcome::kApplied, 2);
  EXPECT_EQ(figure(m, "verify_applied_after_revocation"), 1);
}

TEST(CredentialsMetricsTest, ActiveLicencesFollowIssuesRenewalsRevocationsAndExpiry) {
  const Register reg = make_register();
  std::uint64_t held = 0;
  for (std::uint64_t c = 0; c < reg.clinicians(); ++c) {
    held += 1 + (reg.multi_licensed(c) ? 1 : 0);
  }
  CredentialsMetrics m(reg);
  m.on_commit(licence_tx(Kind::kLicenceIssue, 0, 100, 0), TxOutcome::kApplied, 0);
  EXPECT_EQ(figure(m, "licences_active"), static_cast<double>(held + 1));
  m.on_commit(licence_tx(Kind::kRevoke, reg.primary_board(3), 3, 0), TxOutcome::kApplied, 1);
  m.on_commit(licence_tx(Kind::kLicenceIssue, 1, 100, 0), TxOutcome::kDenied, 2);
  EXPECT_EQ(figure(m, "licences_active"), static_cast<double>(held));
  EXPECT_EQ(figure(m, "licences_issued"), 1);
  EXPECT_EQ(figure(m, "licence_issues_denied"), 1);
  // Register licences were issued in (-1000 s, 0] and the new one at 0 s, so at 1,001 s all have
  // expired but one renewed at 500 s (valid until 1,500 s).
  const std::uint64_t c = 7;
  const std::uint32_t b = reg.primary_board(c);
  m.on_commit(licence_tx(Kind::kRecredential, b, c, 0), TxOutcome::kApplied, 500 * kNsPerSec);
  m.on_commit(verify_tx(b, c), TxOutcome::kApplied, 1'001 * kNsPerSec);
  EXPECT_EQ(figure(m, "licences_active"), 1);
  EXPECT_EQ(figure(m, "recredentials_applied"), 1);
}

TEST(CredentialsMetricsTest, NoRevocationLeavesTheLatencyFiguresOut) {
  CredentialsMetrics m(make_register());
  m.on_commit(verify_tx(0, 0), TxOutcome::kApplied, 1);
  EXPECT_TRUE(std::isnan(figure(m, "revoke_to_enforcement_p50")));
  EXPECT_EQ(figure(m, "ledger_invalid"), 0);
  m.on_commit(verify_tx(0, 0), TxOutcome::kInvalid, 2);
  EXPECT_EQ(figure(m, "ledger_invalid"), 1);
}

}  // namespace
}  // namespace hlsim::credentials
