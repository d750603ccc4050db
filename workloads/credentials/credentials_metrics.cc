#include "workloads/credentials/credentials_metrics.h"

#include <algorithm>
#include <cmath>

#include "workloads/credentials/credentials_payloads.h"
#include "workloads/percentile.h"

namespace hlsim::credentials {
namespace {

constexpr std::size_t kRecentPerLicence = 64;

// Nearest-rank percentile, p in percent (workloads/percentile.h).
double percentile(std::vector<double> v, double p) { return nearest_rank(std::move(v), p / 100); }

}  // namespace

CredentialsMetrics::CredentialsMetrics(const Register& reg) : register_(reg) {}

std::optional<CredentialsMetrics::Licence> CredentialsMetrics::licence(
    const LicenceKey& key) const {
  if (auto it = changed_.find(key); it != changed_.end()) return it->second;
  if (!register_.holds(key.first, key.second)) return std::nullopt;
  return Licence{register_.register_expiry_ns(key.first, key.second), false};
}

void CredentialsMetrics::on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  last_commit_ns_ = std::max(last_commit_ns_, commit_ns);
  if (outcome == TxOutcome::kInvalid) {
    ++invalid_;
  } else if (is_verification_kind(tx.kind)) {
    on_verification(tx, outcome, commit_ns);
  } else {
    on_licence_action(tx, outcome, commit_ns);
  }
}

void CredentialsMetrics::on_verification(const Transaction& tx, TxOutcome outcome,
                                         TimeNs commit_ns) {
  const std::optional<Verification> p = decode_verification(tx.payload);
  if (!p) return;
  const LicenceKey key{p->board, p->clinician};
  const std::optional<Licence> lic = licence(key);
  if (outcome == TxOutcome::kApplied) {
    ++verify_applied_;
    if (tx.kind == static_cast<std::uint16_t>(Kind::kVerifyRevoked)) ++verify_revoked_applied_;
    if (lic && lic->revoked) ++applied_after_revocation_;
    std::deque<TimeNs>& recent = recent_applied_[key];
    recent.push_back(commit_ns);
    if (recent.size() > kRecentPerLicence) recent.pop_front();
    return;
  }
  if (!lic) {
    ++denied_unknown_;
  } else if (lic->revoked) {
    ++denied_revoked_;
  } else {
    ++denied_expired_;  // the contract's only other reason to deny
  }
}

void CredentialsMetrics::on_licence_action(const Transaction& tx, TxOutcome outcome,
                                           TimeNs commit_ns) {
  const std::optional<LicenceAction> p = decode_licence_action(tx.payload);
  if (!p) return;
  const LicenceKey key{p->board, p->clinician};
  const bool applied = outcome == TxOutcome::kApplied;
  const TimeNs interval = register_.config().interval_ns;
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kLicenceIssue:
      if (applied) changed_[key] = Licence{commit_ns + interval, false};
      ++(applied ? issued_ : issue_denied_);
      break;
    case Kind::kRecredential:
      if (applied) changed_[key] = Licence{commit_ns + interval, false};
      ++(applied ? renewed_ : renew_denied_);
      break;
    case Kind::kRevoke: {
      if (!applied) {
        ++revoke_denied_;
        break;
      }
      ++revoked_;
      Licence lic = licence(key).value_or(Licence{});
      lic.revoked = true;
      changed_[key] = lic;
      revoke_latency_ms_.push_back(static_cast<double>(commit_ns - tx.submit_ns) / 1e6);
      if (auto it = recent_applied_.find(key); it != recent_applied_.end()) {
        const auto in_flight = static_cast<std::uint64_t>(std::count_if(
            it->second.begin(), it->second.end(), [&](TimeNs t) { return t >= tx.submit_ns; }));
        exposure_ += in_flight;
        if (in_flight > 0) ++revocations_exposed_;
        recent_applied_.erase(it);
      }
      break;
    }
    default:
      break;
  }
}

std::vector<WorkloadFigure> CredentialsMetrics::figures() const {
  std::uint64_t active = 0;
  for (const auto& [key, lic] : changed_) {
    if (!lic.revoked && lic.expiry_ns > last_commit_ns_) ++active;
  }
  const auto count_register = [&](std::uint32_t board, std::uint64_t c) {
    if (!changed_.contains({board, c}) &&
        register_.register_expiry_ns(board, c) > last_commit_ns_) {
      ++active;
    }
  };
  for (std::uint64_t c = 0; c < register_.clinicians(); ++c) {
    count_register(register_.primary_board(c), c);
    if (register_.multi_licensed(c)) count_register(register_.secondary_board(c), c);
  }
  const auto n = [](std::uint64_t v) { return static_cast<double>(v); };
  std::vector<WorkloadFigure> f = {
      {"licences_active", n(active), "", "licences unrevoked and unexpired at the last commit"},
      {"licences_issued", n(issued_), "tx", "licence_issue applied"},
      {"licence_issues_denied", n(issue_denied_), "tx",
       "licence_issue denied (licence valid or revoked)"},
      {"recredentials_applied", n(renewed_), "tx", "renewals applied"},
      {"recredentials_denied", n(renew_denied_), "tx",
       "renewals denied (no licence, revoked, or already expired)"},
      {"revocations_applied", n(revoked_), "tx", "revocations applied"},
      {"revocations_denied", n(revoke_denied_), "tx", "revocations denied"},
      {"verify_applied", n(verify_applied_), "tx", "verifications that found a valid licence"},
      {"verify_denied_revoked", n(denied_revoked_), "tx", "verifications denied: revoked"},
      {"verify_denied_expired", n(denied_expired_), "tx", "verifications denied: expired"},
      {"verify_denied_unknown", n(denied_unknown_), "tx", "verifications denied: no licence"},
      {"verify_revoked_applied", n(verify_revoked_applied_), "tx",
       "verify_revoked applied: ordered before the revocation"},
      {"verify_applied_after_revocation", n(applied_after_revocation_), "tx",
       "verifications applied though ordered after their licence's revocation (expected 0)"},
      {"revocation_exposure", n(exposure_), "tx",
       "verifications applied between a revoke's submit and its commit"},
      {"revocations_with_exposure", n(revocations_exposed_), "tx",
       "revocations with at least one verification applied while in flight"},
  };
  if (!revoke_latency_ms_.empty()) {
    f.push_back({"revoke_to_enforcement_p50", percentile(revoke_latency_ms_, 50), "ms",
                 "revoke submit to its commit, median"});
    f.push_back({"revoke_to_enforcement_p99", percentile(revoke_latency_ms_, 99), "ms",
                 "revoke submit to its commit, 99th percentile"});
    f.push_back({"revoke_to_enforcement_max", percentile(revoke_latency_ms_, 100), "ms",
                 "revoke submit to its commit, maximum"});
  }
  f.push_back({"ledger_invalid", n(invalid_), "tx", "ordered transactions found invalid"});
  return f;
}

}  // namespace hlsim::credentials
