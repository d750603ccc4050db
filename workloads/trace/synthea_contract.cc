#include "workloads/trace/synthea_contract.h"

#include "workloads/ehr/ehr_payloads.h"
#include "workloads/trace/synthea_replay.h"

namespace hlsim::trace {

SyntheaContract::SyntheaContract(std::uint32_t organisations, std::uint64_t charts)
    : ehr_(organisations, charts) {}

ApplyResult SyntheaContract::apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) {
  ehr::Kind kind = ehr::Kind::kRecordWrite;
  switch (tx.kind) {
    case static_cast<std::uint16_t>(ReplayKind::kEncounterRecord):
    case static_cast<std::uint16_t>(ReplayKind::kMedicationRecord):
      kind = ehr::Kind::kRecordWrite;
      break;
    case static_cast<std::uint16_t>(ReplayKind::kPastTraceEnd):
      kind = ehr::Kind::kAccessRequest;
      break;
    default:
      return ApplyResult{TxOutcome::kInvalid, 0, 0};
  }
  Transaction as_ehr = tx;
  as_ehr.kind = static_cast<std::uint16_t>(kind);
  return ehr_.apply(state, as_ehr, block_time_ns);
}

}  // namespace hlsim::trace
