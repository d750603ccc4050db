// Parameters of the EPCIS trace-replay workload (scenario keys under `workload:`), and the typed,
// checked configuration built from them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"

namespace hlsim::trace {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& epcis_param_specs();

struct EpcisConfig {
  std::string file;               // the EPCIS document; .json / .jsonld or .xml
  double time_compression = 0;    // trace seconds per simulated second
  bool skip_malformed = false;    // drop and count bad events instead of failing
  std::uint32_t event_bytes = 0;  // payload size of a one-EPC event, as the supply workload
  std::uint32_t epc_bytes = 0;    // payload bytes per EPC beyond the first
};

// Reads the values (parsed against epcis_param_specs()). Errors name the key: "workload.file:
// ..." when it is empty or has no known extension.
Result<EpcisConfig> epcis_config(const ParamValues& values);

}  // namespace hlsim::trace
