// Parameters of the clinical-trial consent workload (scenario keys under `workload:`), and the
// typed, checked configuration built from them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/consent/consent_plan.h"
#include "workloads/workload.h"

namespace hlsim::consent {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& consent_param_specs();

struct ConsentConfig {
  Roles roles;
  std::uint32_t trials = 0;
  double single_site_fraction = 0;
  std::uint32_t max_sites_per_trial = 0;
  double amend_fraction = 0;          // share of a sponsor's steady-state drafts
  double viewer_change_fraction = 0;  // share of a sponsor's steady-state drafts
  double withdraw_fraction = 0;       // share of a site's drafts
  double reconsent_priority = 0;      // chance a site with re-consents owed does one next
  double violation_fraction = 0;
  std::uint32_t payload_bytes = 0;
  std::uint64_t seed = 0;  // run seed: derives the trial plan
};

// Reads and cross-checks the values (parsed against consent_param_specs()) for `setup`. Errors
// name the key: "workload.clients: ..." when there is no room for a site after the sponsors and
// monitors, "workload.trials: ..." when some site or sponsor would have no trial,
// "workload.amend_fraction: ..." when amend_fraction + viewer_change_fraction exceeds 1.
Result<ConsentConfig> consent_config(const ParamValues& values, const WorkloadSetup& setup);

}  // namespace hlsim::consent
