#include <string_view>
#include <vector>

#include "workloads/consent/consent_params.h"
#include "workloads/consent/consent_workload.h"
#include "workloads/ehr/ehr_params.h"
#include "workloads/ehr/ehr_workload.h"
#include "workloads/smallbank/smallbank_params.h"
#include "workloads/smallbank/smallbank_workload.h"
#include "workloads/workload.h"
#include "workloads/ycsb/ycsb_params.h"
#include "workloads/ycsb/ycsb_workload.h"

namespace hlsim {

const std::vector<WorkloadInfo>& workload_registry() {
  static const std::vector<WorkloadInfo> registry = {
      {.name = "ehr",
       .summary = "EHR sharing in a regional health information exchange: organisations write "
                  "record pointers, grant and revoke patient consent, and request records "
                  "(Zipf-hot patients); the contract checks consent and audits every request",
       .params = ehr::ehr_param_specs(),
       .make = ehr::make_ehr_workload},
      {.name = "consent",
       .summary = "clinical-trial consent (MedRec-style): sponsors register trials and activate "
                  "sites, sites enrol participants under a versioned consent, amendments force "
                  "re-consent, withdrawal is permanent; reads by the sponsor or granted monitors "
                  "are applied only under a current consent, with injected violations",
       .params = consent::consent_param_specs(),
       .make = consent::make_consent_workload},
      {.name = "smallbank",
       .summary = "Smallbank (Alomari et al., ICDE 2008) as H-Store and BLOCKBENCH run it: "
                  "balance, deposit_checking, transact_savings, amalgamate, write_check and "
                  "send_payment over checking and savings accounts, with an optional hotspot; "
                  "for comparison with published blockchain benchmarks",
       .params = smallbank::smallbank_param_specs(),
       .make = smallbank::make_smallbank_workload},
      {.name = "ycsb",
       .summary = "YCSB core workloads A/B/C (Cooper et al., SoCC 2010) as ledger transactions, "
                  "as BLOCKBENCH runs them: a load phase inserts 1 KB records, then Zipf(0.99) "
                  "reads and one-field updates; for comparison with published blockchain "
                  "benchmarks",
       .params = ycsb::ycsb_param_specs(),
       .make = ycsb::make_ycsb_workload},
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
