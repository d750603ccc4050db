#include <string_view>
#include <vector>

#include "workloads/claims/claims_params.h"
#include "workloads/claims/claims_workload.h"
#include "workloads/consent/consent_params.h"
#include "workloads/consent/consent_workload.h"
#include "workloads/credentials/credentials_params.h"
#include "workloads/credentials/credentials_workload.h"
#include "workloads/ehr/ehr_params.h"
#include "workloads/ehr/ehr_workload.h"
#include "workloads/mix/mix_workload.h"
#include "workloads/smallbank/smallbank_params.h"
#include "workloads/smallbank/smallbank_workload.h"
#include "workloads/supply/supply_params.h"
#include "workloads/supply/supply_workload.h"
#include "workloads/trace/epcis_params.h"
#include "workloads/trace/epcis_workload.h"
#include "workloads/trace/synthea_params.h"
#include "workloads/trace/synthea_workload.h"
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
       .make = ehr::make_ehr_workload,
       .typical_rate_per_org_per_day = 350,
       .typical_rate_source =
           "one record per encounter: ≈ 15 admissions + 65 ED visits + 270 outpatient visits per "
           "hospital per day (AHA Fast Facts 2024; AHA 2016 data)"},
      {.name = "supply",
       .summary = "Drug supply chain track and trace (US DSCSA, GS1 EPCIS events): manufacturers "
                  "commission and pack serialized units and ship pallets to wholesalers, who ship "
                  "cases on to pharmacies, who dispense; the contract keeps custody per serial "
                  "and denies injected counterfeits (unknown serial, double dispense, broken "
                  "custody)",
       .params = supply::supply_param_specs(),
       .make = supply::make_supply_workload,
       .typical_rate_per_org_per_day = 205,
       .typical_rate_source = "an independent pharmacy fills ≈ 205 prescriptions a day (NCPA "
                              "Digest), one dispense event each"},
      {.name = "claims",
       .summary = "claims adjudication between providers and payers: providers submit claims "
                  "(Zipf-hot patients, ~5.35 lines) that the contract adjudicates against plan "
                  "coverage, fee schedule, annual limit and duplicates; payers pay approved claims "
                  "they observe on the ledger; duplicate and upcoded frauds are injected",
       .params = claims::claims_param_specs(),
       .make = claims::make_claims_workload,
       .typical_rate_per_org_per_day = 350,
       .typical_rate_source =
           "one claim per encounter, ≈ 350 encounters per hospital per day (AHA, as for ehr); "
           "Medicare alone ≈ 4.9 M claims per business day (CMS)"},
      {.name = "credentials",
       .summary = "clinician credentials: licensing boards issue, renew (every 36 months) and "
                  "revoke licences; hospitals verify a clinician's licence at the point of care "
                  "(Zipf-hot clinicians), with an audit trail; verifications of just-revoked "
                  "licences are injected to measure revocation exposure",
       .params = credentials::credentials_param_specs(),
       .make = credentials::make_credentials_workload,
       .typical_rate_per_org_per_day = 6,
       .typical_rate_source = "1,044,734 licensed physicians (FSMB 2022) checked monthly (NCQA) ≈ "
                              "35,000 checks a day over 6,120 hospitals (AHA) ≈ 6 per hospital"},
      {.name = "consent",
       .summary = "clinical-trial consent (MedRec-style): sponsors register trials and activate "
                  "sites, sites enrol participants under a versioned consent, amendments force "
                  "re-consent, withdrawal is permanent; reads by the sponsor or granted monitors "
                  "are applied only under a current consent, with injected violations",
       .params = consent::consent_param_specs(),
       .make = consent::make_consent_workload,
       .typical_rate_per_org_per_day = 0,
       .typical_rate_source = ""},
      {.name = "ycsb",
       .summary = "YCSB core workloads A/B/C (Cooper et al., SoCC 2010) as ledger transactions, "
                  "as BLOCKBENCH runs them: a load phase inserts 1 KB records, then Zipf(0.99) "
                  "reads and one-field updates; for comparison with published blockchain "
                  "benchmarks",
       .params = ycsb::ycsb_param_specs(),
       .make = ycsb::make_ycsb_workload,
       .typical_rate_per_org_per_day = 0,
       .typical_rate_source = ""},
      {.name = "smallbank",
       .summary = "Smallbank (Alomari et al., ICDE 2008) as H-Store and BLOCKBENCH run it: "
                  "balance, deposit_checking, transact_savings, amalgamate, write_check and "
                  "send_payment over checking and savings accounts, with an optional hotspot; "
                  "for comparison with published blockchain benchmarks",
       .params = smallbank::smallbank_param_specs(),
       .make = smallbank::make_smallbank_workload,
       .typical_rate_per_org_per_day = 0,
       .typical_rate_source = ""},
      {.name = "synthea",
       .summary = "replay of a Synthea CSV export at its own timestamps: each encounter and "
                  "medication becomes an EHR record_write by its organisation (client i = row i "
                  "of organizations.csv), judged by the EHR contract",
       .params = trace::synthea_param_specs(),
       .make = trace::make_synthea_workload,
       .typical_rate_per_org_per_day = 0,
       .typical_rate_source = ""},
      {.name = "epcis",
       .summary = "replay of a GS1 EPCIS document (JSON or XML) at its own event times as drug "
                  "supply chain transactions: commissioning, packing, shipping, receiving, "
                  "unpacking, dispensing and decommissioning by the document's organisations, "
                  "judged by the supply contract",
       .params = trace::epcis_param_specs(),
       .make = trace::make_epcis_workload,
       .typical_rate_per_org_per_day = 0,
       .typical_rate_source = ""},
      {.name = std::string(kMixWorkload),
       .summary = "several workloads on one ledger at relative weights: mix: {ehr: 3, supply: 1} "
                  "with each component's parameters in a map under its name (ehr: {patients: "
                  "5000}); kinds are reported as component/kind",
       .params = {},
       .make = [](const ParamValues&, const WorkloadSetup&) -> Result<std::unique_ptr<Workload>> {
         return Error{
             "workload.mix: a mixed workload is built from its components "
             "(workload.mix)"};
       },
       .typical_rate_per_org_per_day = 0,
       .typical_rate_source = ""},
  };
  return registry;
}

Result<std::unique_ptr<Workload>> make_workload(std::string_view kind, const ParamValues& params,
                                                const std::vector<MixPart>& parts,
                                                const WorkloadSetup& setup) {
  if (kind == kMixWorkload) return mix::make_mix_workload(parts, setup);
  const WorkloadInfo* info = find_workload(kind);
  if (info == nullptr) return Error{"workload.kind: unknown workload '" + std::string(kind) + "'"};
  return info->make(params, setup);
}

const WorkloadInfo* find_workload(std::string_view name) {
  for (const WorkloadInfo& info : workload_registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace hlsim
