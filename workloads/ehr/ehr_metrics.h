// The EHR workload's own figures: how quickly a patient's revocation is enforced, and what was
// read in the meantime.
//
// A revocation is enforced from the moment it is ordered: every access request ordered after it
// is denied by the contract. The figures measure the gap a patient experiences:
//   revoke_to_enforcement_p50/p99_ms  revoke submitted -> first committed (ordered)
//   reads_after_revoke_issued         accesses applied under a consent although they were
//                                     submitted after its revocation was (ordered before it)
//   denied_after_revoke               accesses denied for a (patient, organisation) pair whose
//                                     revocation had committed and no new grant since
//   audit_events                      access requests ordered (applied or denied): each leaves an
//                                     audit entry on the ledger (who asked for what, when, why)
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "workloads/workload.h"

namespace hlsim::ehr {

class EhrMetrics final : public WorkloadMetrics {
 public:
  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override;
  std::vector<WorkloadFigure> figures() const override;

 private:
  using Pair = std::pair<std::uint64_t, std::uint32_t>;  // (patient, organisation)
  struct PairState {
    bool revoked = false;                  // a revocation committed, no grant since
    std::vector<TimeNs> applied_reads_ns;  // submit times of reads applied since the last change
  };
  std::map<Pair, PairState> pairs_;
  std::vector<TimeNs> revoke_latency_ns_;
  std::uint64_t reads_after_revoke_issued_ = 0;
  std::uint64_t denied_after_revoke_ = 0;
  std::uint64_t audit_events_ = 0;
};

}  // namespace hlsim::ehr
