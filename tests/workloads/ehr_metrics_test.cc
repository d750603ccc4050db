// The EHR figures on a hand-made commit sequence.
#include "workloads/ehr/ehr_metrics.h"

#include <gtest/gtest.h>

#include <map>

#include "workloads/ehr/ehr_payloads.h"

namespace hlsim::ehr {
namespace {

Transaction tx(Kind kind, ClientId client, TimeNs submit_ns, Bytes payload) {
  Transaction t;
  t.kind = static_cast<std::uint16_t>(kind);
  t.client = client;
  t.submit_ns = submit_ns;
  t.payload = std::move(payload);
  return t;
}
Transaction grant(std::uint64_t patient, std::uint32_t grantee, TimeNs at) {
  return tx(Kind::kConsentGrant, 0, at, encode(ConsentGrant{patient, grantee, 1'000'000, 1, {}}));
}
Transaction revoke(std::uint64_t patient, std::uint32_t grantee, TimeNs at) {
  return tx(Kind::kConsentRevoke, 0, at, encode(ConsentRevoke{patient, grantee, 1, {}}));
}
Transaction access(std::uint64_t patient, std::uint32_t requester, TimeNs at) {
  return tx(Kind::kAccessRequest, requester, at,
            encode(AccessRequest{patient, requester, Purpose::kTreatment, {}}));
}

std::map<std::string, double> figures(const EhrMetrics& m) {
  std::map<std::string, double> out;
  for (const auto& f : m.figures()) out[f.name] = f.value;
  return out;
}

TEST(EhrMetricsTest, RevocationLatencyExposureAndEnforcementAreCounted) {
  EhrMetrics m;
  const TimeNs ms = kNsPerMs;
  m.on_commit(grant(7, 2, 0), TxOutcome::kApplied, 10 * ms);
  m.on_commit(access(7, 2, 20 * ms), TxOutcome::kApplied, 30 * ms);  // before the revoke: fine
  // The revoke is submitted at 40 ms; two reads submitted at 45 and 50 ms are ordered first.
  m.on_commit(access(7, 2, 45 * ms), TxOutcome::kApplied, 60 * ms);
  m.on_commit(access(7, 2, 50 * ms), TxOutcome::kApplied, 60 * ms);
  m.on_commit(access(8, 2, 50 * ms), TxOutcome::kApplied, 60 * ms);  // another patient
  m.on_commit(revoke(7, 2, 40 * ms), TxOutcome::kApplied, 70 * ms);
  m.on_commit(access(7, 2, 80 * ms), TxOutcome::kDenied, 90 * ms);    // enforced
  m.on_commit(access(9, 3, 80 * ms), TxOutcome::kDenied, 90 * ms);    // never granted
  m.on_commit(revoke(9, 3, 100 * ms), TxOutcome::kDenied, 190 * ms);  // not applied: ignored
  auto f = figures(m);
  EXPECT_EQ(f["revocations"], 1);
  EXPECT_DOUBLE_EQ(f["revoke_to_enforcement_p50"], 30.0);
  EXPECT_DOUBLE_EQ(f["revoke_to_enforcement_p99"], 30.0);
  EXPECT_EQ(f["reads_after_revoke_issued"], 2);
  EXPECT_EQ(f["denied_after_revoke"], 1);
  EXPECT_EQ(f["audit_events"], 6);
  // A new grant ends the revoked state: a later denial is not blamed on the old revocation.
  m.on_commit(grant(7, 2, 200 * ms), TxOutcome::kApplied, 210 * ms);
  m.on_commit(access(7, 2, 220 * ms), TxOutcome::kDenied, 230 * ms);
  EXPECT_EQ(figures(m)["denied_after_revoke"], 1);
}

TEST(EhrMetricsTest, PercentilesAreNearestRank) {
  EhrMetrics m;
  for (int i = 1; i <= 100; ++i) {
    m.on_commit(grant(i, 1, 0), TxOutcome::kApplied, 1);
    m.on_commit(revoke(i, 1, 0), TxOutcome::kApplied, i * kNsPerMs);
  }
  auto f = figures(m);
  EXPECT_DOUBLE_EQ(f["revoke_to_enforcement_p50"], 50.0);
  EXPECT_DOUBLE_EQ(f["revoke_to_enforcement_p99"], 99.0);
}

}  // namespace
}  // namespace hlsim::ehr
