// The credentials workload end to end through the in-test ledger (ordering_driver.h): boards
// renew and revoke on schedule, hospitals verify, and no verification ordered after a revocation
// is ever accepted.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/workloads/claims/ordering_driver.h"
#include "tests/workloads/credentials/credentials_test_util.h"
#include "workloads/credentials/credentials_state.h"
#include "workloads/credentials/credentials_workload.h"

namespace hlsim::credentials {
namespace {

using test_util::config_with;
using testing::OrderingDriver;

constexpr std::uint32_t kClients = 6;  // boards 0, 1; hospitals 2..5
constexpr std::size_t kApplied = static_cast<std::size_t>(TxOutcome::kApplied);
constexpr std::size_t kDenied = static_cast<std::size_t>(TxOutcome::kDenied);
constexpr std::size_t kInvalid = static_cast<std::size_t>(TxOutcome::kInvalid);

std::uint16_t code(Kind k) { return static_cast<std::uint16_t>(k); }

// One-second days: licences last 1,095 s and are renewed 90 s before expiry; a revocation falls
// due every 5 s; a draft per client every 20 ms, a block every 100 ms, for 300 s.
CredentialsConfig run_config() {
  return config_with(kClients,
                     {{"clinicians", "2000"},
                      {"revocations_per_day", "0.2"},
                      {"verify_revoked_fraction", "0.05"},
                      {"verify_revoked_window", "2"}},
                     kNsPerSec);
}

OrderingDriver::Options options() {
  OrderingDriver::Options o;
  o.seed = 11;
  o.mean_gap_ns = 20 * kNsPerMs;
  o.block_interval_ns = 100 * kNsPerMs;
  return o;
}

// The result the contract recorded for the verification just applied.
VerifyResult last_result(const KvStore& state, const Verification& v) {
  const std::uint64_t next =
      decode_seq(state.get(audit_next_key(v.board, v.clinician)).value_or("")).value_or(0);
  const std::optional<std::string> raw = state.get(audit_key(v.board, v.clinician, next - 1));
  return decode_verification_audit(raw.value_or("")).value_or(VerificationAudit{}).result;
}

TEST(CredentialsEndToEndTest, NoVerificationOrderedAfterItsRevocationIsAccepted) {
  CredentialsWorkload w(run_config());
  const Register& reg = w.licence_register();
  OrderingDriver d(w, kClients, options());
  // An independent account of the ordered revocations, and of what each denial was for.
  std::set<std::pair<std::uint32_t, std::uint64_t>> revoked;
  std::uint64_t accepted_after_revocation = 0;
  std::uint64_t expired_not_lapsing = 0;
  std::map<VerifyResult, std::uint64_t> honest_results;
  d.on_commit = [&](const Transaction& tx, TxOutcome outcome, TimeNs) {
    if (tx.kind == code(Kind::kRevoke) && outcome == TxOutcome::kApplied) {
      const LicenceAction a = *decode_licence_action(tx.payload);
      revoked.insert({a.board, a.clinician});
    }
    if (!is_verification_kind(tx.kind)) return;
    const Verification v = *decode_verification(tx.payload);
    if (outcome == TxOutcome::kApplied && revoked.contains({v.board, v.clinician})) {
      ++accepted_after_revocation;
    }
    const VerifyResult r = last_result(d.state(), v);
    if (r == VerifyResult::kExpired && !reg.lapses(v.clinician)) ++expired_not_lapsing;
    if (tx.kind == code(Kind::kVerify)) ++honest_results[r];
  };
  d.run(300 * kNsPerSec);

  EXPECT_EQ(accepted_after_revocation, 0u);
  EXPECT_EQ(d.figure("verify_applied_after_revocation"), 0);
  // Due at 5 s, 10 s, ..., 295 s (the one due at 300 s comes after the last draft): 59, each
  // applied.
  EXPECT_EQ(d.counts(code(Kind::kRevoke))[kApplied], 59u);
  EXPECT_EQ(d.figure("revocations_applied"), 59);
  // A revoke commits at the first block cut after the board's next draft: within ~100 ms.
  EXPECT_LE(d.figure("revoke_to_enforcement_max"), 100);
  EXPECT_GT(d.figure("revoke_to_enforcement_p50"), 0);
  // Injected checks: most come after the revoke committed and are denied.
  const auto& injected = d.counts(code(Kind::kVerifyRevoked));
  EXPECT_GT(injected[kDenied], 10 * injected[kApplied]);
  EXPECT_EQ(d.figure("verify_denied_revoked"), static_cast<double>(injected[kDenied]));
  EXPECT_LE(d.figure("revocation_exposure"), d.figure("verify_revoked_applied"));
  // Boards keep up with renewals: none is late, every licence issue is new.
  EXPECT_EQ(d.counts(code(Kind::kRecredential))[kDenied], 0u);
  EXPECT_GT(d.counts(code(Kind::kRecredential))[kApplied], 500u);
  EXPECT_EQ(d.counts(code(Kind::kLicenceIssue))[kDenied], 0u);
  // Honest checks find valid licences, except lapsed ones once they expire.
  EXPECT_EQ(expired_not_lapsing, 0u);
  EXPECT_GT(honest_results[VerifyResult::kExpired], 0u);
  EXPECT_EQ(honest_results[VerifyResult::kUnknown], 0u);
  EXPECT_GT(honest_results[VerifyResult::kValid], 40 * honest_results[VerifyResult::kExpired]);
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_EQ(d.counts(k)[kInvalid], 0u) << k;
  EXPECT_EQ(d.figure("ledger_invalid"), 0);
}

TEST(CredentialsEndToEndTest, SlowBoardsLetLicencesExpireAndRenewalsFail) {
  // Boards draft once a second on average: too slow for ~2.5 renewals a second.
  CredentialsWorkload w(run_config());
  OrderingDriver::Options o = options();
  o.mean_gap_ns = kNsPerSec;
  OrderingDriver d(w, kClients, o);
  d.run(400 * kNsPerSec);
  EXPECT_GT(d.figure("verify_denied_expired"), 0);
  EXPECT_GT(d.figure("licences_active"), 0);
  EXPECT_EQ(d.figure("verify_applied_after_revocation"), 0);
}

TEST(CredentialsEndToEndTest, TheSameSeedGivesTheSameFigures) {
  std::vector<std::vector<double>> runs;
  for (int i = 0; i < 2; ++i) {
    CredentialsWorkload w(run_config());
    OrderingDriver d(w, kClients, options());
    d.run(30 * kNsPerSec);
    std::vector<double> values;
    for (const WorkloadFigure& f : d.metrics()->figures()) values.push_back(f.value);
    runs.push_back(values);
  }
  EXPECT_EQ(runs[0], runs[1]);
}

}  // namespace
}  // namespace hlsim::credentials
