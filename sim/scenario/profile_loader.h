// Hardware profiles from YAML: a flat map of HardwareProfile fields (ns per operation / per byte).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "ledger/hardware_profile.h"
#include "sim/kernel/result.h"

namespace hlsim {

// Fields not given keep HardwareProfile's defaults; unknown fields and negative values are errors
// naming `path`.field.
Result<HardwareProfile> profile_from_yaml(const YAML::Node& node, const std::string& path);

// `name_or_path`: "default" (built in), a name found as <data_dir>/results/profiles/<name>.yaml,
// or a path to a .yaml file (relative to base_dir, then to the working directory).
Result<HardwareProfile> load_profile(const std::string& name_or_path, const std::string& base_dir,
                                     const std::string& data_dir);

// The profile's fields as (name, value) pairs in declaration order, for results and `hlsim list`.
std::vector<std::pair<std::string, double>> profile_fields(const HardwareProfile& p);

}  // namespace hlsim
