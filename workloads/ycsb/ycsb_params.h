// Parameters of the YCSB workload (scenario keys under `workload:`), and the typed, checked
// configuration built from them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/workload.h"

namespace hlsim::ycsb {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& ycsb_param_specs();

struct YcsbConfig {
  std::uint32_t clients = 0;
  std::uint64_t records = 0;
  std::uint32_t field_count = 0;
  std::uint32_t field_bytes = 0;
  double read_proportion = 0;  // the rest are updates
  bool zipfian = true;         // else uniform
  double zipf_constant = 0;
  bool load = true;  // a load phase inserts the records first
  bool write_all_fields = false;
};

// Reads and cross-checks the values (parsed against ycsb_param_specs()). Errors name the key:
// "workload.read_proportion: ..." when it is given with a mix other than custom and disagrees.
Result<YcsbConfig> ycsb_config(const ParamValues& values, const WorkloadSetup& setup);

}  // namespace hlsim::ycsb
