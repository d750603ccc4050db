// Parameters of the Synthea trace-replay workload (scenario keys under `workload:`), and the
// typed, checked configuration built from them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim::trace {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& synthea_param_specs();

struct SyntheaConfig {
  std::string dir;                 // folder with the CSV files
  double time_compression = 0;     // trace seconds per simulated second
  bool skip_malformed = false;     // drop and count bad rows instead of failing
  std::uint32_t record_bytes = 0;  // encoded record_write payload size (at least its fixed part)
  TimeNs settle_ns = 0;            // run time between dependent transactions of two clients
};

// Reads the values (parsed against synthea_param_specs()). Errors name the key:
// "workload.dir: ..." when it is empty.
Result<SyntheaConfig> synthea_config(const ParamValues& values);

}  // namespace hlsim::trace
