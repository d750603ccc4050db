// The contract of the Synthea replay: the EHR-sharing contract (workloads/ehr/ehr_contract.h),
// reached through the replay's own kind codes so that the per-kind table tells encounters from
// medications while the ledger logic stays exactly the EHR's.
//
//   encounter_record, medication_record -> EHR record_write (home organisation only, append-only)
//   past_trace_end                      -> EHR access_request
//   any other kind                      -> kInvalid
// Deterministic and stateless, like the EHR contract it delegates to.
#pragma once

#include <cstdint>

#include "workloads/contract.h"
#include "workloads/ehr/ehr_contract.h"

namespace hlsim::trace {

class SyntheaContract final : public Contract {
 public:
  // REQUIRES: organisations >= 1, charts >= 1 (see synthea_replay.h for charts).
  SyntheaContract(std::uint32_t organisations, std::uint64_t charts);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;

 private:
  ehr::EhrContract ehr_;
};

}  // namespace hlsim::trace
