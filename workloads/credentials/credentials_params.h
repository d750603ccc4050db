// Parameters of the credentials workload (scenario keys under `workload:`), and the typed,
// checked configuration built from them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/credentials/credentials_register.h"
#include "workloads/workload.h"

namespace hlsim::credentials {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& credentials_param_specs();

struct CredentialsConfig {
  std::uint32_t organisations = 0;  // = clients: boards first, then hospitals
  RegisterConfig register_config;   // boards, clinicians, fractions, interval, revocation rate
  double zipf_s = 0;
  TimeNs renew_lead_ns = 0;  // a board renews a licence this long before it expires
  double verify_revoked_fraction = 0;
  std::uint32_t verify_revoked_window = 0;
  std::uint32_t licence_bytes = 0;
  std::uint32_t verify_bytes = 0;

  std::uint32_t boards() const { return register_config.boards; }
};

// Reads and cross-checks the values (parsed against credentials_param_specs()) for `setup`.
// Errors name the key: "workload.boards: ..." when no client would be a hospital,
// "workload.clinicians: ..." when some board would have no clinicians,
// "workload.renew_lead_days: ..." when the lead is not shorter than the interval.
Result<CredentialsConfig> credentials_config(const ParamValues& values, const WorkloadSetup& setup);

}  // namespace hlsim::credentials
