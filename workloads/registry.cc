#include <string_view>
#include <vector>

#include "workloads/claims/claims_params.h"
#include "workloads/claims/claims_workload.h"
#include "workloads/credentials/credentials_params.h"
#include "workloads/credentials/credentials_workload.h"
#include "workloads/ehr/ehr_params.h"
#include "workloads/ehr/ehr_workload.h"
#include "workloads/workload.h"

namespace hlsim {

const std::vector<WorkloadInfo>& workload_registry() {
  static const std::vector<WorkloadInfo> registry = {
      {.name = "ehr",
       .summary = "EHR sharing in a regional health information exchange: organisations write "
                  "record pointers, grant and revoke patient consent, and request records "
                  "(Zipf-hot patients); the contract checks consent and audits every request",
       .params = ehr::ehr_param_specs(),
       .make = ehr::make_ehr_workload},
      {.name = "claims",
       .summary = "claims adjudication between providers and payers: providers submit claims "
                  "(Zipf-hot patients, ~5.35 lines) that the contract adjudicates against plan "
                  "coverage, fee schedule, annual limit and duplicates; payers pay approved claims "
                  "they observe on the ledger; duplicate and upcoded frauds are injected",
       .params = claims::claims_param_specs(),
       .make = claims::make_claims_workload},
      {.name = "credentials",
       .summary = "clinician credentials: licensing boards issue, renew (every 36 months) and "
                  "revoke licences; hospitals verify a clinician's licence at the point of care "
                  "(Zipf-hot clinicians), with an audit trail; verifications of just-revoked "
                  "licences are injected to measure revocation exposure",
       .params = credentials::credentials_param_specs(),
       .make = credentials::make_credentials_workload},
  };
  return registry;
}

const WorkloadInfo* find_workload(std::string_view name) {
  for (const WorkloadInfo& info : workload_registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace hlsim
