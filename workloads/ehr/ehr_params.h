// Parameters of the EHR-sharing workload (scenario keys under `workload:`), and the typed,
// checked configuration built from them.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/ehr/ehr_payloads.h"
#include "workloads/workload.h"

namespace hlsim::ehr {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& ehr_param_specs();

struct EhrConfig {
  std::uint32_t organisations = 0;  // = clients
  std::uint64_t patients = 0;
  double zipf_s = 0;
  std::uint64_t seed = 0;  // run seed: derives the documents' keys
  std::uint32_t record_bytes = 0;
  std::uint32_t document_bytes = 0;  // 0: record writes carry no off-chain document
  std::uint32_t consent_bytes = 0;
  std::uint32_t access_bytes = 0;
  TimeNs consent_duration_ns = 0;
  std::array<double, kKindCount> mix{};  // relative weights, indexed by Kind
  double consented_access_fraction = 0;
};

// Reads and cross-checks the values (parsed against ehr_param_specs()) for `setup`. Errors name
// the key: "workload.mix_*: ..." when no kind has a positive weight, "workload.patients: ..."
// when some organisation would have no patients, "workload.clients: ..." with fewer than two
// organisations (consent needs someone to grant it to).
Result<EhrConfig> ehr_config(const ParamValues& values, const WorkloadSetup& setup);

}  // namespace hlsim::ehr
