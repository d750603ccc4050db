// Parsing the top of an hlsim YAML file (yaml_map.h).
#include "sim/scenario/yaml_map.h"

namespace hlsim {

Result<YAML::Node> parse_yaml_map(const std::string& text, const std::string& source,
                                  const std::string& expected) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return Error{source + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg};
  }
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) return Error{source + ": expected " + expected};
  return root;
}

}  // namespace hlsim
