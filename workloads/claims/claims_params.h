// Parameters of the claims workload (scenario keys under `workload:`), and the typed, checked
// configuration built from them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/claims/claims_contract.h"
#include "workloads/workload.h"

namespace hlsim::claims {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& claims_param_specs();

struct ClaimsConfig {
  std::uint32_t organisations = 0;  // = clients
  std::uint32_t payers = 0;
  std::uint64_t patients = 0;
  double zipf_s = 0;
  TimeNs day_ns = 0;  // simulated time of one day (service days, plan years)
  std::uint32_t claim_bytes = 0;
  double lines_per_claim_mean = 0;
  std::uint32_t lines_per_claim_max = 0;
  double uncovered_line_fraction = 0;
  std::uint64_t annual_limit_cents = 0;
  double fraud_fraction = 0;
  std::uint32_t remit_max_claims = 0;
  std::uint32_t payment_bytes = 0;
  std::uint32_t enroll_bytes = 0;

  ClaimsRules rules() const {
    return {.organisations = organisations,
            .payers = payers,
            .patients = patients,
            .annual_limit_cents = annual_limit_cents};
  }
};

// Reads and cross-checks the values (parsed against claims_param_specs()) for `setup`. Errors
// name the key: "workload.payers: ..." when no client would be a provider, "workload.patients:
// ..." when some payer would have no members, "workload.lines_per_claim_mean: ..." when the mean
// exceeds the maximum.
Result<ClaimsConfig> claims_config(const ParamValues& values, const WorkloadSetup& setup);

}  // namespace hlsim::claims
