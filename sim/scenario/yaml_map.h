// Parsing the top of an hlsim YAML file (scenario, sweep, size): a map, or an error naming the
// file and line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/kernel/result.h"

namespace hlsim {

// The document in `text` when it is a map (an empty document is an empty map). Errors:
// "<source>:<line>: not valid YAML: ..." and "<source>: expected <expected>".
Result<YAML::Node> parse_yaml_map(const std::string& text, const std::string& source,
                                  const std::string& expected);

}  // namespace hlsim
