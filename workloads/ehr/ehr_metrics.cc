#include "workloads/ehr/ehr_metrics.h"

#include <algorithm>
#include <cmath>

#include "workloads/ehr/ehr_payloads.h"
#include "workloads/percentile.h"

namespace hlsim::ehr {
namespace {

// Nearest-rank percentile in ms; 0 for no samples.
double percentile_ms(const std::vector<TimeNs>& v, double p) {
  std::vector<double> ms;
  ms.reserve(v.size());
  for (TimeNs t : v) ms.push_back(static_cast<double>(t) / 1e6);
  return nearest_rank(std::move(ms), p);
}

}  // namespace

void EhrMetrics::on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kConsentGrant: {
      const auto g = decode_consent_grant(tx.payload);
      if (!g || outcome != TxOutcome::kApplied) return;
      pairs_[{g->patient, g->grantee}] = PairState{};
      return;
    }
    case Kind::kConsentRevoke: {
      const auto r = decode_consent_revoke(tx.payload);
      if (!r || outcome != TxOutcome::kApplied) return;
      revoke_latency_ns_.push_back(commit_ns - tx.submit_ns);
      PairState& p = pairs_[{r->patient, r->grantee}];
      reads_after_revoke_issued_ += static_cast<std::uint64_t>(
          std::count_if(p.applied_reads_ns.begin(), p.applied_reads_ns.end(),
                        [&](TimeNs read_submit_ns) { return read_submit_ns > tx.submit_ns; }));
      p = PairState{true, {}};
      return;
    }
    case Kind::kAccessRequest: {
      const auto a = decode_access_request(tx.payload);
      if (!a || outcome == TxOutcome::kInvalid) return;
      ++audit_events_;
      const Pair key{a->patient, a->requester};
      if (outcome == TxOutcome::kApplied) {
        pairs_[key].applied_reads_ns.push_back(tx.submit_ns);
      } else if (auto it = pairs_.find(key); it != pairs_.end() && it->second.revoked) {
        ++denied_after_revoke_;
      }
      return;
    }
    case Kind::kRecordWrite:
      return;
  }
}

std::vector<WorkloadFigure> EhrMetrics::figures() const {
  return {
      {"revocations", static_cast<double>(revoke_latency_ns_.size()), "tx",
       "consent revocations ordered"},
      {"revoke_to_enforcement_p50", percentile_ms(revoke_latency_ns_, 0.50), "ms",
       "revocation submitted -> ordered (from then on every access is denied)"},
      {"revoke_to_enforcement_p99", percentile_ms(revoke_latency_ns_, 0.99), "ms",
       "the same, 99th percentile"},
      {"reads_after_revoke_issued", static_cast<double>(reads_after_revoke_issued_), "tx",
       "reads granted though submitted after the patient's revocation (ordered before it)"},
      {"denied_after_revoke", static_cast<double>(denied_after_revoke_), "tx",
       "reads denied because the consent had been revoked"},
      {"audit_events", static_cast<double>(audit_events_), "tx",
       "access requests ordered, each an audit entry (who, which patient, when, purpose)"},
  };
}

}  // namespace hlsim::ehr
