// Parameters of the drug supply chain workload (scenario keys under `workload:`), and the typed,
// checked configuration built from them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/workload.h"

namespace hlsim::supply {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& supply_param_specs();

struct SupplyConfig {
  Roles roles;  // organisations = clients
  std::uint32_t units_per_case = 0;
  std::uint32_t cases_per_pallet = 0;
  double big_wholesaler_share = 0;  // of manufacturers' shipments, to the three largest
  double pharmacy_zipf_s = 0;
  TimeNs shelf_life_ns = 0;  // shelf_life_days * day_ns
  double decommission_fraction = 0;
  double counterfeit_fraction = 0;
  std::uint32_t event_bytes = 0;
  std::uint32_t epc_bytes = 0;

  std::uint32_t units_per_pallet() const { return units_per_case * cases_per_pallet; }
};

// Reads and cross-checks the values (parsed against supply_param_specs()) for `setup`. Errors
// name the key: "workload.clients: ..." when manufacturers + wholesalers leave no pharmacy (or
// there are more clients than EPCs can name), "workload.cases_per_pallet: ..." when a pallet's
// commissioning event would list more than kMaxEpcsPerEvent units.
Result<SupplyConfig> supply_config(const ParamValues& values, const WorkloadSetup& setup);

}  // namespace hlsim::supply
