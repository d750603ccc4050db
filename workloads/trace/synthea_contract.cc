#include "workloads/trace/synthea_contract.h"

#include "workloads/claims/claims_payloads.h"
#include "workloads/ehr/ehr_payloads.h"
#include "workloads/trace/synthea_replay.h"

namespace hlsim::trace {
namespace {

ApplyResult delegate(Contract& contract, std::uint16_t kind, KvStore& state, const Transaction& tx,
                     TimeNs block_time_ns) {
  Transaction as_kind = tx;
  as_kind.kind = kind;
  return contract.apply(state, as_kind, block_time_ns);
}

}  // namespace

SyntheaContract::SyntheaContract(std::uint32_t organisations, std::uint64_t charts,
                                 const std::optional<claims::ClaimsRules>& claims_rules)
    : ehr_(organisations, charts) {
  if (claims_rules) claims_.emplace(*claims_rules);
}

ApplyResult SyntheaContract::apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) {
  const auto ehr_kind = [](ehr::Kind k) { return static_cast<std::uint16_t>(k); };
  const auto claims_kind = [](claims::Kind k) { return static_cast<std::uint16_t>(k); };
  switch (tx.kind) {
    case static_cast<std::uint16_t>(ReplayKind::kEncounterRecord):
    case static_cast<std::uint16_t>(ReplayKind::kMedicationRecord):
      return delegate(ehr_, ehr_kind(ehr::Kind::kRecordWrite), state, tx, block_time_ns);
    case static_cast<std::uint16_t>(ReplayKind::kPastTraceEnd):
      return delegate(ehr_, ehr_kind(ehr::Kind::kAccessRequest), state, tx, block_time_ns);
    default:
      break;
  }
  if (!claims_) return ApplyResult{TxOutcome::kInvalid, 0, 0};
  switch (tx.kind) {
    case static_cast<std::uint16_t>(ReplayKind::kEnroll):
      return delegate(*claims_, claims_kind(claims::Kind::kEnroll), state, tx, block_time_ns);
    case static_cast<std::uint16_t>(ReplayKind::kClaimSubmit):
      return delegate(*claims_, claims_kind(claims::Kind::kClaimSubmit), state, tx, block_time_ns);
    case static_cast<std::uint16_t>(ReplayKind::kClaimPayment):
      return delegate(*claims_, claims_kind(claims::Kind::kPayment), state, tx, block_time_ns);
    default:
      return ApplyResult{TxOutcome::kInvalid, 0, 0};
  }
}

}  // namespace hlsim::trace
