// The contract of the Synthea replay: the EHR-sharing contract (workloads/ehr/ehr_contract.h) and
// the claims contract under the trace rules (workloads/claims/claims_contract.h), each reached
// through the replay's own kind codes, so that the per-kind table tells encounters, medications,
// claims and payments apart while the ledger logic stays exactly the EHR's and the claims'.
//
//   encounter_record, medication_record -> EHR record_write (home organisation only, append-only)
//   past_trace_end                      -> EHR access_request
//   enroll, claim_submit, claim_payment -> claims enroll, claim_submit, payment (kInvalid when
//                                          the trace has no payer)
//   any other kind                      -> kInvalid
// The two contracts' keys do not overlap ("ehr/", "claims/"). Deterministic and stateless, like
// the contracts it delegates to.
#pragma once

#include <cstdint>
#include <optional>

#include "workloads/claims/claims_contract.h"
#include "workloads/contract.h"
#include "workloads/ehr/ehr_contract.h"

namespace hlsim::trace {

class SyntheaContract final : public Contract {
 public:
  // REQUIRES: organisations >= 1, charts >= 1 (see synthea_replay.h for charts); `claims_rules`
  // as ClaimsContract requires, or nullopt when the trace has no payer.
  SyntheaContract(std::uint32_t organisations, std::uint64_t charts,
                  const std::optional<claims::ClaimsRules>& claims_rules);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;

 private:
  ehr::EhrContract ehr_;
  std::optional<claims::ClaimsContract> claims_;
};

}  // namespace hlsim::trace
