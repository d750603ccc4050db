#include "workloads/consent/consent_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "workloads/consent/consent_payloads.h"
#include "workloads/percentile.h"

namespace hlsim::consent {

double percentile_ms(const std::vector<TimeNs>& values_ns, double q) {
  std::vector<double> ms;
  ms.reserve(values_ns.size());
  for (TimeNs v : values_ns) ms.push_back(static_cast<double>(v) / static_cast<double>(kNsPerMs));
  return nearest_rank(std::move(ms), q);
}

ConsentMetrics::ConsentMetrics(const Roles& roles, std::uint32_t trials)
    : contract_(roles, trials), active_(trials), open_(trials) {}

void ConsentMetrics::on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  if (outcome == TxOutcome::kInvalid)
    return;  // no effect on state; maybe never reached the contract
  const Judged j = contract_.apply_judged(shadow_, tx, commit_ns);
  if (j.result.outcome != outcome) ++replay_mismatches_;
  const bool applied = j.result.outcome == TxOutcome::kApplied;
  const bool denied = j.result.outcome == TxOutcome::kDenied;

  if (is_access_kind(tx.kind)) {
    const std::optional<DataAccess> p = decode_data_access(tx.payload);
    if (applied) {
      ++access_applied_;
      if (p) read_times_ns_[p->participant].push_back(commit_ns);
    } else if (denied) {
      ++access_denied_[static_cast<std::size_t>(j.reason)];
    }
    if (is_violation_kind(tx.kind)) {
      if (applied) ++violations_accepted_;
      if (denied) ++violations_denied_;
    }
    return;
  }

  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kEnrol: {
      if (applied) {
        const std::optional<Enrol> p = decode_enrol(tx.payload);
        ++enrolled_;
        active_[p->trial][p->participant] = p->consent_version;
      } else if (j.reason == Reason::kSiteNotActive || j.reason == Reason::kNotRegistered) {
        ++enrol_denied_site_not_active_;
      } else if (j.reason == Reason::kStaleVersion) {
        ++enrol_denied_stale_version_;
      }
      break;
    }
    case Kind::kAmend: {
      if (!applied) break;
      const std::optional<Amend> p = decode_amend(tx.payload);
      ++amendments_;
      Amendment a{p->new_version, commit_ns, {}};
      for (const auto& [participant, version] : active_[p->trial]) {
        if (version < p->new_version) a.owed.insert(participant);
      }
      if (a.owed.empty()) {
        ++amendments_without_participants_;
      } else {
        owed_ += a.owed.size();
        open_[p->trial].push_back(std::move(a));
      }
      break;
    }
    case Kind::kReconsent: {
      if (applied) {
        const std::optional<Reconsent> p = decode_reconsent(tx.payload);
        std::uint32_t& signed_version = active_[p->trial][p->participant];
        ++(signed_version == p->consent_version ? reaffirmations_ : reconsents_);
        signed_version = p->consent_version;
        settle(p->trial, p->participant, p->consent_version, false, commit_ns);
      } else if (j.reason == Reason::kStaleVersion) {
        ++reconsent_denied_stale_version_;
      }
      break;
    }
    case Kind::kWithdraw: {
      if (!applied) break;
      const std::optional<Withdraw> p = decode_withdraw(tx.payload);
      ++withdrawn_;
      active_[p->trial].erase(p->participant);
      settle(p->trial, p->participant, std::numeric_limits<std::uint32_t>::max(), true, commit_ns);
      withdraw_to_enforcement_ns_.push_back(commit_ns - tx.submit_ns);
      if (const auto it = read_times_ns_.find(p->participant); it != read_times_ns_.end()) {
        for (TimeNs t : it->second) {
          if (t > tx.submit_ns) ++reads_in_withdrawal_window_;
        }
        read_times_ns_.erase(it);  // no read of a withdrawn participant is applied again
      }
      break;
    }
    default:
      break;
  }
}

void ConsentMetrics::settle(std::uint32_t trial, std::uint64_t participant, std::uint32_t version,
                            bool withdrew, TimeNs commit_ns) {
  std::vector<Amendment>& open = open_[trial];
  for (auto it = open.begin(); it != open.end();) {
    if (it->version <= version && it->owed.erase(participant) > 0) {
      ++(withdrew ? owed_withdrew_ : owed_reconsented_);
    }
    if (it->owed.empty()) {
      reconsent_all_ns_.push_back(commit_ns - it->commit_ns);
      it = open.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<WorkloadFigure> ConsentMetrics::figures() const {
  std::uint64_t pending = 0;
  for (const auto& open : open_) pending += open.size();
  const auto count = [](std::uint64_t v) { return static_cast<double>(v); };
  const std::uint64_t owed = owed_ - owed_withdrew_;
  const double reconsented_pct =
      owed == 0 ? 0 : 100.0 * static_cast<double>(owed_reconsented_) / static_cast<double>(owed);
  return {
      {"enrolled", count(enrolled_), "", "participants enrolled (enrol applied)"},
      {"withdrawn", count(withdrawn_), "", "participants withdrawn (withdraw applied)"},
      {"amendments", count(amendments_), "", "protocol amendments applied (consent version + 1)"},
      {"reconsents", count(reconsents_), "", "re-consents applied to a newer version"},
      {"reaffirmations", count(reaffirmations_), "",
       "re-consents applied to the version already signed (sites with nobody left to enrol)"},
      {"amendments_fully_reconsented", count(reconsent_all_ns_.size()), "",
       "amendments whose owed participants all re-consented or withdrew"},
      {"amendments_pending", count(pending), "", "amendments still owed re-consents at the end"},
      {"amendments_without_participants", count(amendments_without_participants_), "",
       "amendments with nobody enrolled behind the new version"},
      {"reconsent_all_p50_ms", percentile_ms(reconsent_all_ns_, 0.50), "ms",
       "amendment commit to its last owed re-consent commit, median (0: none)"},
      {"reconsent_all_p99_ms", percentile_ms(reconsent_all_ns_, 0.99), "ms",
       "amendment commit to its last owed re-consent commit, 99th percentile (0: none)"},
      {"reconsented_fraction", reconsented_pct, "%",
       "owed re-consents done by the end (participants who withdrew not counted)"},
      {"access_applied", count(access_applied_), "", "reads applied"},
      {"access_denied_not_viewer", count(access_denied_[static_cast<int>(Reason::kNotViewer)]), "",
       "reads denied: reader neither sponsor nor granted viewer"},
      {"access_denied_not_enrolled",
       count(access_denied_[static_cast<int>(Reason::kNotEnrolled)] +
             access_denied_[static_cast<int>(Reason::kNotRegistered)]),
       "", "reads denied: participant not enrolled in the trial (or trial not registered yet)"},
      {"access_denied_withdrawn", count(access_denied_[static_cast<int>(Reason::kWithdrawn)]), "",
       "reads denied: participant withdrew"},
      {"access_denied_stale_consent",
       count(access_denied_[static_cast<int>(Reason::kStaleConsent)]), "",
       "reads denied: consent version not the trial's current one"},
      {"violations_denied", count(violations_denied_), "", "violation_* reads denied"},
      {"violations_accepted", count(violations_accepted_), "",
       "violation_* reads applied (must be 0)"},
      {"withdraw_to_enforcement_p50_ms", percentile_ms(withdraw_to_enforcement_ns_, 0.50), "ms",
       "withdrawal submit to commit (enforced from then on), median (0: none)"},
      {"withdraw_to_enforcement_p99_ms", percentile_ms(withdraw_to_enforcement_ns_, 0.99), "ms",
       "withdrawal submit to commit, 99th percentile (0: none)"},
      {"reads_in_withdrawal_window", count(reads_in_withdrawal_window_), "",
       "reads applied after a withdrawal was submitted, before it committed"},
      {"enrol_denied_site_not_active", count(enrol_denied_site_not_active_), "",
       "enrolments denied: site (or trial) not yet active (registered)"},
      {"enrol_denied_stale_version", count(enrol_denied_stale_version_), "",
       "enrolments denied: consent version superseded by an amendment"},
      {"reconsent_denied_stale_version", count(reconsent_denied_stale_version_), "",
       "re-consents denied: superseded by a newer amendment"},
      {"replay_mismatches", count(replay_mismatches_), "",
       "outcomes the metrics' replay disagreed with (must be 0)"},
  };
}

}  // namespace hlsim::consent
