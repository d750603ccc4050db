// The consent workload's own figures, from the ordered transactions and their outcomes.
//
// It replays every committed transaction through its own ConsentContract over a private store (a
// shadow of the ledger's state, in the same order), which gives each denial its reason and each
// amendment the set of enrolled participants that owe a re-consent at its commit. A transaction
// the simulator recorded as kInvalid (e.g. a forged signature) is not replayed.
//
// Figures (figures() order):
//   enrolled, withdrawn, amendments                  applied transactions of those kinds
//   reconsents, reaffirmations                       applied re-consents to a newer version / to
//                                                    the version already signed
//   amendments_fully_reconsented                     amendments whose owed participants all
//                                                    re-consented (or withdrew)
//   amendments_pending                               amendments still owed re-consents at the end
//   amendments_without_participants                  amendments with nobody enrolled to re-consent
//   reconsent_all_p50_ms, reconsent_all_p99_ms       from an amendment's commit to the commit of
//                                                    its last owed re-consent / withdrawal (fully
//                                                    re-consented amendments only; 0 when none)
//   reconsented_fraction                             % of owed re-consents done by the end (those
//                                                    who withdrew instead not counted)
//   access_applied                                   reads applied (data_access and violation_*)
//   access_denied_not_viewer, ..._not_enrolled, ..._withdrawn, ..._stale_consent
//                                                    reads denied, by the contract's reason
//                                                    (not_enrolled includes trial not registered)
//   violations_denied, violations_accepted           violation_* reads by outcome (accepted must
//                                                    be 0)
//   withdraw_to_enforcement_p50_ms, ..._p99_ms       from a withdrawal's submission to its commit,
//                                                    after which every read is denied (0 when none)
//   reads_in_withdrawal_window                       reads applied after a participant's withdrawal
//                                                    was submitted but before it committed
//   enrol_denied_site_not_active, enrol_denied_stale_version, reconsent_denied_stale_version
//                                                    honest races and uninformed drafts
//   replay_mismatches                                outcomes the replay disagreed with (must be 0)
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/consent/consent_contract.h"
#include "workloads/workload.h"

namespace hlsim::consent {

class ConsentMetrics final : public WorkloadMetrics {
 public:
  ConsentMetrics(const Roles& roles, std::uint32_t trials);

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override;
  std::vector<WorkloadFigure> figures() const override;

 private:
  struct Amendment {
    std::uint32_t version = 0;
    TimeNs commit_ns = 0;
    std::set<std::uint64_t> owed;  // participants that still owe a re-consent
  };

  // Participant p of `trial` re-consented to `version` (or withdrew: `withdrew`) at commit_ns.
  void settle(std::uint32_t trial, std::uint64_t participant, std::uint32_t version, bool withdrew,
              TimeNs commit_ns);

  ConsentContract contract_;
  MemoryStore shadow_;
  // Per trial: enrolled, not withdrawn participants -> consent version signed.
  std::vector<std::map<std::uint64_t, std::uint32_t>> active_;
  std::vector<std::vector<Amendment>> open_;                              // per trial, oldest first
  std::unordered_map<std::uint64_t, std::vector<TimeNs>> read_times_ns_;  // lookups only

  std::uint64_t enrolled_ = 0;
  std::uint64_t withdrawn_ = 0;
  std::uint64_t amendments_ = 0;
  std::uint64_t reconsents_ = 0;
  std::uint64_t reaffirmations_ = 0;
  std::uint64_t amendments_without_participants_ = 0;
  std::uint64_t owed_ = 0;
  std::uint64_t owed_reconsented_ = 0;
  std::uint64_t owed_withdrew_ = 0;
  std::vector<TimeNs> reconsent_all_ns_;
  std::uint64_t access_applied_ = 0;
  std::array<std::uint64_t, kReasonCount> access_denied_{};
  std::uint64_t violations_denied_ = 0;
  std::uint64_t violations_accepted_ = 0;
  std::vector<TimeNs> withdraw_to_enforcement_ns_;
  std::uint64_t reads_in_withdrawal_window_ = 0;
  std::uint64_t enrol_denied_site_not_active_ = 0;
  std::uint64_t enrol_denied_stale_version_ = 0;
  std::uint64_t reconsent_denied_stale_version_ = 0;
  std::uint64_t replay_mismatches_ = 0;
};

// Nearest-rank percentile (q in [0, 1]) of `values_ns` in milliseconds; 0 when empty.
double percentile_ms(const std::vector<TimeNs>& values_ns, double q);

}  // namespace hlsim::consent
