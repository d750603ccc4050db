// The claims workload's own figures over what the ledger ordered (WorkloadMetrics).
//
// Amounts need the adjudication, which lives in the contract state; the metrics keep their own
// replica of it: every ordered transaction the ledger did not find invalid is re-applied to a
// private store with the same contract (commit time standing in for block time, which the
// claims rules never read), and the figures read the claim records there. A re-application whose
// outcome differs from the ledger's is counted (contract_mismatch, expected 0).
//
// Figures: claims committed / approved / denied (by reason), honest claims denied, lines per
// claim, lines denied in approved claims, approved and paid amounts, payments applied / denied,
// per fraud pattern detected (kDenied) and accepted (kApplied, expected 0) and the detection
// rate, time from a claim's commit to its payment's commit (p50, p99, ms), approved claims
// unpaid at the end.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/claims/claims_contract.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/workload.h"

namespace hlsim::claims {

class ClaimsMetrics final : public WorkloadMetrics {
 public:
  explicit ClaimsMetrics(const ClaimsRules& rules);

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override;
  std::vector<WorkloadFigure> figures() const override;

 private:
  void count_claim(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns);
  void count_payment(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns);

  ClaimsContract contract_;
  MemoryStore replica_;

  std::uint64_t claims_committed_ = 0;
  std::uint64_t claims_approved_ = 0;
  std::uint64_t claims_denied_ = 0;
  std::uint64_t denied_not_member_ = 0;
  std::uint64_t denied_duplicate_ = 0;
  std::uint64_t denied_upcoded_ = 0;
  std::uint64_t denied_all_lines_ = 0;
  std::uint64_t honest_denied_ = 0;
  std::uint64_t lines_ = 0;
  std::uint64_t lines_denied_in_approved_ = 0;
  std::uint64_t approved_cents_ = 0;
  std::uint64_t paid_cents_ = 0;
  std::uint64_t payments_applied_ = 0;
  std::uint64_t payments_denied_ = 0;
  std::uint64_t enrolments_ = 0;
  std::uint64_t duplicate_detected_ = 0;
  std::uint64_t duplicate_accepted_ = 0;
  std::uint64_t upcoded_detected_ = 0;
  std::uint64_t upcoded_accepted_ = 0;
  std::uint64_t invalid_ = 0;
  std::uint64_t mismatch_ = 0;
  std::map<ClaimRef, TimeNs> unpaid_;  // approved claims awaiting payment -> claim commit time
  std::vector<double> claim_to_payment_ms_;
};

}  // namespace hlsim::claims
