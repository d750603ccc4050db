#include <string_view>
#include <vector>

#include "workloads/ehr/ehr_params.h"
#include "workloads/ehr/ehr_workload.h"
#include "workloads/trace/synthea_params.h"
#include "workloads/trace/synthea_workload.h"
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
      {.name = "synthea",
       .summary = "replay of a Synthea CSV export at its own timestamps: each encounter and "
                  "medication becomes an EHR record_write by its organisation (client i = row i "
                  "of organizations.csv), judged by the EHR contract",
       .params = trace::synthea_param_specs(),
       .make = trace::make_synthea_workload},
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
