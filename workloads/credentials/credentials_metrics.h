// The credentials workload's own figures over what the ledger ordered (WorkloadMetrics).
//
// The metrics follow each licence themselves, from the register and the committed issues,
// renewals and revocations (commit time standing in for block time for expiries), so the
// revocation check is independent of the contract's: a verification ordered after its licence's
// applied revocation and itself applied is counted (verify_applied_after_revocation; the
// contract's ordering guarantees 0). For each applied revocation they report its latency (the
// revoke's submit to its commit: how long the ledger took to enforce it) and the exposure: the
// verifications of that licence applied with a commit time at or after the revoke's submit (the
// last 64 per licence are kept), i.e. accepted while the revocation was in flight.
//
// Figures: licences issued / renewed / revoked, renewals and issues denied, licences active at
// the last commit, verifications applied and denied by reason (revoked, expired, unknown),
// verify_revoked applied, verifications applied after revocation (0), exposure count and the
// revocations that had any, revoke-to-enforcement p50 / p99 / max (ms).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "workloads/credentials/credentials_register.h"
#include "workloads/workload.h"

namespace hlsim::credentials {

class CredentialsMetrics final : public WorkloadMetrics {
 public:
  explicit CredentialsMetrics(const Register& reg);

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override;
  std::vector<WorkloadFigure> figures() const override;

 private:
  using LicenceKey = std::pair<std::uint32_t, std::uint64_t>;  // (board, clinician)
  struct Licence {
    TimeNs expiry_ns = 0;
    bool revoked = false;
  };

  std::optional<Licence> licence(const LicenceKey& key) const;
  void on_verification(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns);
  void on_licence_action(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns);

  Register register_;
  std::map<LicenceKey, Licence> changed_;  // licences issued, renewed or revoked in the run
  std::map<LicenceKey, std::deque<TimeNs>> recent_applied_;  // commit times of applied checks
  TimeNs last_commit_ns_ = 0;

  std::uint64_t issued_ = 0;
  std::uint64_t issue_denied_ = 0;
  std::uint64_t renewed_ = 0;
  std::uint64_t renew_denied_ = 0;
  std::uint64_t revoked_ = 0;
  std::uint64_t revoke_denied_ = 0;
  std::uint64_t verify_applied_ = 0;
  std::uint64_t denied_revoked_ = 0;
  std::uint64_t denied_expired_ = 0;
  std::uint64_t denied_unknown_ = 0;
  std::uint64_t verify_revoked_applied_ = 0;
  std::uint64_t applied_after_revocation_ = 0;
  std::uint64_t exposure_ = 0;
  std::uint64_t revocations_exposed_ = 0;
  std::uint64_t invalid_ = 0;
  std::vector<double> revoke_latency_ms_;
};

}  // namespace hlsim::credentials
